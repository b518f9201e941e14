"""Greedy maximal covering: the same picks on the grid and pair paths, and a brute-force oracle."""

from __future__ import annotations

import numpy as np
import pytest

from minsheng.analytics.access import Points, covered, greedy_max_cover


def brute_greedy(d: Points, cx, cy, r, k, done) -> list[int]:  # noqa: ANN001
    dx = d.x[None, :] - cx[:, None]
    dy = d.y[None, :] - cy[:, None]
    inc = np.sqrt(dx * dx + dy * dy) <= r
    picks = []
    for _ in range(k):
        gains = (inc & ~done[None, :]) @ d.value
        c = int(np.argmax(gains))
        if gains[c] <= 0:
            break
        picks.append(c)
        done = done | inc[c]
    return picks


@pytest.mark.parametrize("method", ["auto", "pairs"])
def test_greedy_matches_brute_force(method: str) -> None:
    rng = np.random.default_rng(3)
    xs, ys = np.meshgrid(np.arange(40) * 50.0, np.arange(30) * 50.0)
    d = Points.of(xs.ravel(), ys.ravel(), rng.integers(0, 20, xs.size))
    cx, cy = rng.uniform(0, 2000, 80), rng.uniform(0, 1500, 80)
    ex, ey = rng.uniform(0, 2000, 3), rng.uniform(0, 1500, 3)
    steps = greedy_max_cover(d, cx, cy, 300.0, 6, existing_x=ex, existing_y=ey, method=method)
    done = covered(d, ex, ey, 300.0)
    assert [s.candidate for s in steps] == brute_greedy(d, cx, cy, 300.0, 6, done)
    gained = [s.newly_covered for s in steps]
    assert gained == sorted(gained, reverse=True)  # submodular: gains never grow
    all_cx, all_cy = (
        np.append(ex, cx[[s.candidate for s in steps]]),
        np.append(ey, cy[[s.candidate for s in steps]]),
    )
    assert steps[-1].total_covered == pytest.approx(
        d.value[covered(d, all_cx, all_cy, 300.0)].sum()
    )


def test_stops_when_nobody_is_left() -> None:
    d = Points.of([0.0, 100.0], [0.0, 0.0], [5.0, 5.0])
    steps = greedy_max_cover(d, np.array([0.0, 50.0, 1e5]), np.array([0.0, 0.0, 0.0]), 200.0, 3)
    assert [(s.candidate, s.newly_covered) for s in steps] == [(0, 10.0)]
