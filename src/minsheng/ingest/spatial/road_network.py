"""Read a road network from an OpenStreetMap ``.pbf`` (or ``.osm``) file into plain arrays.

Why: the plans' service radii are often travel times ("15-minute circle"), and straight
lines miss rivers, rail lines and one-way streets. Every way with a ``highway`` tag becomes
directed edges between consecutive nodes, each with its great-circle length and its travel
time at the way's speed. The arrays feed ``analytics.access.network`` (routing); nothing
here routes.

Speeds (km/h), by ``highway`` class:

* ``drive`` profile: the way's ``maxspeed`` when it is a number (``60``, ``60 km/h``,
  ``30 mph``; the lowest of ``50;60``), else :data:`DRIVE_SPEEDS` -- the middle of the
  design speeds of CJJ 37-2012 (城市道路工程设计规范: expressway 60-100, arterial 40-60,
  secondary 30-50, branch 20-40) mapped onto OSM classes. One-way streets are respected
  (``oneway=yes|true|1`` forward only, ``-1|reverse`` backward only,
  ``junction=roundabout|circular`` and ``highway=motorway`` forward unless ``oneway=no``).
* ``walk`` profile: every class in :data:`WALK_CLASSES` at one walking speed, both ways,
  ``maxspeed`` ignored (the 15-minute walking circle of GB 50180-2018).

``speeds`` overrides the table per class; a speed of 0 drops the class. Ways tagged
``access=no|private`` (and ``foot=no`` when walking) or ``area=yes`` are left out; edges
touching a node whose location is missing from the file are dropped and counted.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from minsheng.domain.errors import InvalidData, NotFound

Profile = Literal["drive", "walk"]
EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius; lengths on the sphere (< 0.5 % off the ellipsoid)
WALK_SPEED_KMH = 5.0

DRIVE_SPEEDS: dict[str, float] = {
    "motorway": 100.0,
    "motorway_link": 60.0,
    "trunk": 80.0,
    "trunk_link": 50.0,
    "primary": 60.0,
    "primary_link": 40.0,
    "secondary": 50.0,
    "secondary_link": 35.0,
    "tertiary": 40.0,
    "tertiary_link": 30.0,
    "unclassified": 30.0,
    "residential": 30.0,
    "road": 30.0,
    "living_street": 10.0,
    "service": 15.0,
    "track": 15.0,
}
WALK_CLASSES: tuple[str, ...] = tuple(c for c in DRIVE_SPEEDS if not c.startswith("motorway")) + (
    "pedestrian",
    "footway",
    "path",
    "steps",
    "cycleway",
    "bridleway",
    "corridor",
)

_MAXSPEED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km/h|kmh|kph|mph|knots)?\s*$", re.IGNORECASE)
_UNIT = {"mph": 1.609344, "knots": 1.852}
_FORWARD = {"yes", "true", "1"}
_BACKWARD = {"-1", "reverse"}


@dataclass(frozen=True)
class RoadNetwork:
    """Nodes (OSM id, lon/lat) and directed edges (node positions, metres, minutes, class)."""

    node_id: NDArray[np.int64]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    edge_from: NDArray[np.int64]
    edge_to: NDArray[np.int64]
    length_m: NDArray[np.float64]
    minutes: NDArray[np.float64]
    road_class: NDArray[np.int16]  # position in ``classes``
    classes: tuple[str, ...]
    ways: int
    dropped_edges: int  # segments touching a node without a location in the file

    @property
    def n_nodes(self) -> int:
        return len(self.node_id)

    @property
    def n_edges(self) -> int:
        return len(self.edge_from)


def parse_maxspeed(value: str | None) -> float | None:
    """km/h from an OSM ``maxspeed`` value, or None when it is not a number.

    >>> parse_maxspeed("60"), parse_maxspeed("30 mph"), parse_maxspeed("50;40")
    (60.0, 48.28032, 40.0)
    >>> parse_maxspeed("CN:urban") is None
    True
    """
    if not value:
        return None
    found = []
    for part in value.split(";"):
        m = _MAXSPEED.match(part)
        if m is None:
            continue
        kmh = float(m.group(1)) * _UNIT.get((m.group(2) or "").lower(), 1.0)
        if kmh > 0:
            found.append(kmh)
    return min(found) if found else None


def speed_table(
    profile: Profile = "drive",
    speeds: Mapping[str, float] | None = None,
    walk_speed: float = WALK_SPEED_KMH,
) -> dict[str, float]:
    """The speed per class (km/h) a profile uses, with the user's overrides applied."""
    if profile == "drive":
        table = dict(DRIVE_SPEEDS)
    elif profile == "walk":
        if not (math.isfinite(walk_speed) and walk_speed > 0):
            raise InvalidData(f"walking speed must be a positive km/h, not {walk_speed}")
        table = dict.fromkeys(WALK_CLASSES, float(walk_speed))
    else:
        raise InvalidData(f"unknown road profile {profile!r}; use drive or walk")
    for name, kmh in (speeds or {}).items():
        if not (math.isfinite(kmh) and kmh >= 0):
            raise InvalidData(f"speed for {name!r} must be a km/h of 0 or more, not {kmh}")
        table[str(name).strip()] = float(kmh)
    return {k: v for k, v in table.items() if v > 0}


def parse_speeds(text: str | None) -> dict[str, float]:
    """``"primary=50,residential=20"`` as a mapping (the command line's ``--speeds``).

    >>> parse_speeds("primary=50, footway=0")
    {'primary': 50.0, 'footway': 0.0}
    """
    out: dict[str, float] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, _, kmh = part.partition("=")
        try:
            out[name.strip()] = float(kmh)
        except ValueError:
            raise InvalidData(
                f"speeds take class=km/h pairs such as primary=50,residential=20, not {part.strip()!r}"
            ) from None
    return out


def _direction(tags: Mapping[str, str], highway: str, profile: Profile) -> int:
    """1 forward only, -1 backward only, 0 both ways."""
    if profile == "walk":
        return 0
    oneway = (tags.get("oneway") or "").strip().lower()
    if oneway in _FORWARD:
        return 1
    if oneway in _BACKWARD:
        return -1
    if oneway in ("no", "false", "0"):
        return 0
    junction = (tags.get("junction") or "").strip().lower()
    return 1 if junction in ("roundabout", "circular") or highway == "motorway" else 0


def _collect(path: Path, table: Mapping[str, float], profile: Profile):  # noqa: ANN202
    """One streaming pass: node refs and locations of every routable way, with its speed."""
    from minsheng.domain.optional import require

    osmium = require("osmium", "osm", "reading a road network (--network)")

    refs, lons, lats = array("q"), array("d"), array("d")
    sizes, way_speed, way_dir, way_class = array("q"), array("d"), array("b"), array("h")
    classes: dict[str, int] = {}
    processor: Any = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        .with_filter(osmium.filter.KeyFilter("highway"))
    )
    nan = math.nan
    for way in processor:
        tags = way.tags
        highway = tags.get("highway", "")
        kmh = table.get(highway)
        if kmh is None or len(way.nodes) < 2:
            continue
        if tags.get("access") in ("no", "private") or tags.get("area") == "yes":
            continue
        if profile == "walk" and tags.get("foot") == "no":
            continue
        if profile == "drive":
            kmh = parse_maxspeed(tags.get("maxspeed")) or kmh
        for n in way.nodes:
            refs.append(n.ref)
            loc = n.location
            if loc.valid():
                lons.append(loc.lon)
                lats.append(loc.lat)
            else:
                lons.append(nan)
                lats.append(nan)
        sizes.append(len(way.nodes))
        way_speed.append(kmh)
        way_dir.append(_direction(tags, highway, profile))
        way_class.append(classes.setdefault(highway, len(classes)))
    return refs, lons, lats, sizes, way_speed, way_dir, way_class, tuple(classes)


def haversine_m(
    lon1: NDArray[np.float64],
    lat1: NDArray[np.float64],
    lon2: NDArray[np.float64],
    lat2: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Great-circle distance in metres on the mean-radius sphere."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def read_road_network(
    path: str | Path,
    *,
    profile: Profile = "drive",
    speeds: Mapping[str, float] | None = None,
    walk_speed: float = WALK_SPEED_KMH,
) -> RoadNetwork:
    """The routable ways of an OSM file as nodes and directed, timed edges (see module doc)."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"road network {path} does not exist")
    table = speed_table(profile, speeds, walk_speed)
    try:
        refs_a, lons_a, lats_a, sizes_a, speed_a, dir_a, class_a, classes = _collect(
            path, table, profile
        )
    except RuntimeError as exc:
        raise InvalidData(f"{path.name}: not a readable OSM file ({exc})") from None
    if len(sizes_a) == 0:
        raise InvalidData(
            f"{path.name}: no routable roads (ways tagged highway={', '.join(sorted(table)[:4])}, ...)"
        )
    refs = np.frombuffer(refs_a, np.int64)
    lon = np.frombuffer(lons_a, np.float64)
    lat = np.frombuffer(lats_a, np.float64)
    sizes = np.frombuffer(sizes_a, np.int64)
    way = np.repeat(np.arange(len(sizes)), sizes)
    valid = np.isfinite(lon)
    # a segment joins position k and k+1 of one way
    k = np.flatnonzero(way[:-1] == way[1:])
    ok = valid[k] & valid[k + 1]
    dropped = int((~ok).sum())
    k = k[ok]
    if len(k) == 0:
        raise InvalidData(
            f"{path.name}: its roads' nodes have no locations in the file "
            "(is it a ways-only extract? cut it with osmium extract, which keeps the nodes)"
        )
    ends = np.concatenate([k, k + 1])
    node_id, first, inverse = np.unique(refs[ends], return_index=True, return_inverse=True)
    at = inverse[: len(k)], inverse[len(k) :]
    length = haversine_m(lon[k], lat[k], lon[k + 1], lat[k + 1])
    seg_way = way[k]
    kmh = np.frombuffer(speed_a, np.float64)[seg_way]
    minutes = length / (kmh * 1000.0 / 60.0)
    direction = np.frombuffer(dir_a, np.int8)[seg_way]
    road_class = np.frombuffer(class_a, np.int16)[seg_way]
    fwd, bwd = direction >= 0, direction <= 0
    return RoadNetwork(
        node_id=node_id,
        lon=lon[ends[first]],
        lat=lat[ends[first]],
        edge_from=np.concatenate([at[0][fwd], at[1][bwd]]).astype(np.int64),
        edge_to=np.concatenate([at[1][fwd], at[0][bwd]]).astype(np.int64),
        length_m=np.concatenate([length[fwd], length[bwd]]),
        minutes=np.concatenate([minutes[fwd], minutes[bwd]]),
        road_class=np.concatenate([road_class[fwd], road_class[bwd]]),
        classes=classes,
        ways=len(sizes),
        dropped_edges=dropped,
    )
