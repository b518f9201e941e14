"""A plan indicator's service domain as a mapping gives it, and takes it back.

Reports and dashboards file each row under one of the nine service domains. A table
without category rows leaves a row with none, so it lands under 其他; once a person
maps the row to a catalogue entry, that entry says which domain the row serves. The
plan's own domain always wins: a mapping fills the domain only where the plan gave
none (or where an earlier mapping, or the matcher at ingest, filled it), and
``domain_from`` remembers that it did, so undoing the mapping takes the domain away
again and nothing else, and confirming another entry files the row under that one's.

Every door that confirms a mapping (``map``/``plans --confirm``, ``catalogue add
--confirm``) goes through :func:`minsheng.services.plans.confirm_mapping_in`, and
``map --unmap`` through :func:`minsheng.services.mapping.unmap`; both call here.
"""

from __future__ import annotations

from minsheng.domain.indicators import DOMAIN_FROM_MAPPING as MAPPING
from minsheng.store.models import CanonicalIndicatorRow, PlanIndicatorRow


def file_under_mapping(row: PlanIndicatorRow, canonical: CanonicalIndicatorRow) -> bool:
    """Give ``row`` the domain of the entry it is mapped to, unless the plan gave it one.

    True when the row's domain changed (the caller audits before and after).
    """
    if row.domain_code is not None and row.domain_from != MAPPING:
        return False  # the plan's own domain: never overwritten by a mapping
    if row.domain_code == canonical.domain_code and row.domain_from == MAPPING:
        return False
    row.domain_code, row.domain_from = canonical.domain_code, MAPPING
    return True


def unfile_mapping(row: PlanIndicatorRow) -> bool:
    """Take back a domain the row's mapping gave it (the plan gave none before: NULL again).

    True when it did; a domain the plan gave itself stays.
    """
    if row.domain_from != MAPPING:
        return False
    row.domain_code, row.domain_from = None, None
    return True


def keep_on_new_edition(row: PlanIndicatorRow, code: str | None, origin: str | None) -> None:
    """After a revised edition rewrote a row whose confirmed mapping stays: the edition's own
    domain wins; where it gives none (or only its matcher's), the row keeps the domain it had
    (``code`` from ``origin``: the earlier edition's own, or its confirmed entry's)."""
    if code is not None and (row.domain_code is None or row.domain_from == MAPPING):
        row.domain_code, row.domain_from = code, origin
