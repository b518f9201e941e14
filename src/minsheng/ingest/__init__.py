"""Reading plan documents into structured plans (readers → cleaning → tables → plan).

The entry point is :func:`minsheng.ingest.document.read_plan`; the JSON form of
its result and the way back to domain objects are in :mod:`minsheng.ingest.plan_json`.
"""
