"""Small OSM files for the road-network tests, written with pyosmium under ``tmp_path``.

Coordinates sit near the equator so that hand arithmetic holds: along a meridian a road
of ``m`` metres spans ``m / R`` radians of latitude, along the equator as much longitude.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import osmium

R = 6_371_008.8  # the reader's sphere
LON0 = 100.0


def lon_of(x_m: float) -> float:
    return LON0 + math.degrees(x_m / R)


def lat_of(y_m: float) -> float:
    return math.degrees(y_m / R)


Way = tuple[Sequence[int], Mapping[str, str]]


def write_osm(
    path: Path,
    nodes: Mapping[int, tuple[float, float]],
    ways: Sequence[Way],
) -> Path:
    """Nodes ``id -> (x_m, y_m)`` (metres east of ``LON0`` and north of the equator) and ways."""
    writer = osmium.SimpleWriter(str(path), overwrite=True)
    try:
        for nid in sorted(nodes):
            x, y = nodes[nid]
            writer.add_node(osmium.osm.mutable.Node(id=nid, location=(lon_of(x), lat_of(y))))
        for k, (refs, tags) in enumerate(ways, start=1):
            writer.add_way(osmium.osm.mutable.Way(id=k, nodes=list(refs), tags=dict(tags)))
    finally:
        writer.close()
    return path


def grid_ways(
    nx: int, ny: int, spacing_m: float, highway: str = "residential"
) -> tuple[dict[int, tuple[float, float]], list[Way]]:
    """An ``nx`` by ``ny`` street grid: node ``1 + i + nx*j`` at ``(i, j) * spacing_m``."""
    nodes = {1 + i + nx * j: (i * spacing_m, j * spacing_m) for j in range(ny) for i in range(nx)}
    ways: list[Way] = [
        ([1 + i + nx * j for i in range(nx)], {"highway": highway}) for j in range(ny)
    ]
    ways += [([1 + i + nx * j for j in range(ny)], {"highway": highway}) for i in range(nx)]
    return nodes, ways
