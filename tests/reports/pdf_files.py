"""Opening a PDF as a reader would, with Debian's poppler tools: its text, its fonts, its pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: ./run installs Debian's poppler-utils"
    return path


def squash(text: str) -> str:
    """Text without white space: PDF text extraction breaks lines where the layout does."""
    return re.sub(r"\s+", "", text)


def assert_fonts_embedded(pdf: Path) -> None:
    """Every font embedded, a CJK one among them (a reader without it sees boxes)."""
    fonts = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
    assert rows and any("CJK" in r[0] for r in rows)
    for r in rows:  # name type… encoding emb sub uni id gen: "emb" is the 5th column from the end
        assert r[-5] == "yes", f"font not embedded: {r[0]}"


def page_images(pdf: Path, folder: Path, stem: str) -> list[Path]:
    """Each page rendered to a PNG (60 dpi): a page that cannot be drawn fails here."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool("pdftoppm"), "-r", "60", "-png", str(pdf), str(folder / stem)], check=True)
    return sorted(folder.glob(f"{stem}*.png"))
