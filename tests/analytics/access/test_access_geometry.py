"""Local projection: distances in metres agree with geodesic distances; coordinates off the Earth are refused."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from minsheng.analytics.access.geometry import (
    check_crs,
    check_lonlat,
    check_metres,
    project_together,
)
from minsheng.domain.errors import InvalidData


@pytest.mark.parametrize("source", ["EPSG:4326", "EPSG:4490"])
def test_projected_distances_match_geodesics(source: str) -> None:
    rng = np.random.default_rng(0)
    lon = rng.uniform(113.0, 115.0, 50)
    lat = rng.uniform(22.0, 24.0, 50)
    _, [(x, y)] = project_together((lon, lat), source=source)
    i, j = rng.integers(0, 50, 200), rng.integers(0, 50, 200)
    planar = np.hypot(x[i] - x[j], y[i] - y[j])
    _, _, geodesic = Geod(ellps="WGS84").inv(lon[i], lat[i], lon[j], lat[j])
    ok = geodesic > 100
    assert np.max(np.abs(planar[ok] - geodesic[ok]) / geodesic[ok]) < 2e-3


def test_refuses_metres_as_degrees() -> None:
    with pytest.raises(ValueError, match="longitude"):
        check_lonlat(np.array([500000.0]), np.array([30.0]))


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:32648", "EPSG:4547"])
def test_a_projected_crs_for_lon_lat_columns_is_refused(crs: str) -> None:
    """--crs names the system of lon/lat columns; EPSG:3857 was taken, the degrees were read
    as if they were that system's, and two points 97 km apart came out 'within 600 m'."""
    with pytest.raises(InvalidData, match="projected") as caught:
        check_crs(crs)
    assert "EPSG:4326" in str(caught.value) and "x,y" in str(caught.value)


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4490", "epsg:4326"])
def test_the_geographic_systems_are_taken(crs: str) -> None:
    check_crs(crs)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.nan, "finite"),
        (np.inf, "finite"),
        (-np.inf, "finite"),
        (1e300, "not on Earth"),
        (-2e8, "not on Earth"),
    ],
    ids=["nan", "inf", "-inf", "1e300", "-200,000 km"],
)
@pytest.mark.parametrize("axis", ["x", "y"])
def test_projected_coordinates_off_the_earth_are_refused_by_name(
    bad: float, message: str, axis: str
) -> None:
    good = np.linspace(-1e6, 1e6, 1001)
    spoiled = good.copy()
    spoiled[517] = bad
    x, y = (spoiled, good) if axis == "x" else (good, spoiled)
    with pytest.raises(InvalidData, match=message):
        check_metres(x, y, "demand.csv")


def test_coordinates_at_the_bounds_and_empty_tables_pass() -> None:
    check_metres(np.array([-1e8, 1e8]), np.array([0.0, 1e8]), "demand.csv")
    check_metres(np.empty(0), np.empty(0), "demand.csv")
