"""Correcting a stored plan's rows: a new version, audited; values kept as entered."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.indicators import Nature
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.observations import add_observation, history
from minsheng.services.plan_corrections import (
    FIELDS,
    RowCorrection,
    correct_plan_rows,
    parse_correction,
)
from minsheng.services.plans import get_plan, save_extracted_plan
from minsheng.store.models import AuditEventRow

#: Rows of the sample plan: 1 学前教育毛入园率 (%, mapped to ED01), 3 托位数 (个, unmapped).
MAPPED, UNMAPPED = "学前教育毛入园率", "每千人口拥有3岁以下婴幼儿托位数"


@given(
    key=st.one_of(st.integers(1, 99).map(str), st.sampled_from([MAPPED, "名.称"])),
    field=st.sampled_from(FIELDS),
    value=st.text(st.characters(blacklist_categories=["Cs", "Zs", "Cc"]), max_size=8),
)
def test_a_correction_reads_back_as_written(key: str, field: str, value: str) -> None:
    assert parse_correction(f"{key}.{field}={value}") == RowCorrection(key, field, value.strip())


@pytest.mark.parametrize(
    "text", ["32unit=万次", "32.colour=red", ".unit=%", "32.unit", "32.target=" + "9" * 100_000]
)
def test_a_malformed_correction_is_refused_in_both_languages(text: str) -> None:
    with pytest.raises(InvalidData) as refused:
        parse_correction(text)
    assert refused.value.message and refused.value.message_zh


def test_a_correction_is_the_plans_next_version_and_audited(seeded_db, plan_factory) -> None:  # noqa: ANN001
    stored = save_extracted_plan(seeded_db, plan_factory())
    done = correct_plan_rows(
        seeded_db, stored.id,
        [RowCorrection("3", "target", "5"), RowCorrection(UNMAPPED, "nature", "约束性")],
        by="li", reason="the target column was read one row off",
    )  # fmt: skip
    assert done.version == 2
    row = get_plan(seeded_db, stored.id).plan.indicators[2]
    assert (row.target_raw, row.target.value, row.nature) == ("5", 5.0, Nature.BINDING)
    assert get_plan(seeded_db, stored.id).indicator_ids == stored.indicator_ids  # rows keep ids
    with seeded_db.session() as session:
        audit = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "plan.correct")
        ).one()
        after = json.loads(audit.after or "{}")
        assert audit.actor == "li" and "4.5* → 5" in after["changes"]
        assert after["reason"] == "the target column was read one row off"
    # the same correction again changes nothing and makes no version
    again = correct_plan_rows(
        seeded_db, stored.id, [RowCorrection("3", "target", "5")], by="li", reason="again"
    )
    assert again.version is None and again.changes == ()


def test_values_keep_the_unit_they_were_entered_in(seeded_db, plan_factory) -> None:  # noqa: ANN001
    stored = save_extracted_plan(seeded_db, plan_factory())
    add_observation(seeded_db, UNMAPPED, "510000", 2022, 2.5, "wang", plan=stored.id)
    done = correct_plan_rows(
        seeded_db, stored.id, [RowCorrection("3", "unit", "张")], by="li", reason="单位栏误"
    )
    assert done.units_changed == ((UNMAPPED, "个", "张", 1, False),)
    assert [v.unit for v in history(seeded_db, UNMAPPED, "510000", 2022, stored.id)] == ["个"]
    _, judged = evaluate_plan(seeded_db, stored.id, 2022)
    row = judged.filter((judged["indicator"] == UNMAPPED) & (judged["region"] == "510000"))
    assert row["value"].item() is None  # a count of 个 is no value in 张: not judged


def test_a_mapped_row_keeps_its_catalogue_quantity(seeded_db, plan_factory) -> None:  # noqa: ANN001
    stored = save_extracted_plan(seeded_db, plan_factory())
    with pytest.raises(InvalidData) as refused:
        correct_plan_rows(
            seeded_db, stored.id, [RowCorrection("1", "unit", "人")], by="li", reason="x"
        )
    assert "ED01" in refused.value.message and refused.value.message_zh
    assert get_plan(seeded_db, stored.id).plan.indicators[0].unit == "%"  # all or nothing


@pytest.mark.parametrize(
    ("correction", "error"),
    [(RowCorrection("99", "unit", "%"), NotFound), (RowCorrection("1", "nature", "maybe"), InvalidData)],
)  # fmt: skip
def test_a_wrong_row_or_value_is_refused(seeded_db, plan_factory, correction, error) -> None:  # noqa: ANN001
    stored = save_extracted_plan(seeded_db, plan_factory())
    with pytest.raises(error):
        correct_plan_rows(seeded_db, stored.id, [correction], by="li", reason="x")
    with pytest.raises(InvalidData):
        correct_plan_rows(seeded_db, stored.id, [RowCorrection("1", "target", "95")], by="li",
                          reason=" ")  # fmt: skip
