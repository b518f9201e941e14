"""Plan documents into structured plans (readers → cleaning → tables → plan).

The entry point is :func:`minsheng.ingest.documents.document.read_plan`; the JSON
form of its result and the way back to domain objects are in
:mod:`minsheng.ingest.documents.plan_json`.
"""
