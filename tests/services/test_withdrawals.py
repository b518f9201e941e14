"""Withdrawing a stored value: a version on record, and from then on no reader counts the value."""

from __future__ import annotations

import pytest

from minsheng.domain.errors import Conflict, InvalidData, NotFound, PermissionDenied
from minsheng.domain.observations import Observation, ObservationStatus
from minsheng.domain.users import Role
from minsheng.services.observations import (
    add_observation,
    add_observations,
    change_status,
    correct_observation,
    history,
)
from minsheng.services.plans import (
    load_plan_for_evaluation,
    load_plan_observations,
    save_extracted_plan,
)
from minsheng.services.results import observations_mark, plan_results
from minsheng.services.withdrawals import withdraw_observation, withdraw_value
from minsheng.store.repositories import observations as repo

NAME = "学前教育毛入园率"


@pytest.fixture
def plan(seeded_db, plan_factory):  # noqa: ANN001, ANN201 - a StoredPlan with three years of values
    stored = save_extracted_plan(seeded_db, plan_factory())
    code = stored.plan.metadata.region_code
    add_observations(
        seeded_db,
        stored.id,
        [Observation(NAME, code, y, v) for y, v in ((2021, 90.5), (2022, 91.0), (2023, 92.5))],
        user=None,
    )
    return stored


def _values(db, plan, **kwargs) -> dict[int, float]:  # noqa: ANN001 - year → value the evaluation reads
    _, frame = load_plan_for_evaluation(db, plan.id, **kwargs)
    rows = frame.filter(frame["indicator"] == NAME)
    return dict(zip(rows["year"].to_list(), rows["value"].to_list(), strict=True))


def test_a_withdrawn_value_is_read_by_no_one_and_stays_in_the_history(seeded_db, plan) -> None:
    code = plan.plan.metadata.region_code
    assert _values(seeded_db, plan) == {2021: 90.5, 2022: 91.0, 2023: 92.5}
    gone = withdraw_observation(
        seeded_db, NAME, code, 2023, "wang", plan=plan.id, reason="imported under the wrong region"
    )
    assert gone.withdrawn and gone.version == 2
    assert _values(seeded_db, plan) == {2021: 90.5, 2022: 91.0}
    for bulk in (True, False):  # the packed SQLite scan and the row-by-row one alike
        _, frame = load_plan_for_evaluation(seeded_db, plan.id, bulk=bulk)
        assert 2023 not in frame.filter(frame["indicator"] == NAME)["year"].to_list()
    # the one-region reader of reports (with provenance) agrees
    _, one, _ = load_plan_observations(seeded_db, plan.id, region=code, provenance=True)
    assert 2023 not in one.filter(one["indicator"] == NAME)["year"].to_list()
    versions = history(seeded_db, NAME, code, 2023, plan=plan.id)
    assert [(v.version, v.value, v.withdrawn, v.entered_by, v.note) for v in versions] == [
        (1, 92.5, False, None, None),
        (2, 92.5, True, "wang", "imported under the wrong region"),
    ]
    assert versions[1].entered_at is not None
    with seeded_db.session() as session:
        key = versions[0].key
        assert repo.current_values(session, [key]) == {}
        assert repo.latest_versions(session, [key])[key].withdrawn


def test_a_withdrawn_value_can_be_entered_again(seeded_db, plan) -> None:
    code = plan.plan.metadata.region_code
    withdraw_observation(seeded_db, NAME, code, 2023, None, plan=plan.id, reason="wrong year")
    # the same figure entered again is a value anew, not "unchanged"
    added, corrected, unchanged = add_observations(
        seeded_db, plan.id, [Observation(NAME, code, 2023, 92.5)], user="wang"
    )
    assert (added, corrected, unchanged) == (1, 0, 0)
    assert _values(seeded_db, plan)[2023] == 92.5
    again = add_observation(seeded_db, NAME, code, 2022, 93.0, "wang", plan=plan.id)
    assert not again.withdrawn
    withdraw_observation(seeded_db, NAME, code, 2022, None, plan=plan.id, reason="wrong year")
    add_observation(seeded_db, NAME, code, 2022, 94.0, "wang", plan=plan.id)
    assert _values(seeded_db, plan) == {2021: 90.5, 2022: 94.0, 2023: 92.5}
    assert [v.withdrawn for v in history(seeded_db, NAME, code, 2022, plan=plan.id)] == [
        False, False, True, False,
    ]  # fmt: skip


def test_nothing_left_to_withdraw_correct_or_move_after_a_withdrawal(seeded_db, plan) -> None:
    code = plan.plan.metadata.region_code
    with pytest.raises(NotFound, match="to withdraw"):
        withdraw_observation(seeded_db, NAME, code, 2024, None, plan=plan.id, reason="x")
    withdraw_observation(seeded_db, NAME, code, 2023, None, plan=plan.id, reason="wrong region")
    with pytest.raises(NotFound, match="to withdraw"):
        withdraw_observation(seeded_db, NAME, code, 2023, None, plan=plan.id, reason="twice")
    with pytest.raises(NotFound):
        correct_observation(seeded_db, NAME, code, 2023, 95.0, None, plan=plan.id, reason="x")
    with pytest.raises(NotFound):
        change_status(seeded_db, NAME, code, 2023, "published", None, plan=plan.id)
    assert len(history(seeded_db, NAME, code, 2023, plan=plan.id)) == 2


def test_a_withdrawal_says_why(seeded_db, plan) -> None:
    code = plan.plan.metadata.region_code
    for reason in (None, "   "):
        with pytest.raises(InvalidData, match="reason"):
            withdraw_observation(seeded_db, NAME, code, 2023, None, plan=plan.id, reason=reason)
    assert _values(seeded_db, plan)[2023] == 92.5


def test_whoever_may_correct_may_withdraw_and_no_one_else(seeded_db, plan) -> None:
    from minsheng.services.users import create_user

    code = plan.plan.metadata.region_code  # the sample plan's province
    create_user(seeded_db, "county", "pw-123456", Role.REPORTER, region="510104")
    create_user(seeded_db, "province", "pw-123456", Role.REPORTER, region=code)
    create_user(seeded_db, "reader", "pw-123456", Role.PUBLIC)
    create_user(seeded_db, "analyst", "pw-123456", Role.ANALYST)
    for who in ("county", "reader"):  # another region's reporter; a role that enters nothing
        with pytest.raises(PermissionDenied):
            withdraw_observation(seeded_db, NAME, code, 2023, who, plan=plan.id, reason="x")
    # an approved value is a reviewer's to correct, so to withdraw
    change_status(seeded_db, NAME, code, 2023, "approved", "analyst", plan=plan.id)
    with pytest.raises(PermissionDenied):
        withdraw_observation(seeded_db, NAME, code, 2023, "province", plan=plan.id, reason="x")
    assert _values(seeded_db, plan)[2023] == 92.5
    withdraw_observation(seeded_db, NAME, code, 2022, "province", plan=plan.id, reason="x")
    withdraw_observation(seeded_db, NAME, code, 2023, "analyst", plan=plan.id, reason="x")
    assert _values(seeded_db, plan) == {2021: 90.5}


def test_a_published_value_withdrawn_leaves_the_published_view(seeded_db, plan) -> None:
    code = plan.plan.metadata.region_code
    for status in ("approved", "published"):
        change_status(seeded_db, NAME, code, 2023, status, None, plan=plan.id)
    assert _values(seeded_db, plan, published_only=True) == {2023: 92.5}
    mark = observations_mark(seeded_db, published_only=True)
    gone = withdraw_observation(seeded_db, NAME, code, 2023, None, plan=plan.id, reason="x")
    assert gone.status is ObservationStatus.PUBLISHED  # as a correction keeps it
    assert observations_mark(seeded_db, published_only=True) > mark
    assert _values(seeded_db, plan, published_only=True) == {}
    # entered again, it is no published value until it is published again
    add_observation(seeded_db, NAME, code, 2023, 92.0, None, plan=plan.id)
    assert _values(seeded_db, plan, published_only=True) == {}
    assert _values(seeded_db, plan)[2023] == 92.0


def test_a_withdrawal_after_a_published_version_changes_the_published_mark(seeded_db, plan) -> None:
    """Published, then moved back to submitted: the public still reads the published version,
    and the withdrawal (submitted, like the value) must still reach the public's results."""
    code = plan.plan.metadata.region_code
    for status in ("approved", "published", "submitted"):
        change_status(seeded_db, NAME, code, 2023, status, None, plan=plan.id)
    assert _values(seeded_db, plan, published_only=True) == {2023: 92.5}
    mark = observations_mark(seeded_db, published_only=True)
    gone = withdraw_observation(seeded_db, NAME, code, 2023, None, plan=plan.id, reason="x")
    assert gone.status is ObservationStatus.SUBMITTED
    assert observations_mark(seeded_db, published_only=True) > mark
    assert _values(seeded_db, plan, published_only=True) == {}


def test_a_withdrawal_refreshes_the_kept_results(seeded_db, plan) -> None:
    code = plan.plan.metadata.region_code
    first = {r.indicator: r for r in plan_results(seeded_db, plan.id, 2023, regions=[code])}
    assert (first[NAME].value, first[NAME].value_year) == (92.5, 2023)
    mark = observations_mark(seeded_db)
    withdraw_observation(seeded_db, NAME, code, 2023, None, plan=plan.id, reason="wrong region")
    assert observations_mark(seeded_db) > mark
    second = {r.indicator: r for r in plan_results(seeded_db, plan.id, 2023, regions=[code])}
    assert second[NAME].record_id > first[NAME].record_id
    assert second[NAME].value_year != 2023 and second[NAME].value != 92.5


def test_the_reporting_cycle_withdraws_as_it_corrects(seeded_db, plan) -> None:
    from minsheng.services.reporting import visible_values
    from minsheng.services.users import create_user, get_user

    code = "510104"
    create_user(seeded_db, "county", "pw-123456", Role.REPORTER, region=code)
    create_user(seeded_db, "analyst", "pw-123456", Role.ANALYST)
    county, analyst = get_user(seeded_db, "county"), get_user(seeded_db, "analyst")
    add_observation(seeded_db, NAME, code, 2023, 88.0, "county", plan=plan.id,
                    status=ObservationStatus.DRAFT)  # fmt: skip
    add_observation(seeded_db, NAME, code, 2022, 87.0, "county", plan=plan.id)  # submitted
    with pytest.raises(InvalidData):
        withdraw_value(seeded_db, county, NAME, code, 2023, reason="", plan=plan.id)
    with pytest.raises(Conflict):  # a submitted value: the analyst's, or returned first
        withdraw_value(seeded_db, county, NAME, code, 2022, reason="x", plan=plan.id)
    done = withdraw_value(seeded_db, county, NAME, code, 2023, reason="wrong county", plan=plan.id)
    assert (done.withdrawn, done.version, done.note) == (True, 2, "wrong county")
    withdraw_value(seeded_db, analyst, NAME, code, 2022, reason="wrong county", plan=plan.id)
    for who in (county, analyst, None):
        assert visible_values(seeded_db, who, region=code) == []
    with pytest.raises(NotFound):
        withdraw_value(seeded_db, analyst, NAME, code, 2022, reason="again", plan=plan.id)
