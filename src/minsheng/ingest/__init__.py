"""Readers: everything that turns a file a user brings into domain objects.

Four rooms, one per kind of input:

- :mod:`minsheng.ingest.documents` — plan documents (text, HTML, Word, PDF) into
  structured plans: metadata, indicator tables, service lists, key projects;
- :mod:`minsheng.ingest.observations` — observation files (CSV, XLSX, the wide and
  long templates) into validated yearly values;
- :mod:`minsheng.ingest.spatial` — facilities, demand points and road networks for
  the accessibility measures;
- :mod:`minsheng.ingest.standards` — basic public service lists from CSV/XLSX files.

Readers know nothing of the store: services hand them files and store what they return.
"""
