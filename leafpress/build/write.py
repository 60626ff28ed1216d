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
# Temporary files are ".<name>.leafpress-<pid>.<random>.part": the mark and the writer's id
# tell leafpress's own leftovers from anything else in the folder.
PART_MARK = "leafpress-"
_PART_NAME = re.compile(r"^\..+\." + PART_MARK + r"(?P<pid>\d{1,10})\.[a-z0-9_]{8}\.part$")
# What ``check`` writes beside the outputs; no leaflet's output may take these names.
READABILITY_PROOF_SUFFIX = ".readability.html"
ACCESSIBILITY_REPORT_SUFFIX = ".accessibility.html"


def output_name(source: Path, suffix: str = ".pdf") -> str:
    """A safe file name from the leaflet's stem: never a path, never hidden, never an option."""
    stem = re.sub(r"-{2,}", "-", _UNSAFE.sub("-", unicodedata.normalize("NFC", source.stem))).strip(".-_")
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    return (stem or "leaflet") + suffix


def output_clashes(
    sources: list[Path], suffixes: tuple[str, ...] = (".pdf",), others: list[Path] | None = None
) -> list[LeafpressError]:
    """An error for each of ``sources`` whose output name, in any of ``suffixes`` (every format
    and proof), an earlier leaflet already takes: one would overwrite the other.

    ``x.yaml`` and ``x.yml``, ``a b.yaml`` and ``a-b.yaml``, but also ``x.large-print.yaml``
    (its PDF is ``x.large-print.pdf``) and ``x.yaml`` (its large-print edition is too). ``others``
    are the project's other leaflets: not being built now, they still own their names.
    """
    taken: dict[str, Path] = {}
    errors = []
    building = {_same_file(source) for source in sources}
    everyone = {_same_file(path): path for path in [*sources, *(others or [])]}
    for key, source in sorted(everyone.items(), key=lambda item: str(item[1])):
        names = list(dict.fromkeys(output_name(source, suffix) for suffix in suffixes))
        clashing = [name for name in names if name in taken]
        if clashing and key in building:
            name = clashing[0]
            errors.append(
                LeafpressError(
                    Location(source, 1, 1),
                    f"{taken[name]} already writes {name}",
                    "rename one of the two leaflet files",
                )
            )
        elif not clashing:
            taken.update(dict.fromkeys(names, source))
    return errors


def _same_file(path: Path) -> Path:
    """One key for one file however it was named (``leaflets/x.yaml``, ``./leaflets/x.yaml``)."""
    return Path(os.path.abspath(path))


def write_atomic(data: bytes, target: Path, *, durable: bool = True) -> Path:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    Readers see either the old file or the new one, never half of one, even if the
    build is killed mid-write. ``durable`` waits for the disk too (fsync), so a power cut
    loses no output; pages that every ``check`` writes again need not wait.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # The writer's process id is in the name, so a later build can tell a dead writer's leftovers.
        handle, temp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.{PART_MARK}{os.getpid()}.", suffix=".part"
        )
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
            if durable:
                os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)
        # Replaces a symlink at ``target`` itself, so nothing is written where a link points.
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise LeafpressError(
            Location(target),
            f"cannot write the file ({exc.strerror})",
            "check the output folder: free space and permissions",
        ) from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove temporary files left in ``folder`` by writers that were killed (SIGKILL, power cut).

    Only files named as write_atomic names them (with its mark and the writer's process id) are
    touched: any other ``.*.part`` file in the folder is not leafpress's to delete.
    """
    removed = []
    for part in folder.glob(".*.part"):
        match = _PART_NAME.match(part.name)
        if match is None or part.is_symlink() or not part.is_file():
            continue
        if _alive(int(match["pid"])):
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
