"""Stage 6, write: put the PDF in the output folder atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def output_name(source: Path, suffix: str = ".pdf") -> str:
    """A safe file name from the leaflet's stem: never a path, never hidden."""
    stem = _UNSAFE.sub("-", source.stem).strip(".-") or "leaflet"
    return stem + suffix


def write_atomic(data: bytes, target: Path) -> Path:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    Readers see either the old file or the new one, never half of one, even if the
    build is killed mid-write.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target
