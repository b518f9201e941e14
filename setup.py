"""The one compiled part of minsheng; everything else is in pyproject.toml.

``minsheng.store._sqlite_columns`` reads the SQLite observation scan in C (its source
says why). It is optional: where no C compiler is at hand the install goes on without
it and the scan reads its rows through Python's sqlite3 module, slower but the same.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "minsheng.store._sqlite_columns",
            sources=["src/minsheng/store/_sqlite_columns.c"],
            optional=True,
        )
    ]
)
