"""The words of the field: plain dataclasses, enums and pure functions.

This package imports nothing of ours outside itself, and nothing from web,
database or file-format libraries, so every other layer can lean on it.
"""
