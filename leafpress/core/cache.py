"""leafpress's folder in the user's cache: tables and compiled templates kept between runs.

Each kept file is named by what it was made from (a dictionary file's size and time, a template's
path), so a new virtual environment or checkout adds files of its own. Files unused for
:data:`UNUSED_DAYS` are removed whenever a new one is written, so the folder does not grow without
end on a machine that makes many (a CI runner).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

UNUSED_DAYS = 30


def cache_dir() -> Path:
    """leafpress's folder in the user's cache (XDG Base Directory: ``$XDG_CACHE_HOME``, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "leafpress"


def mark_used(path: Path) -> None:
    """Note that ``path`` was just used, so that :func:`remove_unused` keeps it."""
    with contextlib.suppress(OSError):
        os.utime(path)


def remove_unused(folder: Path, pattern: str, days: float = UNUSED_DAYS) -> None:
    """Remove the files of ``folder`` matching ``pattern`` that were not used for ``days``."""
    oldest = time.time() - days * 86_400
    with contextlib.suppress(OSError):
        for path in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime < oldest:
                    path.unlink()
