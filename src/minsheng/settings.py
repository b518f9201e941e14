"""Settings, read once by a face (CLI or web app) from ``MINSHENG_*`` variables.

Nothing reads the environment at import time; the CLI builds one Settings per
invocation and hands it down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "minsheng"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    about_tolerance: float = 0.05  # ±5 % for "about" (左右) targets, evaluation method §1
    outlier_threshold: float = 3.5  # modified z-score above which a value is an outlier
    busy_timeout: float = 30.0  # seconds a writer waits for another writer (docs/operations.md)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("MINSHENG_DATA_DIR") or default_data_dir()).expanduser()
        url = env.get("MINSHENG_DATABASE_URL") or f"sqlite:///{data_dir / 'minsheng.db'}"
        return cls(
            data_dir=data_dir,
            database_url=url,
            about_tolerance=float(env.get("MINSHENG_ABOUT_TOLERANCE", 0.05)),
            outlier_threshold=float(env.get("MINSHENG_OUTLIER_THRESHOLD", 3.5)),
            busy_timeout=float(env.get("MINSHENG_BUSY_TIMEOUT", 30.0)),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
