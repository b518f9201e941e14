"""The one region resolver is kept between writes, and sees every change of the tree at once."""

from __future__ import annotations

import pytest

from minsheng.domain.errors import NotFound
from minsheng.domain.regions import Level, Region
from minsheng.services.regions import add_regions, region_index, resolve_region, retire_region


def test_the_resolver_is_kept_while_the_tree_is_unchanged(seeded_db) -> None:  # noqa: ANN001
    with seeded_db.session() as session:
        first = region_index(session)
    with seeded_db.session() as session:
        assert region_index(session) is first


def test_a_region_added_or_retired_is_seen_at_once(seeded_db) -> None:  # noqa: ANN001
    with pytest.raises(NotFound):
        resolve_region(seeded_db, "鹊桥新区")
    old = resolve_region(seeded_db, "510104")
    add_regions(seeded_db, [Region("510199", "鹊桥新区", Level.COUNTY, old.parent_code, 2024)])
    assert resolve_region(seeded_db, "鹊桥新区").code == "510199"
    assert resolve_region(seeded_db, "510104").code == "510104"  # still current
    retire_region(seeded_db, "510104", 2023, successor_code="510199")
    assert resolve_region(seeded_db, "510104").code == "510199"  # now read as its successor
