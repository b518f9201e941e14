"""The Chinese fonts of a report: Noto CJK (OFL), from Debian's ``fonts-noto-cjk``.

The PDF and the charts use the same two faces: Noto Serif CJK SC for the body
(standing in for 仿宋, which no free licence covers) and Noto Sans CJK SC for
titles and headings (standing in for 黑体/小标宋). ``./run`` installs the package;
a machine without it gets a clear error instead of boxes where the characters
should be.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from minsheng.domain.errors import NotFound

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/local/share/fonts",
)
_FILES = {"serif": "NotoSerifCJK-Regular.ttc", "sans": "NotoSansCJK-Regular.ttc"}


@lru_cache(maxsize=4)
def font_file(face: str = "sans") -> Path:
    """The font file of a face ("serif" or "sans"); ``MINSHENG_CJK_FONT_DIR`` is looked in first."""
    name = _FILES[face]
    dirs = [os.environ.get("MINSHENG_CJK_FONT_DIR", ""), *_DIRS]
    for folder in dirs:
        if folder and (Path(folder) / name).is_file():
            return Path(folder) / name
    raise NotFound(
        f"Chinese font {name} not found: install Debian's fonts-noto-cjk "
        "(./run does) or set MINSHENG_CJK_FONT_DIR"
    )
