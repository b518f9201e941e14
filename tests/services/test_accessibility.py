"""Accessibility use cases end to end on files, and region figures as observations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from minsheng.analytics.access import Points, two_step_fca
from minsheng.domain.errors import InvalidData
from minsheng.services import accessibility as svc
from minsheng.services import accessibility_observations as obs_svc


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(0)
    xs, ys = np.meshgrid(np.arange(30) * 100.0, np.arange(20) * 100.0)
    region = np.where(xs.ravel() < 1500, "440103", "440104")
    pd.DataFrame(
        {
            "id": [f"c{i}" for i in range(xs.size)],
            "x": xs.ravel(),
            "y": ys.ravel(),
            "population": rng.integers(0, 40, xs.size),
            "region": region,
        }
    ).to_csv(tmp_path / "d.csv", index=False)
    pd.DataFrame(
        {
            "id": [f"f{i}" for i in range(8)],
            "x": rng.uniform(0, 3000, 8).round(),
            "y": rng.uniform(0, 2000, 8).round(),
            "capacity": rng.integers(1, 9, 8),
            "region": ["440103"] * 4 + ["440104"] * 4,
        }
    ).to_csv(tmp_path / "s.csv", index=False)
    return tmp_path / "d.csv", tmp_path / "s.csv"


def test_run_fca_writes_id_score_equal_to_kernel(files, tmp_path: Path) -> None:  # noqa: ANN001
    d, s = files
    outcome = svc.run_fca(d, s, 600.0, tmp_path / "out.csv")
    written = pd.read_csv(tmp_path / "out.csv")
    assert written.columns.tolist() == ["id", "score"]
    dd, ss = pd.read_csv(d), pd.read_csv(s)
    ref = two_step_fca(
        Points.of(dd.x, dd.y, dd.population), Points.of(ss.x, ss.y, ss.capacity), 600.0
    )
    np.testing.assert_allclose(written.score, np.nan_to_num(ref.score, nan=0.0), rtol=1e-12)
    assert 0 < outcome.reached_share <= 1
    cells, people = outcome.underserved(0.5)
    pop, score = dd.population.to_numpy(), np.nan_to_num(ref.score, nan=0.0)
    low = (pop > 0) & (score < 0.5 * (score * pop).sum() / pop.sum())
    assert (cells, people) == (int(low.sum()), float(pop[low].sum()))


def test_tiled_run_equals_single(files) -> None:  # noqa: ANN001
    d, s = files
    one = svc.run_fca(d, s, 600.0, decay=svc.decay_from_options("gaussian", 600.0))
    tiled = svc.run_fca(d, s, 600.0, decay=svc.decay_from_options("gaussian", 600.0), tile=1000.0)
    np.testing.assert_allclose(
        np.nan_to_num(tiled.result.score), np.nan_to_num(one.result.score), rtol=1e-12
    )


def test_cost_table_path(files, tmp_path: Path) -> None:  # noqa: ANN001
    d, s = files
    pd.DataFrame(
        {"origin": ["c0", "c1", "c2"], "destination": ["f0", "f0", "f1"], "cost": [5, 12, 3]}
    ).to_csv(tmp_path / "c.csv", index=False)
    out = svc.run_fca(d, s, 10.0, costs_path=tmp_path / "c.csv")
    assert out.result.method == "table"
    assert out.result.reached[:3].tolist() == [True, False, True]
    pd.DataFrame({"origin": ["nope"], "destination": ["f0"], "cost": [1]}).to_csv(
        tmp_path / "bad.csv", index=False
    )
    with pytest.raises(InvalidData, match="origin 'nope' at row 2"):
        svc.run_fca(d, s, 10.0, costs_path=tmp_path / "bad.csv")


def test_coverage_by_travel_cost(files, tmp_path: Path) -> None:  # noqa: ANN001
    d, s = files
    pd.DataFrame(
        {
            "origin": ["c0", "c0", "c1", "c2"],
            "destination": ["f0", "f1", "f0", "f1"],
            "cost": [20, 9, 16, 15],
        }
    ).to_csv(tmp_path / "t.csv", index=False)
    cov = svc.run_coverage(d, s, 15.0, tmp_path / "cov.csv", costs_path=tmp_path / "t.csv")
    assert cov.covered[:4].tolist() == [True, False, True, False]
    assert cov.distance[:3].tolist() == [9.0, 16.0, 15.0]
    assert pd.read_csv(tmp_path / "cov.csv").columns.tolist() == ["id", "covered", "least_cost"]


def test_lonlat_inputs_are_projected_together(tmp_path: Path) -> None:
    pd.DataFrame(
        {"id": ["a", "b"], "lon": [113.30, 113.40], "lat": [23.10, 23.10], "population": [10, 10]}
    ).to_csv(tmp_path / "d.csv", index=False)
    pd.DataFrame({"id": ["f"], "lon": [113.30], "lat": [23.10], "capacity": [1]}).to_csv(
        tmp_path / "s.csv", index=False
    )
    # 0.1 degree of longitude at 23.1 N is about 10.2 km
    cov = svc.run_coverage(tmp_path / "d.csv", tmp_path / "s.csv", 10_000.0)
    assert cov.covered.tolist() == [True, False]
    assert cov.distance[1] == pytest.approx(10_240, rel=5e-3)
    pd.DataFrame({"id": ["f"], "x": [0.0], "y": [0.0], "capacity": [1]}).to_csv(
        tmp_path / "m.csv", index=False
    )
    with pytest.raises(InvalidData, match="mix lon/lat and projected metres"):
        svc.run_coverage(tmp_path / "d.csv", tmp_path / "m.csv", 1000.0)


def test_coverage_observations_roll_up(files) -> None:  # noqa: ANN001
    d, s = files
    obs = obs_svc.coverage_observations(d, s, 400.0, "residents within 400 m of a clinic", 2025)
    by = {o.region_code: o for o in obs}
    assert set(by) == {"440103", "440104", "440100", "440000", "100000"}
    cov = svc.run_coverage(d, s, 400.0)
    pop = cov.located.demand.value
    assert by["440100"].value == pytest.approx(100 * pop[cov.covered].sum() / pop.sum())
    assert all(o.year == 2025 and o.unit == "%" for o in obs)


def test_supply_ratio_and_score_observations(files) -> None:  # noqa: ANN001
    d, s = files
    obs = {
        o.region_code: o.value
        for o in obs_svc.supply_ratio_observations(d, s, "beds per 1000", 2024)
    }
    dd, ss = pd.read_csv(d), pd.read_csv(s)
    assert obs["440000"] == pytest.approx(1000 * ss.capacity.sum() / dd.population.sum())
    scores = obs_svc.score_observations(svc.run_fca(d, s, 600.0), "2sfca", 2024)
    assert {o.region_code for o in scores} == {"440103", "440104"}


def test_siting_service(files, tmp_path: Path) -> None:  # noqa: ANN001
    d, s = files
    out = svc.run_siting(d, s, 300.0, 3, tmp_path / "picks.csv")
    picks = pd.read_csv(tmp_path / "picks.csv")
    assert picks.columns.tolist() == ["rank", "id", "newly_covered", "total_covered"]
    assert picks.id.tolist() == out.candidate_ids
    assert picks.total_covered.is_monotonic_increasing


@pytest.mark.parametrize(
    ("kind", "steps", "needle"),
    [("step", "1000-1", "--steps takes"), ("cubic", None, "unknown decay")],
)
def test_bad_decay_options(kind: str, steps: str | None, needle: str) -> None:
    with pytest.raises(InvalidData, match=needle):
        svc.decay_from_options(kind, 1000.0, steps=steps)
