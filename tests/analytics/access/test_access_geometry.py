"""Local projection: distances in metres agree with geodesic distances."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from minsheng.analytics.access.geometry import check_crs, check_lonlat, project_together
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
