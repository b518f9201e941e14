"""The four floors of docs/style.md hold: nothing imports a face, the middle rooms stay apart."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "minsheng"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


FORBIDDEN_IN_DOMAIN = (
    "sqlalchemy",
    "fastapi",
    "typer",
    "rich",
    "pandas",
    "polars",
    "numpy",
    "openpyxl",
    "docx",
)


@pytest.mark.parametrize("path", sorted((SRC / "domain").glob("*.py")), ids=lambda p: p.name)
def test_domain_imports_only_the_standard_library_and_itself(path: Path) -> None:
    for module in _imports(path):
        assert not module.startswith(FORBIDDEN_IN_DOMAIN), f"{path.name} imports {module}"
        if module.startswith("minsheng"):
            assert module.startswith("minsheng.domain"), f"{path.name} imports {module}"


def test_import_layers_contract() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(exe), "--no-cache"], capture_output=True, text=True, cwd=SRC.parents[1]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_two_test_files_share_a_name() -> None:
    """Test folders are not packages: pytest imports each file by its base name, and a
    second file of the same name stops the whole run at collection (it did once)."""
    tests = Path(__file__).resolve().parent
    seen: dict[str, Path] = {}
    twice = []
    for path in sorted(tests.rglob("test_*.py")):
        if path.name in seen:
            twice.append(f"{seen[path.name].relative_to(tests)} and {path.relative_to(tests)}")
        seen.setdefault(path.name, path)
    assert not twice, twice
