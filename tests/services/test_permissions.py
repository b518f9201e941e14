"""Who may do what with observations: every service × every role × regions in and out of scope.

The expected answers come from the rules as the issue states them, written here as a
table, not from the code under test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from minsheng.domain.errors import InvalidData, PermissionDenied
from minsheng.domain.observations import ObservationStatus
from minsheng.domain.users import Role
from minsheng.services.observations import (
    add_observation,
    change_status,
    correct_observation,
    history,
    import_observations,
)
from minsheng.services.permissions import Grant, actor
from minsheng.services.plans import save_extracted_plan
from minsheng.services.users import create_user
from minsheng.store.database import Database

INDICATOR = "学前教育毛入园率"
PROVINCE, COUNTY_IN_CITY, OTHER_CITY = "510000", "510104", "510300"  # city of the reporter: 510100

# username → (role, region) — "ghost" has no account
USERS = {
    "admin": (Role.ADMIN, None),
    "national_analyst": (Role.ANALYST, None),
    "province_analyst": (Role.ANALYST, "510000"),
    "other_analyst": (Role.ANALYST, "500000"),
    "city_reporter": (Role.REPORTER, "510100"),
    "evaluator": (Role.EVALUATOR, None),
    "public": (Role.PUBLIC, None),
    "ghost": None,
}
UNDER = {  # which of the three regions lie in each scope
    None: {PROVINCE, COUNTY_IN_CITY, OTHER_CITY},
    "510000": {PROVINCE, COUNTY_IN_CITY, OTHER_CITY},
    "500000": set(),
    "510100": {COUNTY_IN_CITY},
}
ENTRY = {"enter draft", "enter submitted", "import submitted", "correct"}
REVIEW = {"enter published", "import published", "approve", "publish"}


def allowed(username: str, act: str, region: str) -> bool:
    """The rules of issue 8 item 6, stated independently of the implementation."""
    account = USERS[username]
    if account is None:
        return False  # unknown users are refused
    role, scope = account
    if role in (Role.EVALUATOR, Role.PUBLIC):
        return False
    if region not in UNDER[scope]:
        return False
    if act in REVIEW:
        return role in (Role.ADMIN, Role.ANALYST)
    return act in ENTRY


def role_may(username: str, act: str) -> bool:
    """Whether the account's role may do ``act`` at all (somewhere in its scope)."""
    account = USERS[username]
    if account is None or account[0] in (Role.EVALUATOR, Role.PUBLIC):
        return False
    return act not in REVIEW or account[0] in (Role.ADMIN, Role.ANALYST)


@pytest.fixture(scope="module")
def template(
    _seeded_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, plan_factory
) -> Path:
    path = tmp_path_factory.mktemp("permissions") / "db.sqlite"
    shutil.copyfile(_seeded_sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    stored = save_extracted_plan(db, plan_factory())
    for name, account in USERS.items():
        if account is not None:
            create_user(db, name, "pass-word-1", account[0], region=account[1])
    for region in (PROVINCE, COUNTY_IN_CITY, OTHER_CITY):  # entered by the system itself
        add_observation(db, INDICATOR, region, 2021, 91.0, None, plan=stored.id)
    db.dispose()
    return path


def _act(db: Database, act: str, username: str, region: str, tmp: Path) -> None:
    plan = 1
    if act.startswith("enter"):
        status = ObservationStatus(act.split()[1])
        add_observation(db, INDICATOR, region, 2022, 93.0, username, plan=plan, status=status)
    elif act.startswith("import"):
        csv = tmp / "values.csv"
        csv.write_text(f"指标,地区,年份,数值\n{INDICATOR},{region},2023,94\n", encoding="utf-8")
        import_observations(db, csv, username, plan, ObservationStatus(act.split()[1]))
    elif act == "correct":
        correct_observation(db, INDICATOR, region, 2021, 92.0, username, plan, reason="typo")
    elif act == "approve":
        change_status(db, INDICATOR, region, 2021, "approved", username, plan)
    elif act == "publish":
        change_status(db, INDICATOR, region, 2021, "published", username, plan)
    else:
        raise AssertionError(act)


@pytest.mark.parametrize("region", [PROVINCE, COUNTY_IN_CITY, OTHER_CITY])
@pytest.mark.parametrize("username", list(USERS))
@pytest.mark.parametrize("act", sorted(ENTRY | REVIEW))
def test_who_may_do_what(
    act: str, username: str, region: str, template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "db.sqlite"
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    try:
        if allowed(username, act, region):
            _act(db, act, username, region, tmp_path)
            year = 2022 if act.startswith("enter") else 2023 if act.startswith("import") else 2021
            last = history(db, INDICATOR, region, year, 1)[-1]
            assert last.entered_by == username  # who
            assert last.entered_at is not None  # when
        elif act.startswith("import") and role_may(username, act):
            # the role may import, not for this region: the file's mistake, with its row
            with pytest.raises(InvalidData) as err:
                _act(db, act, username, region, tmp_path)
            assert [(p.row, p.field) for p in err.value.problems] == [(2, "region")]
            assert region in err.value.problems[0].message
            assert [v.value for v in history(db, INDICATOR, region, 2021, 1)] == [91.0]
        else:
            with pytest.raises(PermissionDenied):
                _act(db, act, username, region, tmp_path)
            assert [v.value for v in history(db, INDICATOR, region, 2021, 1)] == [91.0]
    finally:
        db.dispose()


def test_a_correction_records_why_and_its_source(template: Path, tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    with pytest.raises(InvalidData, match="reason"):
        correct_observation(db, INDICATOR, COUNTY_IN_CITY, 2021, 92.0, "city_reporter", 1)
    stored = correct_observation(
        db,
        INDICATOR,
        COUNTY_IN_CITY,
        2021,
        92.0,
        "city_reporter",
        1,
        reason="typo in row 3",
        source="county statistics bulletin 2021",
    )
    assert (stored.note, stored.source, stored.entered_by) == (
        "typo in row 3",
        "county statistics bulletin 2021",
        "city_reporter",
    )
    default = correct_observation(
        db, INDICATOR, COUNTY_IN_CITY, 2021, 92.5, "city_reporter", 1, reason="rounding"
    )
    assert default.source == "manual correction"
    db.dispose()


def test_an_account_is_a_set_of_grants(template: Path) -> None:
    """The role model can grow to several regions per account: a rule asks the grants."""
    db = Database(f"sqlite:///{template}")
    with db.session() as session:
        who = actor(session, "city_reporter")
    assert who.grants == (Grant(Role.REPORTER, "510100"),)
    assert who.may([Role.REPORTER], COUNTY_IN_CITY) and not who.may([Role.REPORTER], PROVINCE)
    db.dispose()


def test_a_single_user_installation_acts_as_its_administrator(seeded_db) -> None:  # noqa: ANN001
    with seeded_db.session() as session:
        assert actor(session, "operator").grants == (Grant(Role.ADMIN),)


def test_an_upload_lists_a_region_not_the_users_with_its_row_among_the_others(
    template: Path, tmp_path: Path
) -> None:
    """The upload was refused in one line naming the region but no row, and the file's other
    mistakes showed only on the next upload."""
    from minsheng.services.reporting import import_file
    from minsheng.services.users import get_user

    path = tmp_path / "db.sqlite"
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    csv = tmp_path / "values.csv"
    csv.write_text(
        f"指标,地区,年份,数值\n{INDICATOR},{OTHER_CITY},2023,94\n"
        f"{INDICATOR},{COUNTY_IN_CITY},2O23,94\n{INDICATOR},{COUNTY_IN_CITY},2024,95\n",
        encoding="utf-8",
    )
    try:
        with pytest.raises(InvalidData) as err:
            import_file(db, get_user(db, "city_reporter"), 1, csv)
        # by row, as the file has them (the region check comes after the rows' own)
        assert [(p.row, p.field) for p in err.value.problems] == [(2, "region"), (3, "year")]
        assert OTHER_CITY in err.value.problems[0].message
        assert "不能填报" in (err.value.problems[0].message_zh or "")
        assert history(db, INDICATOR, COUNTY_IN_CITY, 2024, 1) == []  # nothing stored
    finally:
        db.dispose()


def test_a_region_not_the_users_is_listed_in_each_sheet_of_a_workbook(
    template: Path, tmp_path: Path
) -> None:
    """A region refused in row 2 of one year's sheet hid the refusal of another region in
    row 2 of the next sheet: "said once" was counted by row alone."""
    import openpyxl

    from minsheng.services.reporting import import_file
    from minsheng.services.users import get_user

    path = tmp_path / "db.sqlite"
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    book = openpyxl.Workbook()
    first, second = book.active, book.create_sheet()
    first.title, second.title = "2023", "2024"
    first.append(["行政区划代码", INDICATOR])
    first.append(["999999", 94])  # row 2: no such region
    second.append(["行政区划代码", INDICATOR])
    second.append([OTHER_CITY, 95])  # row 2: a region the account may not enter
    values = tmp_path / "values.xlsx"
    book.save(values)
    try:
        with pytest.raises(InvalidData) as err:
            import_file(db, get_user(db, "city_reporter"), 1, values)
        problems = [(p.sheet, p.row, p.field) for p in err.value.problems]
        assert problems == [("2023", 2, "region"), ("2024", 2, "region")]
        assert OTHER_CITY in err.value.problems[1].message
    finally:
        db.dispose()
