"""Stage 6, write: put the PDF in the output folder atomically."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from leafpress.core.errors import LeafpressError, Location

# Letters and digits of any script stay (a Welsh or Arabic name is still a name); anything
# else, from slashes to control characters and shell specials, becomes "-".
_UNSAFE = re.compile(r"[^\w.-]+")
# File systems allow 255 bytes a name; leave room for the suffix and the temporary prefix.
MAX_STEM_BYTES = 180


def output_name(source: Path, suffix: str = ".pdf") -> str:
    """A safe file name from the leaflet's stem: never a path, never hidden, never an option."""
    stem = re.sub(r"-{2,}", "-", _UNSAFE.sub("-", unicodedata.normalize("NFC", source.stem))).strip(".-_")
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    return (stem or "leaflet") + suffix


def output_clashes(sources: list[Path]) -> list[LeafpressError]:
    """An error for each leaflet whose output name another leaflet already takes
    (``x.yaml`` and ``x.yml``, or ``a b.yaml`` and ``a-b.yaml``): one would overwrite the other."""
    taken: dict[str, Path] = {}
    errors = []
    for source in dict.fromkeys(sources):
        name = output_name(source)
        if name in taken:
            errors.append(
                LeafpressError(
                    Location(source), f"{taken[name]} already writes {name}", "rename one of the two leaflet files"
                )
            )
        else:
            taken[name] = source
    return errors


def write_atomic(data: bytes, target: Path) -> Path:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    Readers see either the old file or the new one, never half of one, even if the
    build is killed mid-write.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # The writer's process id is in the name, so a later build can tell a dead writer's leftovers.
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".part")
    except OSError as exc:
        raise LeafpressError(
            Location(target.parent),
            f"cannot write to the output folder ({exc.strerror})",
            "check that it is a folder you may write to, or choose another with --output",
        ) from None
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)
        # Replaces a symlink at ``target`` itself, so nothing is written where a link points.
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise LeafpressError(
            Location(target),
            f"cannot write the PDF ({exc.strerror})",
            "check the output folder: free space and permissions",
        ) from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove temporary files left in ``folder`` by writers that were killed (SIGKILL, power cut)."""
    removed = []
    for part in folder.glob(".*.part"):
        pieces = part.name.rsplit(".", 3)  # .NAME . PID . RANDOM . part
        pid = pieces[1] if len(pieces) == 4 else ""
        if pid.isdigit() and _alive(int(pid)):
            continue  # another build is writing it right now
        part.unlink(missing_ok=True)
        removed.append(part)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
