"""Metric coordinates for distance work: a local projection of lon/lat.

Why: catchments are circles in metres. Lon/lat (WGS84, EPSG:4326, or CGCS2000,
EPSG:4490 -- the two differ by centimetres) are projected once, demand and supply
together, with an azimuthal equidistant projection centred on the data. Distances from
the centre are exact and the scale error elsewhere is about ``(s/R)**2 / 6`` for a point
``s`` from the centre (0.1 % at 500 km), well below the error of a straight-line
catchment itself. Projected inputs (already in metres) are used as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # heavy libraries load when a function needs them (start-up)
    pass

from minsheng.domain.errors import InvalidData

FloatArray = NDArray[np.float64]

GEOGRAPHIC = {"EPSG:4326": "WGS84", "EPSG:4490": "GRS80"}


@dataclass(frozen=True)
class LocalProjection:
    """An azimuthal equidistant projection centred on ``(lon0, lat0)``."""

    lon0: float
    lat0: float
    source: str = "EPSG:4326"

    @property
    def proj4(self) -> str:
        ellps = GEOGRAPHIC.get(self.source.upper(), "WGS84")
        return f"+proj=aeqd +lat_0={self.lat0:.8f} +lon_0={self.lon0:.8f} +ellps={ellps} +units=m +no_defs"

    def forward(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        from pyproj import CRS, Transformer

        t = Transformer.from_crs(
            CRS.from_user_input(self.source), CRS.from_proj4(self.proj4), always_xy=True
        )
        x, y = t.transform(np.asarray(lon, np.float64), np.asarray(lat, np.float64))
        return np.asarray(x, np.float64), np.asarray(y, np.float64)


def check_crs(crs: str) -> None:
    """Refuse a coordinate reference system pyproj does not know, or a projected one for
    lon/lat columns, before any work is done."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    shown = crs if len(crs) <= 40 else crs[:40] + "…"
    try:
        system = CRS.from_user_input(crs)
    except CRSError:
        raise InvalidData(
            f"--crs {shown!r}: not a coordinate reference system (e.g. EPSG:4326, EPSG:4490)"
        ) from None
    if not system.is_geographic:  # degrees read as that system's metres: every distance wrong
        raise InvalidData(
            f"--crs {shown!r} is a projected system; --crs names the system of lon/lat columns "
            "(EPSG:4326 or EPSG:4490). Projected coordinates go in columns x,y, in metres, "
            "without --crs"
        )


_EARTH_METRES = 1e8  # ±100,000 km: beyond any projection of a place on Earth


def check_metres(x: FloatArray, y: FloatArray, name: str) -> None:
    """Refuse projected coordinates no place on Earth has (inf, nan, 1e300), which break the kernels.

    The extremes say it in two passes with no temporary arrays (a NaN makes ``min`` and
    ``max`` NaN, which fails the bounds); which fault it was is worked out only then.
    """
    for v in (x, y):
        if v.size and not (np.min(v) >= -_EARTH_METRES and np.max(v) <= _EARTH_METRES):
            if not np.isfinite(v).all():
                raise InvalidData(f"{name}: coordinates must be finite numbers")
            raise InvalidData(f"{name}: projected coordinates beyond ±100,000 km are not on Earth")


def check_lonlat(lon: FloatArray, lat: FloatArray) -> None:
    """Refuse values that cannot be degrees, so metres passed as lon/lat fail loudly."""
    if np.any(~np.isfinite(lon)) or np.any(np.abs(lon) > 180):
        raise ValueError("longitude outside [-180, 180]")
    if np.any(~np.isfinite(lat)) or np.any(np.abs(lat) > 90):
        raise ValueError("latitude outside [-90, 90]")


def local_projection(
    lon: FloatArray, lat: FloatArray, source: str = "EPSG:4326"
) -> LocalProjection:
    """The projection centred on the middle of the points' bounding box."""
    check_lonlat(lon, lat)
    return LocalProjection(
        float((np.min(lon) + np.max(lon)) / 2), float((np.min(lat) + np.max(lat)) / 2), source
    )


def project_together(
    *lonlats: tuple[FloatArray, FloatArray], source: str = "EPSG:4326"
) -> tuple[LocalProjection, list[tuple[FloatArray, FloatArray]]]:
    """Project several point sets with one projection (demand and supply must share it)."""
    lon = np.concatenate([np.asarray(a, np.float64) for a, _ in lonlats])
    lat = np.concatenate([np.asarray(b, np.float64) for _, b in lonlats])
    proj = local_projection(lon, lat, source)
    return proj, [proj.forward(a, b) for a, b in lonlats]
