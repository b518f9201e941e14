"""Readers: everything that turns a file a user brings into domain objects.

Three rooms, one per kind of input:

- :mod:`minsheng.ingest.documents` — plan documents (text, HTML, Word, PDF) into
  structured plans: metadata, indicator tables, service lists, key projects;
- :mod:`minsheng.ingest.observations` — observation files (CSV, XLSX, the wide and
  long templates) into validated yearly values;
- :mod:`minsheng.ingest.spatial` — facilities, demand points and road networks for
  the accessibility measures.

Readers know nothing of the store: services hand them files and store what they return.
"""
