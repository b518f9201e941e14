# CSV lines of Arrow columns, written in C++ (_csv_rows.cpp says why).
from typing import Any

def rows(columns: list[tuple[Any, ...]], start: int, stop: int, /) -> bytes: ...
