"""Persistence: SQLAlchemy 2 models, the Database, repositories and Alembic migrations.

The data model (one Alembic migration chain, shipped in ``store/migrations``):

* ``regions`` — GB/T 2260 units with ``valid_from``/``valid_to`` and ``successor_code``;
  values point at a region *row*, so a merged or re-coded county keeps its data.
  ``region_populations`` holds resident population by year (synthetic flagged).
* ``service_domains`` (the nine), ``service_tiers`` (three), ``canonical_indicators`` with
  ``indicator_aliases`` (confirmed mappings add the plan's wording as an alias).
* ``plans`` (metadata, source checksum, higher-level plan) with ``plan_indicators`` (own
  wording, canonical mapping, raw and parsed baseline/target as ``Target.to_dict()`` JSON),
  ``plan_services`` (service list entries), ``key_projects`` and ``project_progress``.
* ``observations`` — append-only: a correction or status change inserts the next
  ``version`` of (plan indicator | canonical indicator, region, year); nothing is updated.
* ``standard_lists``/``standard_items``, ``users`` (scrypt hashes only), and
  ``evaluation_records`` (the inputs and result of every evaluation, for audit).

Repositories take a Session and never commit; services own the transaction via
``Database.session()``. The store imports the domain only (never services or ingest).
"""
