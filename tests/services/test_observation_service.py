"""Observations: nothing is overwritten, files import whole or not at all, templates read back."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng.domain.errors import InvalidData, NotFound, PermissionDenied
from minsheng.domain.observations import Observation
from minsheng.domain.regions import Level
from minsheng.domain.users import Role
from minsheng.ingest.observations.workbooks import read_observation_rows
from minsheng.services.observations import (
    add_observation,
    add_observations,
    correct_observation,
    history,
    import_observations,
    make_template,
)
from minsheng.services.plans import load_plan_for_evaluation, save_extracted_plan
from minsheng.services.regions import search_regions

HEADER = ["indicator", "region", "year", "value", "unit", "source", "note"]


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def stored_plan(seeded_db, plan_factory):  # noqa: ANN201
    return save_extracted_plan(seeded_db, plan_factory())


def names(stored_plan) -> list[str]:  # noqa: ANN001
    return [i.name for i in stored_plan.plan.indicators]


def test_correcting_an_observation_keeps_the_earlier_version(seeded_db, stored_plan) -> None:
    name = names(stored_plan)[0]
    first = add_observation(seeded_db, name, "510000", 2021, 91.0, "alice", plan=stored_plan.id)
    second = correct_observation(
        seeded_db, name, "510000", 2021, 91.5, "bob", plan=stored_plan.id, note="typo"
    )

    versions = history(seeded_db, name, "510000", 2021, plan=stored_plan.id)
    assert [(v.version, v.value, v.entered_by) for v in versions] == [
        (1, 91.0, "alice"),
        (2, 91.5, "bob"),
    ]
    assert versions[0].id == first.id and versions[1].id == second.id
    assert versions[1].note == "typo"
    _, frame = load_plan_for_evaluation(seeded_db, stored_plan.id)
    assert frame.filter(frame["indicator"] == name)["value"].to_list() == [91.5]


def test_correcting_a_value_that_was_never_entered_is_refused(seeded_db, stored_plan) -> None:
    with pytest.raises(NotFound):
        correct_observation(
            seeded_db, names(stored_plan)[0], "510000", 2022, 50.0, "bob", plan=stored_plan.id
        )


def test_a_file_imports_and_a_corrected_re_import_adds_versions(
    seeded_db, stored_plan, tmp_path
) -> None:
    a, b = names(stored_plan)[:2]
    rows = [[a, "510000", 2021, 91, "%", "bulletin", ""], [b, "510100", 2021, 95.5, "%", "", ""]]
    result = import_observations(seeded_db, write_csv(tmp_path / "obs.csv", rows), "alice")
    assert (result.plan_id, result.added, result.corrected, result.unchanged) == (
        stored_plan.id,
        2,
        0,
        0,
    )

    rows[1][3] = 95.8  # a corrected value
    again = import_observations(
        seeded_db, write_csv(tmp_path / "obs2.csv", rows), "alice", plan=stored_plan.id
    )
    assert (again.added, again.corrected, again.unchanged) == (0, 1, 1)

    versions = history(seeded_db, b, "510100", 2021, plan=stored_plan.id)
    assert [v.value for v in versions] == [95.5, 95.8]
    assert [v.value for v in history(seeded_db, a, "510000", 2021, plan=stored_plan.id)] == [91.0]


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(
    seeded_db, stored_plan, tmp_path
) -> None:
    a, b = names(stored_plan)[:2]
    rows = [
        [a, "510000", 2021, 91, "", "", ""],
        [b, "510000", 2021, "ninety", "", "", ""],
        [b, "510100", 2022, 96, "", "", ""],
    ]
    with pytest.raises(InvalidData) as caught:
        import_observations(
            seeded_db, write_csv(tmp_path / "bad.csv", rows), "alice", plan=stored_plan.id
        )
    assert "nothing was imported" in caught.value.message
    assert [p.row for p in caught.value.problems if p.severity == "error"] == [3]
    _, frame = load_plan_for_evaluation(seeded_db, stored_plan.id)
    assert frame.height == 0


def test_a_workbooks_problems_are_listed_sheet_by_sheet_then_by_row(
    seeded_db, stored_plan, tmp_path
) -> None:
    """One sheet a year, the later year first: the region check the import adds after the
    rows are validated found the 2022 sheet's problem last; it is listed first, as the
    workbook has it, and each problem names its sheet."""
    import openpyxl

    a = names(stored_plan)[0]
    book = openpyxl.Workbook()
    later, earlier = book.active, book.create_sheet()
    later.title, earlier.title = "2022", "2021"
    for ws, rows in (
        (later, [["510100", 91], ["110000", 92]]),  # row 4: outside the plan's region
        (earlier, [["510000", "ninety"], ["510100", 90]]),  # row 3: not a number
    ):
        ws.append(["行政区划代码", a])
        ws.append(["单位", "%"])
        for r in rows:
            ws.append(r)
    path = tmp_path / "two-years.xlsx"
    book.save(path)
    with pytest.raises(InvalidData) as caught:
        import_observations(seeded_db, path, "alice", plan=stored_plan.id)
    found = [(p.sheet, p.row, p.field) for p in caught.value.problems if p.severity == "error"]
    assert found == [("2022", 4, "region"), ("2021", 3, a)]


def test_unknown_region_and_year_outside_the_plan_are_errors(
    seeded_db, stored_plan, tmp_path
) -> None:
    a = names(stored_plan)[0]
    rows = [[a, "999999", 2021, 91, "", "", ""], [a, "510000", 2031, 91, "", "", ""]]
    with pytest.raises(InvalidData) as caught:
        import_observations(
            seeded_db, write_csv(tmp_path / "bad.csv", rows), "alice", plan=stored_plan.id
        )
    fields = {(p.row, p.field) for p in caught.value.problems}
    assert {(2, "region"), (3, "year")} <= fields


def test_a_tenfold_jump_against_the_store_is_a_warning_not_a_refusal(
    seeded_db, stored_plan, tmp_path
) -> None:
    name = names(stored_plan)[2]  # a count per thousand people
    add_observation(seeded_db, name, "510000", 2021, 2.0, "alice", plan=stored_plan.id)
    result = import_observations(
        seeded_db,
        write_csv(tmp_path / "jump.csv", [[name, "510000", 2022, 25, "", "", ""]]),
        "alice",
    )
    assert result.added == 1
    assert any("2021" in p.message for p in result.warnings)


def test_load_plan_for_evaluation_keeps_only_the_latest_version(seeded_db, stored_plan) -> None:
    a, b = names(stored_plan)[:2]
    obs = [
        Observation(a, "510000", 2021, 90.5),
        Observation(a, "510000", 2022, 91.0),
        Observation(b, "510100", 2021, 95.0, synthetic=True),
    ]
    assert add_observations(seeded_db, stored_plan.id, obs, "demo") == (3, 0, 0)
    assert add_observations(
        seeded_db, stored_plan.id, [Observation(a, "510000", 2022, 91.2)], "demo"
    ) == (0, 1, 0)
    plan, frame = load_plan_for_evaluation(seeded_db, stored_plan.id)
    assert plan.metadata.title == stored_plan.plan.metadata.title
    assert frame.columns[:4] == ["indicator", "region", "year", "value"]
    got = sorted(
        zip(
            frame["indicator"],
            frame["region"],
            frame["year"],
            frame["value"],
            frame["synthetic"],
            strict=True,
        )
    )
    assert got == sorted(
        [
            (a, "510000", 2021, 90.5, False),
            (a, "510000", 2022, 91.2, False),
            (b, "510100", 2021, 95.0, True),
        ]
    )


def test_catalogue_values_fill_in_for_mapped_plan_indicators(seeded_db, stored_plan) -> None:
    mapped = stored_plan.plan.indicators[0]
    assert mapped.canonical_code
    add_observations(
        seeded_db, None, [Observation(mapped.canonical_code, "510000", 2023, 93.0)], "statistics"
    )
    add_observations(
        seeded_db, stored_plan.id, [Observation(mapped.name, "510000", 2024, 94.0)], "county"
    )
    _, frame = load_plan_for_evaluation(seeded_db, stored_plan.id)
    rows = frame.filter(frame["indicator"] == mapped.name)
    assert sorted(zip(rows["year"], rows["value"], strict=True)) == [(2023, 93.0), (2024, 94.0)]


def test_template_round_trips_through_the_reader(seeded_db, stored_plan, tmp_path) -> None:
    path = make_template(
        seeded_db, stored_plan.id, ["510000", "510100"], [2021, 2022], tmp_path / "t.xlsx", "long"
    )
    assert path.exists()
    # An empty template has no values; the reader returns nothing to import.
    assert read_observation_rows(path) == []
    wide = make_template(seeded_db, stored_plan.id, None, None, tmp_path / "w.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(wide, read_only=True)
    assert [s for s in book.sheetnames if s.strip().isdigit()] == [
        str(y) for y in range(2021, 2026)
    ]


def test_template_refuses_an_unknown_region(seeded_db, stored_plan, tmp_path) -> None:
    with pytest.raises(InvalidData, match="nowhere"):
        make_template(seeded_db, stored_plan.id, ["nowhere"], [2021], tmp_path / "t.xlsx")


def test_a_reporter_enters_data_only_for_their_region(seeded_db, stored_plan) -> None:
    from minsheng.services.users import create_user

    create_user(seeded_db, "reporter1", "s3cret-pass", Role.REPORTER, region="510100")
    create_user(seeded_db, "reader", "s3cret-pass", Role.PUBLIC)
    name = names(stored_plan)[0]
    add_observation(seeded_db, name, "510104", 2021, 90.0, "reporter1", plan=stored_plan.id)
    with pytest.raises(PermissionDenied):
        add_observation(seeded_db, name, "510000", 2021, 90.0, "reporter1", plan=stored_plan.id)
    with pytest.raises(PermissionDenied):
        add_observation(seeded_db, name, "510104", 2021, 90.0, "reader", plan=stored_plan.id)


def test_status_changes_are_versions_too(seeded_db, stored_plan) -> None:
    from minsheng.services.observations import change_status
    from minsheng.services.users import create_user

    create_user(seeded_db, "analyst", "pw-123456", Role.ANALYST)
    create_user(seeded_db, "county", "pw-123456", Role.REPORTER, region="510000")
    name = names(stored_plan)[0]
    add_observation(seeded_db, name, "510000", 2021, 90.0, "county", plan=stored_plan.id)
    with pytest.raises(PermissionDenied):
        change_status(seeded_db, name, "510000", 2021, "approved", "county", plan=stored_plan.id)
    approved = change_status(
        seeded_db, name, "510000", 2021, "approved", "analyst", plan=stored_plan.id
    )
    assert (approved.version, approved.value, approved.status.value) == (2, 90.0, "approved")
    versions = history(seeded_db, name, "510000", 2021, plan=stored_plan.id)
    assert [(v.status.value, v.entered_by) for v in versions] == [
        ("submitted", "county"),
        ("approved", "analyst"),
    ]


_fresh_region = itertools.count()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(
        st.floats(min_value=2, max_value=99, allow_nan=False).map(lambda v: round(v, 2)),
        min_size=1,
        max_size=5,
    )
)
def test_history_keeps_every_distinct_value_in_order(
    seeded_db, stored_plan, values: list[float]
) -> None:
    """Append-only as a property: whatever is written, every change is kept and the last one wins."""
    counties = [h.region.code for h in search_regions(seeded_db, level="county", under="510000")]
    region = counties[next(_fresh_region) % len(counties)]  # a key no earlier example touched
    name = stored_plan.plan.indicators[2].name
    before = history(seeded_db, name, region, 2022, plan=stored_plan.id)
    for value in values:
        add_observations(
            seeded_db, stored_plan.id, [Observation(name, region, 2022, value)], "prop"
        )
    start = before[-1].value if before else None
    expected = [v for i, v in enumerate(values) if v != (values[i - 1] if i else start)]
    got = history(seeded_db, name, region, 2022, plan=stored_plan.id)[len(before) :]
    assert [v.value for v in got] == expected
    assert [v.version for v in got] == list(range(len(before) + 1, len(before) + len(expected) + 1))
    _, frame = load_plan_for_evaluation(seeded_db, stored_plan.id)
    latest = frame.filter(frame["region"] == region)["value"].to_list()
    assert latest == [expected[-1] if expected else start]


def test_without_a_plan_the_most_local_fitting_plan_is_chosen(
    seeded_db, plan_factory, tmp_path
) -> None:
    province = save_extracted_plan(seeded_db, plan_factory("510000", "省级规划"))
    city = save_extracted_plan(seeded_db, plan_factory("510100", "市级规划"))
    name = names(province)[0]  # the same wording in both plans
    local = import_observations(
        seeded_db,
        write_csv(tmp_path / "city.csv", [[name, "510104", 2021, 91, "", "", ""]]),
        "alice",
    )
    assert local.plan_id == city.id
    wide = import_observations(
        seeded_db,
        write_csv(
            tmp_path / "prov.csv",
            [[name, "510104", 2022, 91, "", "", ""], [name, "510300", 2022, 90, "", "", ""]],
        ),
        "alice",
    )
    assert wide.plan_id == province.id
    elsewhere = write_csv(tmp_path / "other.csv", [[name, "110101", 2022, 91, "", "", ""]])
    with pytest.raises(InvalidData, match="--plan"):
        import_observations(seeded_db, elsewhere, "alice")


def test_the_catalogue_can_be_addressed_explicitly(seeded_db, stored_plan) -> None:
    from minsheng.services.observations import CATALOGUE

    mapped = stored_plan.plan.indicators[0]
    stored = add_observation(seeded_db, mapped.name, "510000", 2022, 92.0, "stats", plan=CATALOGUE)
    assert stored.key.canonical_id is not None and stored.key.plan_indicator_id is None


def test_a_county_reporter_cannot_report_for_a_neighbour_sharing_digits(
    seeded_db, stored_plan
) -> None:
    from minsheng.data.divisions import divisions_by_code
    from minsheng.services.users import create_user

    tree = divisions_by_code()
    # A county whose code ends in 0 next to one that differs only in the last digit.
    county, neighbour = next(
        (c, c[:5] + d)
        for c, r in sorted(tree.items())
        if r.level is Level.COUNTY and c.endswith("0")
        for d in "123456789"
        if c[:5] + d in tree
    )
    create_user(seeded_db, "county", "pw-123456", Role.REPORTER, region=county)
    name = names(stored_plan)[0]
    add_observation(seeded_db, name, county, 2021, 90.0, "county", plan=stored_plan.id)
    with pytest.raises(PermissionDenied):
        add_observation(seeded_db, name, neighbour, 2021, 90.0, "county", plan=stored_plan.id)
