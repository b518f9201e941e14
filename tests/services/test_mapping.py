"""Confirmed mappings are remembered: the next document worded the same way maps without help."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.services.mapping import confirm, read_documents, review_mapping, store_documents


@pytest.fixture
def district(shared_dir: Path) -> Path:
    found = sorted((shared_dir / "corpus").glob("003_*"))
    assert found, "the shared corpus holds the district plan 003_*"
    return found[0]


def _unmatched(rows):
    return [r for r in rows if r.indicator.canonical_code is None]


def test_a_confirmation_is_remembered_for_the_next_document(seeded_db, district: Path) -> None:
    [(extraction, stored)] = store_documents(seeded_db, [district])
    _, rows = review_mapping(seeded_db, stored.id)
    open_rows = _unmatched(rows)
    assert open_rows, "the district plan words some indicators unlike the catalogue"
    target = open_rows[0].indicator
    code = open_rows[0].match.candidates[0][0]

    confirmed = confirm(seeded_db, stored.id, str(target.seq), code)
    assert (confirmed.canonical_code, confirmed.match_score) == (code, 1.0)
    _, after = review_mapping(seeded_db, stored.id)
    assert len(_unmatched(after)) == len(open_rows) - 1

    [again] = read_documents(seeded_db, [district])
    reread = next(i for i in again.plan.indicators if i.name == target.name)
    assert reread.canonical_code == code


def test_confirming_an_unknown_row_or_code_is_a_clear_error(seeded_db, district: Path) -> None:
    [(_, stored)] = store_documents(seeded_db, [district])
    with pytest.raises(NotFound, match="no indicator"):
        confirm(seeded_db, stored.id, "999", "ED01")
    with pytest.raises(NotFound, match="canonical"):
        confirm(seeded_db, stored.id, "1", "XX99")


def test_storing_needs_an_initialised_database(empty_db, district: Path) -> None:
    with pytest.raises(InvalidData, match="minsheng init"):
        store_documents(empty_db, [district])


def test_map_command_confirms_and_lists(cli_env, district: Path) -> None:
    runner = CliRunner()
    stored = runner.invoke(app, ["ingest", str(district)])
    assert stored.exit_code == 0, stored.output
    listing = runner.invoke(app, ["map", "1"])
    assert listing.exit_code == 0 and "need a person to confirm" in listing.output
    bad = runner.invoke(app, ["map", "1", "--confirm", "nonsense"])
    assert bad.exit_code == 1 and "KEY=CODE" in bad.output


# What each corpus document is, as the shared README describes it: plans (whole, or their
# heads and contents as reposted) and documents about plans and standards that are none.
CORPUS_KINDS = [
    ("003_*.txt", True),
    ("004_*.txt", True),
    ("plan_*_HEAD.txt", True),
    ("plan_*_TOC.txt", True),
    ("news_*.txt", False),
    ("standard_*_TOC.txt", False),
]


@pytest.mark.parametrize(("pattern", "is_plan"), CORPUS_KINDS)
def test_a_document_reads_as_a_plan_by_a_plans_marks(
    shared_dir: Path, pattern: str, is_plan: bool
) -> None:
    from minsheng.services.mapping import reads_as_plan

    found = sorted((shared_dir / "corpus").glob(pattern))
    assert found, pattern
    assert {
        p.name: reads_as_plan(e) for p, e in zip(found, read_documents(None, found), strict=True)
    } == {p.name: is_plan for p in found}


def test_lines_that_look_like_a_table_make_a_plan_even_without_a_title() -> None:
    from minsheng.domain.plans import Plan, PlanMetadata
    from minsheng.ingest.documents.extraction import Extraction, UnparsedLine
    from minsheng.services.mapping import reads_as_plan

    bare = Extraction("untitled.txt", Plan(metadata=PlanMetadata()))
    assert not reads_as_plan(bare)
    # a table the reader could not parse: stored, so that its lines are shown, not turned away
    row = UnparsedLine(3, "学前教育毛入园率 % 85 90 预期性", "no header")
    assert reads_as_plan(
        Extraction("untitled.txt", Plan(metadata=PlanMetadata()), unparsed_lines=[row])
    )


def test_a_document_that_is_no_plan_stores_nothing_of_the_batch(
    seeded_db, shared_dir: Path
) -> None:
    from minsheng.services.plans import list_plans

    heads = sorted((shared_dir / "corpus").glob("plan_*_HEAD.txt"))
    news = sorted((shared_dir / "corpus").glob("news_*.txt"))
    with pytest.raises(InvalidData, match="nothing was stored") as refused:
        store_documents(seeded_db, [*heads, *news])
    assert {p.field for p in refused.value.problems} == {p.name for p in news}
    assert list_plans(seeded_db) == []


def test_a_mapping_can_be_undone_and_the_values_stay_in_the_catalogue(
    seeded_db, plan_factory
) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from minsheng.services.mapping import unmap
    from minsheng.services.observations import add_observation, history
    from minsheng.services.plans import get_plan, save_extracted_plan
    from minsheng.store.models import AuditEventRow, IndicatorAliasRow

    stored = save_extracted_plan(seeded_db, plan_factory())
    name = "每千人口拥有3岁以下婴幼儿托位数"  # row 3: unmapped in the sample plan
    confirm(seeded_db, stored.id, "3", "CH01", moved_by="li")
    add_observation(seeded_db, name, "510000", 2022, 2.4, "wang", plan=stored.id)
    undone = unmap(seeded_db, stored.id, "3", by="li")
    assert (undone.code, undone.values_left) == ("CH01", 1)
    assert get_plan(seeded_db, stored.id).plan.indicators[2].canonical_code is None
    assert history(seeded_db, name, "510000", 2022, stored.id) == []  # its own series again
    assert [v.value for v in history(seeded_db, "CH01", "510000", 2022, "catalogue")] == [2.4]
    with seeded_db.session() as session:
        aliases = session.scalars(select(IndicatorAliasRow.alias)).all()
        assert name not in aliases  # the next plan worded so is not mapped unasked
        audit = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "indicator.unmap")
        ).one()
        assert audit.actor == "li" and "CH01" in audit.subject
    with pytest.raises(InvalidData):
        unmap(seeded_db, stored.id, "3", by="li")  # not mapped any more


def test_the_map_command_unmaps(cli_env, plan_factory) -> None:  # noqa: ANN001
    from minsheng.services.plans import get_plan, save_extracted_plan

    stored = save_extracted_plan(cli_env, plan_factory())
    result = CliRunner().invoke(app, ["map", str(stored.id), "--unmap", "1"])
    assert result.exit_code == 0, result.output
    assert "no longer reads ED01" in result.output
    assert get_plan(cli_env, stored.id).plan.indicators[0].canonical_code is None


# ------------------------------------------------------- the domain a confirmed mapping gives
# A row the plan files under no service domain (a table without category rows) is listed under
# 其他 until a person maps it; the catalogue entry then says which domain it serves.

NO_DOMAIN = "平均预期寿命"  # a wording no domain keyword classifies


def _with_row(db, plan_factory, indicator_factory, domain: str | None):  # noqa: ANN001, ANN202
    from dataclasses import replace

    from minsheng.services.plans import save_extracted_plan

    plan = plan_factory()
    row = indicator_factory(5, NO_DOMAIN, "岁", "78.3", "79", domain=domain)
    return save_extracted_plan(db, replace(plan, indicators=[*plan.indicators, row]))


def _audit(db, action: str):  # noqa: ANN001, ANN202
    import json

    from sqlalchemy import select

    from minsheng.store.models import AuditEventRow

    with db.session() as session:
        event = session.scalars(select(AuditEventRow).where(AuditEventRow.action == action)).one()
        return event.subject, json.loads(event.before), json.loads(event.after)


def test_confirming_files_a_row_of_no_domain_and_unmapping_takes_it_back(
    seeded_db, plan_factory, indicator_factory
) -> None:  # noqa: ANN001
    from minsheng.services.mapping import unmap
    from minsheng.services.plans import get_plan

    stored = _with_row(seeded_db, plan_factory, indicator_factory, None)
    assert get_plan(seeded_db, stored.id).plan.indicators[4].domain_code is None

    done = confirm(seeded_db, stored.id, "5", "HE01", moved_by="li")
    assert (done.filed, done.indicator.domain_code) == ("health_care", "health_care")
    assert get_plan(seeded_db, stored.id).plan.indicators[4].domain_code == "health_care"
    subject, before, after = _audit(seeded_db, "indicator.map")
    assert (before["domain"], after["domain"]) == (None, "health_care")
    assert (before["canonical"], after["canonical"]) == (None, "HE01")
    assert "health_care" in subject

    undone = unmap(seeded_db, stored.id, "5", by="li")
    assert undone.unfiled == "health_care"
    assert get_plan(seeded_db, stored.id).plan.indicators[4].domain_code is None
    _, before, after = _audit(seeded_db, "indicator.unmap")
    assert (before["domain"], after["domain"]) == ("health_care", None)


def test_a_domain_the_plan_gave_is_never_taken_by_a_mapping(
    seeded_db, plan_factory, indicator_factory
) -> None:  # noqa: ANN001
    from minsheng.services.mapping import unmap
    from minsheng.services.plans import get_plan

    stored = _with_row(seeded_db, plan_factory, indicator_factory, "九、文体服务保障")
    done = confirm(seeded_db, stored.id, "5", "HE01", moved_by="li")
    assert (done.filed, done.indicator.domain_code) == (None, "culture_sports")
    _, before, after = _audit(seeded_db, "indicator.map")
    assert before["domain"] == after["domain"] == "culture_sports"
    assert unmap(seeded_db, stored.id, "5", by="li").unfiled is None
    assert get_plan(seeded_db, stored.id).plan.indicators[4].domain_code == "culture_sports"


def test_a_row_mapped_before_is_listed_and_confirming_again_files_it(
    seeded_db, plan_factory, indicator_factory
) -> None:  # noqa: ANN001
    from sqlalchemy import update

    from minsheng.services.plans import get_plan
    from minsheng.store.models import PlanIndicatorRow

    stored = _with_row(seeded_db, plan_factory, indicator_factory, None)
    confirm(seeded_db, stored.id, "5", "HE01")
    row_id = stored.indicator_ids[4]
    with seeded_db.session() as session:  # as a mapping confirmed before mappings filed domains
        session.execute(
            update(PlanIndicatorRow)
            .where(PlanIndicatorRow.id == row_id)
            .values(domain_code=None, domain_from=None)
        )
    _, rows = review_mapping(seeded_db, stored.id)
    assert [(r.row_id, r.files_under) for r in rows if r.files_under] == [(row_id, "health_care")]
    assert confirm(seeded_db, stored.id, "5", "HE01").filed == "health_care"
    assert get_plan(seeded_db, stored.id).plan.indicators[4].domain_code == "health_care"
    _, rows = review_mapping(seeded_db, stored.id)
    assert not [r for r in rows if r.files_under]


def test_the_dashboard_groups_a_row_under_its_domain_once_mapped(
    seeded_db, plan_factory, indicator_factory
) -> None:  # noqa: ANN001
    from minsheng.services.plans import get_plan
    from minsheng.services.results import plan_results
    from minsheng.web.views import domain_summaries, indicator_meta, result_out

    stored = _with_row(seeded_db, plan_factory, indicator_factory, None)

    def groups() -> dict[str | None, int]:
        meta = indicator_meta(get_plan(seeded_db, stored.id))
        results = plan_results(seeded_db, stored.id, 2023, regions=["510000"])
        rows = [result_out(r, meta, "zh") for r in results if r.plan_indicator_id == row_id]
        return {d["code"]: sum(d["counts"].values()) for d in domain_summaries(rows, "zh")}

    row_id = stored.indicator_ids[4]
    assert groups() == {None: 1}  # judged (and kept) while under 其他
    confirm(seeded_db, stored.id, "5", "HE01")
    assert groups() == {"health_care": 1}


def test_a_domain_the_matcher_gave_at_ingest_follows_the_confirmed_entry(
    seeded_db, plan_factory, indicator_factory
) -> None:  # noqa: ANN001
    """Read with no category, matched to HE02 when the document was read (so filed under
    病有所医 by that proposal); a person confirms EL01 instead: the row follows its entry."""
    from dataclasses import replace

    from minsheng.domain.indicators import DOMAIN_FROM_MAPPING
    from minsheng.services.mapping import unmap
    from minsheng.services.plans import get_plan, save_extracted_plan

    plan = plan_factory()
    row = replace(
        indicator_factory(5, "护理型床位占比", "%", "50", "55", domain=None, canonical_code="HE04"),
        domain_code="health_care",
        domain_from=DOMAIN_FROM_MAPPING,
    )
    stored = save_extracted_plan(seeded_db, replace(plan, indicators=[*plan.indicators, row]))
    assert get_plan(seeded_db, stored.id).plan.indicators[4].domain_from == DOMAIN_FROM_MAPPING
    assert confirm(seeded_db, stored.id, "5", "EL01").filed == "elderly_care"
    _, before, after = _audit(seeded_db, "indicator.map")
    assert (before["canonical"], before["domain"]) == ("HE04", "health_care")
    assert (after["canonical"], after["domain"]) == ("EL01", "elderly_care")
    assert unmap(seeded_db, stored.id, "5", by=None).unfiled == "elderly_care"
    assert get_plan(seeded_db, stored.id).plan.indicators[4].domain_code is None
