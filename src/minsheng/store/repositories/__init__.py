"""Repositories: functions over a Session that read and write rows as domain objects.

They never commit; the service that opened the session owns the transaction.
"""
