"""Spread between regions (均等化, evaluation method §7).

For one indicator, one year and a set of regions with populations:
population-weighted mean, weighted coefficient of variation, Gini, Theil T and
Theil L (with the between-group / within-group decomposition for a grouping)
and the max/min ratio. With equal weights every measure reduces to the
unweighted form PySAL ``inequality`` computes (``gini.Gini``, ``theil.Theil``,
``theil.TheilD``); the tests check that to 1e-9.

Formulas, with population shares p_i = w_i / Σw and μ = Σ p_i y_i:

* weighted CV = √(Σ p_i (y_i − μ)²) / μ (Williamson's coefficient);
* Gini = Σ_i Σ_j p_i p_j |y_i − y_j| / (2μ), computed from the Lorenz curve
  as 1 − Σ_i p_i (L_{i−1} + L_i) over values sorted ascending;
* Theil T = Σ p_i (y_i/μ) ln(y_i/μ) (a zero contributes 0, its limit);
* Theil L (mean log deviation) = Σ p_i ln(μ / y_i) (undefined with a zero: NaN);
* T = Σ_g S_g T_g + Σ_g S_g ln(μ_g/μ), S_g = P_g μ_g/μ the group's share of the total;
  L = Σ_g P_g L_g + Σ_g P_g ln(μ/μ_g), P_g the group's population share
  (Shorrocks 1980, *Econometrica* 48(3); Theil 1967).

"The gap narrowed" between two years means the chosen measure fell (:func:`gap_trend`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from minsheng.domain.errors import InvalidData

MEASURES = ("mean", "cv", "gini", "theil_t", "theil_l", "max_min_ratio")


def _arrays(
    values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(values, dtype=np.float64).ravel()
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
    if y.size == 0:
        raise InvalidData("no values to measure a spread over")
    if w.shape != y.shape:
        raise InvalidData(f"{y.size} values but {w.size} weights")
    if np.isnan(y).any() or np.isnan(w).any():
        raise InvalidData(
            "values and weights must not be missing; drop the regions without data first"
        )
    if (w < 0).any() or w.sum() <= 0:
        raise InvalidData("weights (populations) must be non-negative and not all zero")
    return y, w / w.sum()


def weighted_mean(
    values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray | None = None
) -> float:
    """μ = Σ p_i y_i."""
    y, p = _arrays(values, weights)
    return float(np.dot(p, y))


def weighted_cv(
    values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray | None = None
) -> float:
    """√(Σ p_i (y_i − μ)²) / μ; with equal weights the population (ddof 0) CV."""
    y, p = _arrays(values, weights)
    mu = float(np.dot(p, y))
    return float(np.sqrt(np.dot(p, (y - mu) ** 2)) / mu)


def _non_negative(y: np.ndarray, what: str) -> None:
    if (y < 0).any():
        raise InvalidData(f"{what} needs non-negative values")
    if y.sum() == 0:
        raise InvalidData(f"{what} is undefined when every value is zero")


def gini(
    values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray | None = None
) -> float:
    """Population-weighted Gini from the Lorenz curve (equal weights: PySAL's ``Gini``)."""
    y, p = _arrays(values, weights)
    _non_negative(y, "the Gini coefficient")
    order = np.argsort(y, kind="stable")
    y, p = y[order], p[order]
    income = p * y
    lorenz = np.cumsum(income) / income.sum()
    previous = np.concatenate(([0.0], lorenz[:-1]))
    return float(1.0 - np.dot(p, previous + lorenz))


def theil_t(
    values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray | None = None
) -> float:
    """Σ p_i (y_i/μ) ln(y_i/μ) (equal weights: PySAL's ``Theil``)."""
    y, p = _arrays(values, weights)
    _non_negative(y, "Theil T")
    r = y / np.dot(p, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(r > 0, r * np.log(r), 0.0)
    return float(np.dot(p, terms))


def theil_l(
    values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray | None = None
) -> float:
    """Mean log deviation Σ p_i ln(μ / y_i); NaN when a value is zero."""
    y, p = _arrays(values, weights)
    _non_negative(y, "Theil L")
    if (y == 0).any():
        return float("nan")
    return float(np.dot(p, np.log(np.dot(p, y) / y)))


def max_min_ratio(values: Sequence[float] | np.ndarray) -> float:
    """Highest over lowest region value (NaN when the lowest is zero)."""
    y, _ = _arrays(values, None)
    low = y.min()
    return float(y.max() / low) if low != 0 else float("nan")


@dataclass(frozen=True)
class Decomposition:
    """A Theil index split into between-group and within-group parts."""

    measure: str
    total: float
    between: float
    within: float
    groups: pl.DataFrame  # group, population_share, income_share, mean, index

    @property
    def between_share(self) -> float:
        return self.between / self.total if self.total else float("nan")


def theil_decomposition(
    values: Sequence[float] | np.ndarray,
    groups: Sequence[object] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
    measure: str = "T",
) -> Decomposition:
    """Between/within decomposition of Theil T or L for a grouping (e.g. counties by prefecture)."""
    y, p = _arrays(values, weights)
    g = np.asarray(groups).ravel()
    if g.shape != y.shape:
        raise InvalidData(f"{y.size} values but {g.size} group labels")
    if measure not in ("T", "L"):
        raise InvalidData(f"measure must be 'T' or 'L', not {measure!r}")
    labels, idx = np.unique(g, return_inverse=True)
    mu = float(np.dot(p, y))
    pop = np.bincount(idx, weights=p)
    income = np.bincount(idx, weights=p * y)
    mu_g = income / pop
    share = income / income.sum()
    index = np.array(
        [
            (theil_t if measure == "T" else theil_l)(y[idx == k], p[idx == k])
            for k in range(labels.size)
        ]
    )
    if measure == "T":
        total = theil_t(y, p)
        with np.errstate(divide="ignore", invalid="ignore"):
            between = float(np.sum(np.where(share > 0, share * np.log(mu_g / mu), 0.0)))
        within = float(np.dot(share, index))
    else:
        total = theil_l(y, p)
        between = float(np.dot(pop, np.log(mu / mu_g)))
        within = float(np.dot(pop, index))
    frame = pl.DataFrame(
        {
            "group": labels.tolist(),
            "population_share": pop,
            "income_share": share,
            "mean": mu_g,
            "index": index,
        }
    )
    return Decomposition(f"theil_{measure.lower()}", total, between, within, frame)


def spread(
    frame: pl.DataFrame,
    *,
    value: str = "value",
    weight: str | None = "population",
    by: Sequence[str] = ("year",),
    group: str | None = None,
) -> pl.DataFrame:
    """Every measure of §7 for each ``by`` slice (e.g. each year) of a long frame.

    Rows with a missing value are left out (and counted in ``regions``). A slice of one
    region has its mean and no measure of spread (null). With ``group``, adds
    ``theil_t_between``/``theil_t_within`` and the L pair.
    """
    missing = [
        c
        for c in [value, *by, *([weight] if weight else []), *([group] if group else [])]
        if c not in frame.columns
    ]
    if missing:
        raise InvalidData(f"spread: missing column(s) {', '.join(missing)}")
    rows = []
    for key, part in frame.filter(pl.col(value).is_not_null()).group_by(
        list(by), maintain_order=True
    ):
        y = part.get_column(value).to_numpy()
        w = part.get_column(weight).to_numpy() if weight else None
        row = dict(zip(by, key, strict=True))
        row.update(regions=part.height, mean=weighted_mean(y, w))
        if part.height < 2:  # one region has no gap to measure: none, never a Gini of 0
            row.update(dict.fromkeys(("cv", "gini", "theil_t", "theil_l", "max_min_ratio")))
            if group:
                row.update(dict.fromkeys(("theil_t_between", "theil_t_within",
                                          "theil_l_between", "theil_l_within")))  # fmt: skip
            rows.append(row)
            continue
        row.update(
            cv=weighted_cv(y, w),
            gini=gini(y, w),
            theil_t=theil_t(y, w),
            theil_l=theil_l(y, w),
            max_min_ratio=max_min_ratio(y),
        )
        if group:
            labels = part.get_column(group).to_numpy()
            t, lo = theil_decomposition(y, labels, w, "T"), theil_decomposition(y, labels, w, "L")
            row.update(
                theil_t_between=t.between,
                theil_t_within=t.within,
                theil_l_between=lo.between,
                theil_l_within=lo.within,
            )
        rows.append(row)
    return pl.DataFrame(rows).sort(list(by))


def gap_trend(
    spread_frame: pl.DataFrame, measure: str = "gini", year: str = "year"
) -> pl.DataFrame:
    """Change of a measure from each year to the next; ``narrowed`` when it fell."""
    if measure not in spread_frame.columns:
        raise InvalidData(f"unknown measure {measure!r}; one of {', '.join(MEASURES)}")
    out = spread_frame.sort(year).select(year, pl.col(measure))
    change = pl.col(measure) - pl.col(measure).shift(1)
    return out.with_columns(change.alias("change"), (change < 0).alias("narrowed"))
