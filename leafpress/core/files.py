"""Reading a file named by untrusted input without hanging or exhausting the machine.

A stat followed by an open can be raced (a regular file swapped for a FIFO), and opening a
FIFO or ``/proc/kmsg`` for reading blocks forever. So the file is opened non-blocking first and
the open handle is checked: only a regular file, within the size limit, outside the kernel's
pseudo-file systems, is ever read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

# Kernel and device pseudo-files: /proc/kmsg blocks as root, /proc/self/... leaks the environment,
# and their sizes are not what they hold.
_PSEUDO_ROOTS = tuple(Path(root) for root in ("/proc", "/sys", "/dev"))


class NotRegularFile(OSError):
    """The path is a device, pipe, socket, folder or kernel pseudo-file."""


class FileTooLarge(OSError):
    """The file holds more bytes than the caller allows."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size:,} bytes")
        self.size = size


def is_pseudo_file(path: Path) -> bool:
    """True for a path that is (or leads to) a file under /proc, /sys or /dev."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return False
    return any(real.is_relative_to(root) for root in _PSEUDO_ROOTS)


def _open_regular(path: Path) -> int:
    """A descriptor of the regular file ``path``, opened without blocking (a FIFO never stalls)."""
    if is_pseudo_file(path):
        raise NotRegularFile(f"{path} is a kernel or device file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(path, flags)
    mode = os.fstat(handle).st_mode
    if stat.S_ISREG(mode):
        return handle
    os.close(handle)
    raise IsADirectoryError(str(path)) if stat.S_ISDIR(mode) else NotRegularFile(f"{path} is not a regular file")


def sha256_regular(path: Path) -> str:
    """The SHA-256 of the regular file ``path``, read in chunks (same errors as ``read_regular``)."""
    digest = hashlib.sha256()
    handle = _open_regular(path)
    try:
        while chunk := os.read(handle, 1 << 20):
            digest.update(chunk)
    finally:
        os.close(handle)
    return digest.hexdigest()


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    Raises FileNotFoundError, IsADirectoryError, NotRegularFile, FileTooLarge or another OSError.
    """
    handle = _open_regular(path)
    try:
        info = os.fstat(handle)
        if info.st_size > max_bytes:
            raise FileTooLarge(info.st_size)
        chunks: list[bytes] = []
        size = 0
        # The size may change while reading (a file still being written): never read past the cap.
        while size <= max_bytes and (chunk := os.read(handle, min(1 << 20, max_bytes + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(handle)
    if size > max_bytes:
        raise FileTooLarge(size)
    return b"".join(chunks)
