"""Odd WebSocket messages to the real preview server (issue 13, item 13).

Any program on the computer can open the preview's socket. Binary frames, huge frames, invalid
UTF-8, JSON of the wrong shape, unknown message types, a flood and a client that never reads
must neither stop the server nor make it print an internal error, and every other page must
keep getting its updates.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from websockets.sync.client import ClientConnection, connect

from leafpress.preview.live import SEND_TIMEOUT
from leafpress.preview.messages import BURST, MESSAGES_PER_SECOND
from tests.conftest import GENERATE, MINIMAL_LEAFLET, write
from tests.preview_support import _wait_for_address, stop
from tests.test_hostile_limits import hostile_siblings

ODD_FRAMES: list[str | bytes] = [
    b"\x00\xff binary",
    "not json",
    "[" * 5_000,
    '"just a string"',
    "[]",
    "null",
    '{"type": "unknown"}',
    '{"type": ["watch"]}',
    '{"type": "watch"}',
    '{"type": "watch", "leaflet": ["liver.yaml"]}',
    '{"type": "watch", "leaflet": "liver.yaml", "rev": "abc"}',
    '{"type": "watch", "leaflet": "liver.yaml", "rev": [1]}',
    '{"type": "watch", "leaflet": "liver.yaml", "rev": {"a": 1}}',
    '{"type": "watch", "leaflet": "liver.yaml", "rev": 1e999}',
    '{"type": "watch", "leaflet": "liver.yaml", "rev": -5}',
    '{"type": "watch", "leaflet": "liver.yaml", "rev": 99999999999999999999999999}',
    '{"type": "watch", "leaflet": "liver.yaml", "rev": true}',
    '{"type": "watch", "leaflet": "liver.yaml", "format": {"x": 1}}',
    '{"type": "watch", "leaflet": "../../etc/passwd"}',
    '{"type": "watch", "leaflet": "liver.yaml", "format": "no-such-format"}',
]


@contextlib.contextmanager
def preview(project: Path, log: Path, stops_within: float = 15) -> Iterator[str]:
    """The real preview server, its error output kept in ``log``; its address. Ctrl+C must stop
    it within ``stops_within`` seconds."""
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, str(GENERATE), "preview", "--port", "0"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            yield _wait_for_address(process, 60)
            assert process.poll() is None, "the preview stopped"
        finally:
            started = time.monotonic()
            stop(process)
        assert time.monotonic() - started < stops_within, "Ctrl+C did not stop the preview"


def socket_url(address: str) -> str:
    return address.replace("http://", "ws://") + "live"


def next_update(sock: ClientConnection, timeout: float = 60) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = json.loads(sock.recv(timeout=deadline - time.monotonic()))
        if message["type"] == "update":
            return message
    raise TimeoutError("no update was pushed")


def watch(sock: ClientConnection, rev: int = 0) -> None:
    sock.send(json.dumps({"type": "watch", "view": "leaflet", "leaflet": "liver.yaml", "rev": rev}))


def assert_still_serving(address: str, source: Path, marker: str) -> None:
    """A fresh page gets the leaflet, and an edit saved now is pushed to it."""
    with connect(socket_url(address), open_timeout=30) as sock:
        watch(sock)
        first = next_update(sock)
        assert first["ok"]
        source.write_text(MINIMAL_LEAFLET.replace("Your liver cleans your blood.", f"{marker}."), encoding="utf-8")
        assert marker in str(next_update(sock)["html"])


def assert_quiet(log: Path) -> None:
    errors = log.read_text(encoding="utf-8")
    for sign in ("Traceback", "internal error", "Exception", "ERROR"):
        assert sign not in errors, errors


def raw_frame(payload: bytes, opcode: int) -> bytes:
    """One masked client frame (RFC 6455), written by hand so it can hold what a library refuses to send."""
    mask = os.urandom(4)
    length = len(payload)
    header = bytes([0x80 | opcode])
    if length < 126:
        header += bytes([0x80 | length])
    elif length < 2**16:
        header += bytes([0x80 | 126]) + length.to_bytes(2, "big")
    else:
        header += bytes([0x80 | 127]) + length.to_bytes(8, "big")
    return header + mask + bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))


def raw_socket(address: str, receive_buffer: int | None = None) -> socket.socket:
    """A WebSocket connection opened by hand: the handshake read, nothing else ever read."""
    url = urlsplit(address)
    sock = socket.socket()
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.connect((url.hostname, url.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /live HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert response.startswith(b"HTTP/1.1 101"), response
    return sock


def test_odd_frames_are_ignored_and_the_same_page_still_gets_updates(tmp_path: Path) -> None:
    source = write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    log = tmp_path / "preview.log"
    with preview(tmp_path, log) as address:
        with connect(socket_url(address), open_timeout=30) as sock:
            for frame in ODD_FRAMES:
                sock.send(frame)
            # The socket that sent them all is still open, and a good message is answered.
            watch(sock)
            assert next_update(sock)["ok"]
        assert_still_serving(address, source, "Sent after odd frames")
    assert_quiet(log)


def test_invalid_utf8_huge_frames_and_floods_never_stop_the_server(tmp_path: Path) -> None:
    source = write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    log = tmp_path / "preview.log"
    with preview(tmp_path, log) as address:
        for frame in (
            raw_frame(b'{"type": "watch", "leaflet": "\xff\xfe"}', opcode=0x1),  # a text frame that is not UTF-8
            raw_frame(b"x" * 20_000_000, opcode=0x1),  # 20 MB in one frame
            raw_frame(b"\x00" * 100, opcode=0x2),
            raw_frame(b"", opcode=0xB),  # a reserved opcode
        ):
            # The server may close the connection mid-send: that is its answer.
            with contextlib.closing(raw_socket(address)) as sock, contextlib.suppress(OSError):
                sock.sendall(frame)
        with connect(socket_url(address), open_timeout=30, max_queue=None) as flood:
            for number in range(5_000):
                flood.send(json.dumps({"type": "watch", "leaflet": "liver.yaml", "rev": number % 3}))
            flood.send('{"type": "nothing"}')
        assert_still_serving(address, source, "Sent after a flood")
    assert_quiet(log)


def test_a_page_that_never_reads_delays_no_other_page(tmp_path: Path) -> None:
    # A long leaflet makes each update large (about 50 kB), so the silent page's buffers fill quickly.
    body = "".join(f"      - Point {index} about looking after your liver.\n" for index in range(400))
    long = MINIMAL_LEAFLET.replace("      - It fights infection.\n", body)
    source = write(tmp_path / "leaflets" / "liver.yaml", long)
    log = tmp_path / "preview.log"
    with preview(tmp_path, log) as address:
        silent = raw_socket(address, receive_buffer=4096)
        try:
            # Asking again and again for a revision it does not have, it is sent the page each
            # time, and reads none of it.
            ask = raw_frame(b'{"type": "watch", "leaflet": "liver.yaml", "rev": 999}', opcode=0x1)
            # 120 pages of ~50 kB: more than the socket buffers hold (4 MB at most here). A page
            # may send a burst, then one message each 1/rate seconds: faster asks are dropped.
            for sent in range(120):
                silent.sendall(ask)
                if sent >= BURST - 1:
                    time.sleep(1.05 / MESSAGES_PER_SECOND)
            with connect(socket_url(address), open_timeout=30) as reader:
                watch(reader)
                page_size = len(json.dumps(next_update(reader), separators=(",", ":")))
                for edit in range(2):  # both while the server still waits on the silent page
                    marker = f"Edit number {edit} is here"
                    saved = time.monotonic()
                    source.write_text(long.replace("Your liver cleans your blood.", f"{marker}."), encoding="utf-8")
                    assert marker in str(next_update(reader, timeout=40)["html"])
                    # Not held up while the server waits on the silent page (before it gives up).
                    assert time.monotonic() - saved < SEND_TIMEOUT
            # The server gave up on the silent page: it was not sent all it asked for.
            assert _drained(silent) < 100 * page_size
        finally:
            silent.close()
        assert_still_serving(address, source, "Sent after the silent page")
    assert_quiet(log)


def _drained(sock: socket.socket) -> int:
    """How many bytes are waiting on ``sock`` and still come within half a second of each other."""
    sock.settimeout(0.5)
    received = 0
    with contextlib.suppress(OSError):
        while chunk := sock.recv(1 << 16):
            received += len(chunk)
    return received


def test_pipes_devices_and_huge_files_beside_a_leaflet_never_hang_the_preview(project: Path) -> None:
    hostile_siblings(project)
    log = project / "preview.log"
    started = time.monotonic()
    with preview(project, log, stops_within=10) as address:
        with urllib.request.urlopen(address, timeout=60) as index:
            page = index.read().decode("utf-8")
        assert "Looking after your liver" in page
        with urllib.request.urlopen(address + "leaflets/liver.yaml", timeout=60) as leaflet:
            assert leaflet.status == 200 and 'alt="Page 1 of' in leaflet.read().decode("utf-8")
        assert_still_serving(address, project / "leaflets" / "liver.yaml", "Sent beside a pipe")
    assert time.monotonic() - started < 60
    assert_quiet(log)
