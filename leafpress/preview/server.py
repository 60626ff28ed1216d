"""Binding the preview's port and running it with uvicorn until Ctrl+C."""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import sys
from pathlib import Path

import uvicorn

from leafpress.preview.app import create_app, loopback_address
from leafpress.preview.messages import MAX_FRAME_BYTES

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class PortError(Exception):
    """The port cannot be used; the message says what to do."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port), or a PortError saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise PortError(f"cannot listen on '{host}': {exc.strerror} — give an address such as 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # allow a restart right after a stop
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortError(
                f"port {port} on {host} is already in use (another preview or program?) — "
                f"stop it, or choose another with --port {port + 1}"
            ) from None
        if exc.errno == errno.EACCES:
            raise PortError(f"not allowed to use port {port} — choose a port above 1023, such as --port 8000") from None
        raise PortError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def address_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def is_loopback(host: str) -> bool:
    return loopback_address(host) is not None


class ClientFaultFilter(logging.Filter):
    """Drop uvicorn's traceback for a client's invalid UTF-8: the socket is already closed with
    code 1007, as the WebSocket standard says, and the fault is the client's, not the server's."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], UnicodeDecodeError))


def serve(root: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve the project at ``root`` until interrupted; the exit code."""
    try:
        sock = bind(host, port)
    except PortError as exc:
        print(f"leafpress preview: {exc}", file=sys.stderr)
        return 1
    if not is_loopback(host):
        print(
            f"leafpress preview: warning: listening on {host}, so other computers on the network can "
            "see these leaflets",
            file=sys.stderr,
        )
    app = create_app(root, host)
    config = uvicorn.Config(
        app,
        log_level="warning",
        ws="websockets-sansio",
        ws_max_size=MAX_FRAME_BYTES,
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    logging.getLogger("uvicorn.error").addFilter(ClientFaultFilter())
    server = _AnnouncingServer(config, f"leafpress preview of {root} at {address_of(sock)}  (Ctrl+C to stop)")
    # The server re-raises the Ctrl+C it shut down on: stopping is what it was asked to do.
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    print("Preview stopped.", flush=True)
    return 0


class _AnnouncingServer(uvicorn.Server):
    """Says where the preview is once it is listening, so Ctrl+C after that always stops it cleanly."""

    def __init__(self, config: uvicorn.Config, announcement: str) -> None:
        super().__init__(config)
        self.announcement = announcement

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        print(self.announcement, flush=True)
