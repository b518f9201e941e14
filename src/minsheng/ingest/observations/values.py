"""Observation files read to values, for the doors that judge rather than store.

File-mode evaluation and the demo's statistics read a file here: the same
reader as import (:func:`~minsheng.ingest.observations.workbooks.read_observation_rows`:
CSV in UTF-8, UTF-8 with BOM or GB18030, XLSX, long and wide layouts), the same
cell rules (:mod:`~minsheng.ingest.observations.cells`) and the same region
resolver (:class:`minsheng.names.RegionIndex`). Indicator names are left to the
caller, which knows what they may name (a plan's rows, the catalogue). Problems
are row-numbered; one error refuses the file (all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from minsheng.domain.errors import InvalidData, NotFound, ValidationReport
from minsheng.ingest.observations.cells import parse_number, parse_year
from minsheng.ingest.observations.wording import (
    NO_INDICATOR_ZH,
    NO_REGION_ZH,
    not_a_year_zh,
    placeholder_zh,
    region_unknown_zh,
)
from minsheng.ingest.observations.workbook_validation import region_pair
from minsheng.ingest.observations.workbooks import no_values_found, read_observation_rows
from minsheng.names import RegionIndex, normalise_name


@dataclass(frozen=True)
class ReadValue:
    """One value of a file: where it was, what it names, and the number with its bound."""

    row: int
    where: str
    indicator: str
    region: str  # GB/T 2260 code
    year: int
    value: float
    bound: str | None
    percent_sign: bool
    unit: str | None
    source: str | None
    note: str | None


def read_values(
    path: str | Path,
    regions: RegionIndex,
    default_region: str | None = None,
    conflicts: Literal["error", "first"] = "error",
) -> tuple[list[ReadValue], ValidationReport]:
    """Every value of an observation file; InvalidData (row-numbered) when any row is bad.

    An empty cell is no value; a placeholder (``—``, ``-``) is no value with a warning.
    The same indicator (as spelled), region and year twice: a repeat is dropped with a
    warning; different values are an error, as in import — unless ``conflicts="first"``
    (a caller that has decided which source it trusts), which keeps the first with a
    warning naming both rows.
    """
    path = Path(path)
    rows = read_observation_rows(path, default_region=default_region)
    report = ValidationReport()
    out: list[ReadValue] = []
    seen: dict[tuple[str, str, int], ReadValue] = {}
    for r in rows:
        errors = len(report.errors)
        if not r.indicator.strip():
            report.error(
                r.row,
                "indicator",
                f"{r.at}no indicator given",
                zh=f"{r.at_zh}{NO_INDICATOR_ZH}",
                sheet=r.sheet,
            )
        year = parse_year(r.year)
        if year is None:
            report.error(
                r.row,
                "year",
                f"{r.at}{r.year!r} is not a year",
                zh=f"{r.at_zh}{not_a_year_zh(r.year)}",
                sheet=r.sheet,
            )
        region = None
        text = str(r.region).strip()
        if not text:
            report.error(
                r.row,
                "region",
                f"{r.at}no region given",
                zh=f"{r.at_zh}{NO_REGION_ZH}",
                sheet=r.sheet,
            )
        else:
            try:
                region = regions.resolve(text, year=year).code
            except (NotFound, InvalidData) as exc:
                report.error(
                    r.row,
                    "region",
                    f"{r.at}{exc.message}",
                    zh=f"{r.at_zh}{exc.message_zh or region_unknown_zh(text)}",
                    sheet=r.sheet,
                )
            if region is not None and r.region_name is not None:
                region, why, why_zh = region_pair(regions, region, r.region_name, year)
                if region is None:
                    report.error(
                        r.row, "region", f"{r.at}{why}", zh=f"{r.at_zh}{why_zh}", sheet=r.sheet
                    )
        number = parse_number(r.value)
        if number.error:
            report.error(
                r.row,
                r.value_field,
                f"{r.at}{number.error}",
                zh=f"{r.at_zh}{number.error_zh}",
                sheet=r.sheet,
            )
        elif number.placeholder:
            report.warn(
                r.row,
                r.value_field,
                f"{r.at}{r.value!r} means no value; row skipped",
                zh=f"{r.at_zh}{placeholder_zh(r.value)}",
                sheet=r.sheet,
            )
        if len(report.errors) > errors or number.value is None:
            continue
        assert region is not None and year is not None
        key = (normalise_name(r.indicator), region, year)
        first = seen.get(key)
        if first is not None:
            same = first.bound == number.bound and first.value == number.value
            text = (
                f"{r.at}{r.indicator.strip()}, {region}, {year} = {number.bound or ''}"
                f"{number.value:g} {'repeats' if same else 'conflicts with'} row "
                f"{first.row} = {first.bound or ''}{first.value:g}"
            )
            text_zh = (
                f"{r.at_zh}{r.indicator.strip()}（{region}，{year}年）= {number.bound or ''}"
                f"{number.value:g}，与第{first.row}行的 "
                f"{first.bound or ''}{first.value:g} {'重复' if same else '不一致'}"
            )
            if same or conflicts == "first":
                report.warn(
                    r.row,
                    r.value_field,
                    text + ("; ignored" if same else "; the first is kept"),
                    zh=text_zh + ("，本行不再读取" if same else "，保留第一行的值"),
                    sheet=r.sheet,
                )
            else:
                report.error(
                    r.row, r.value_field, text, zh=f"{text_zh}，请只保留正确的一行", sheet=r.sheet
                )
            continue
        value = ReadValue(
            r.row,
            r.where,
            r.indicator.strip(),
            region,
            year,
            number.value,
            number.bound,
            number.percent_sign,
            r.unit,
            r.source,
            r.note,
        )
        seen[key] = value
        out.append(value)
    if not report.ok:
        n = len(report.errors)
        raise InvalidData(
            f"{path.name}: {n} error{'s' if n != 1 else ''}; nothing was read",
            report.problems,
            message_zh=f"{path.name}：{n} 处错误，未读取任何数据",
        )
    if not out:
        raise no_values_found(path.name, report.problems)
    return out, report
