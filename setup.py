"""The compiled parts of minsheng; everything else is in pyproject.toml.

``minsheng.store._sqlite_columns`` reads the SQLite observation scan in C, and
``minsheng.ingest.spatial._column_text`` reads integer ids and writes CSV lines in C++ (each
source says why). Both are optional: where no compiler is at hand the install goes on
without them, the scan reads its rows through Python's sqlite3 module and CSV files are
written by Arrow's writer, slower but the same values.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "minsheng.store._sqlite_columns",
            sources=["src/minsheng/store/_sqlite_columns.c"],
            optional=True,
        ),
        Extension(
            "minsheng.ingest.spatial._column_text",
            sources=["src/minsheng/ingest/spatial/_column_text.cpp"],
            language="c++",
            extra_compile_args=["-std=c++17", "-O2"],
            optional=True,
        ),
    ]
)
