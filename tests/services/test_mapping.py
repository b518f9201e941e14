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
