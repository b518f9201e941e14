"""Travel times over an OSM road network for the accessibility use cases.

Why a module of its own: reading the ``.pbf`` (``ingest.road_network``) and routing
(``analytics.access.network``) are joined here, once, for 2SFCA/E2SFCA and coverage,
which then use the same cost-table kernels as a user's own ``origin,destination,cost``
table. Points must be lon/lat (the network is); they share the demand/supply projection,
snap to the largest connected part of the network, and -- given a walking speed -- walk
the snapping distance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # heavy libraries load when a function needs them (start-up)
    from scipy.sparse import csr_matrix

from minsheng.analytics.access.geometry import LocalProjection
from minsheng.analytics.access.network import (
    NetworkCosts,
    Snap,
    largest_component,
    least_network_cost,
    network_costs,
    road_graph,
    snap_to_nodes,
)
from minsheng.domain.errors import InvalidData
from minsheng.ingest.spatial.facilities import PointTable
from minsheng.ingest.spatial.road_network import (
    WALK_SPEED_KMH,
    Profile,
    RoadNetwork,
    parse_speeds,
    read_road_network,
)

Progress = Callable[[str], None] | None


@dataclass(frozen=True)
class RoadOptions:
    """How to turn roads into minutes.

    ``walk_speed`` (km/h) is the speed of the leg between a point and its road node (no
    time for it when None) and, with ``profile='walk'``, of the roads themselves.
    ``max_snap_m``: points farther than this from any road reach nothing.
    """

    profile: Profile = "drive"
    speeds: Mapping[str, float] = field(default_factory=dict)
    walk_speed: float | None = None
    max_snap_m: float = np.inf

    @property
    def access_kmh(self) -> float | None:
        if self.walk_speed is None and self.profile == "walk":
            return WALK_SPEED_KMH
        return self.walk_speed


def road_options(
    profile: str = "drive",
    walk_speed: float | None = None,
    speeds: str | None = None,
    max_snap_m: float | None = None,
) -> RoadOptions:
    """Options from a face's text and numbers, checked (``speeds`` as ``primary=50,...``)."""
    if profile not in ("drive", "walk"):
        raise InvalidData(f"road profile takes drive or walk, not {profile!r}")
    if walk_speed is not None and not walk_speed > 0:
        raise InvalidData(f"walking speed must be a positive km/h, not {walk_speed}")
    if max_snap_m is not None and not max_snap_m > 0:
        raise InvalidData(f"snapping limit must be a positive number of metres, not {max_snap_m}")
    return RoadOptions(
        profile="walk" if profile == "walk" else "drive",
        speeds=parse_speeds(speeds),
        walk_speed=walk_speed,
        max_snap_m=max_snap_m if max_snap_m is not None else np.inf,
    )


@dataclass(frozen=True)
class RoadSummary:
    """What the routing saw: network size and how far points were from the roads."""

    nodes: int
    edges: int
    demand_snap_m: np.ndarray
    supply_snap_m: np.ndarray

    def snap_line(self) -> str:
        d = self.demand_snap_m[np.isfinite(self.demand_snap_m)]
        off = int((~np.isfinite(self.demand_snap_m)).sum())
        text = f"road network: {self.nodes:,} nodes, {self.edges:,} edges"
        if len(d):
            text += (
                f"; demand points snapped to roads: median {np.median(d):,.0f} m, "
                f"95th percentile {np.percentile(d, 95):,.0f} m"
            )
        many = "s" if off != 1 else ""
        return text + (f"; {off:,} point{many} farther than the snapping limit" if off else "")


@dataclass(frozen=True)
class Routed:
    graph: csr_matrix  # minutes on directed edges
    node_xy: tuple[np.ndarray, np.ndarray]  # projected metres
    demand: Snap
    supply: Snap
    summary: RoadSummary


def _say(progress: Progress, phase: str) -> None:
    if progress is not None:
        progress(phase)


def route_setup(
    network_path: str | Path,
    demand: PointTable,
    supply: PointTable,
    projection: LocalProjection | None,
    options: RoadOptions,
    progress: Progress = None,
) -> Routed:
    """Read the network, build the graph over minutes and snap both point sets to it."""
    if projection is None or demand.coords != "lonlat" or supply.coords != "lonlat":
        raise InvalidData(
            f"--network needs lon/lat points (the road network is in degrees); "
            f"{Path(demand.path).name} and {Path(supply.path).name} are in projected metres"
        )
    _say(progress, "reading road network")
    net: RoadNetwork = read_road_network(
        network_path,
        profile=options.profile,
        speeds=options.speeds,
        walk_speed=options.walk_speed or WALK_SPEED_KMH,
    )
    graph = road_graph(net.n_nodes, net.edge_from, net.edge_to, net.minutes)
    nx, ny = projection.forward(net.lon, net.lat)
    allowed = largest_component(graph)
    dx, dy = projection.forward(demand.a, demand.b)
    sx, sy = projection.forward(supply.a, supply.b)
    d = snap_to_nodes(nx, ny, dx, dy, allowed=allowed, max_snap_m=options.max_snap_m)
    s = snap_to_nodes(nx, ny, sx, sy, allowed=allowed, max_snap_m=options.max_snap_m)
    summary = RoadSummary(net.n_nodes, net.n_edges, d.distance_m, s.distance_m)
    return Routed(graph, (nx, ny), d, s, summary)


def travel_costs(
    routed: Routed, cutoff: float, options: RoadOptions, progress: Progress = None
) -> NetworkCosts:
    """Every (demand, facility) pair within ``cutoff`` minutes, as a cost table."""

    def tell(done: int, total: int) -> None:
        _say(progress, f"routing ({done:,}/{total:,} facilities)")

    tell(0, int((routed.supply.node >= 0).sum()))
    return network_costs(
        routed.graph,
        routed.demand,
        routed.supply,
        cutoff,
        node_xy=routed.node_xy,
        walk_kmh=options.access_kmh,
        on_chunk=tell,
    )


def least_minutes(
    routed: Routed, cutoff: float, options: RoadOptions, progress: Progress = None
) -> np.ndarray:
    """Each demand point's least time to a facility (``inf`` beyond ``cutoff``)."""
    _say(progress, "routing (all facilities at once)")
    return least_network_cost(
        routed.graph,
        routed.demand,
        routed.supply,
        cutoff,
        walk_kmh=options.access_kmh,
    )
