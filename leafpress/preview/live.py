"""Who is looking at what, and pushing each new build to them.

Each open page tells the server over a WebSocket what it shows (the index, or one
leaflet in one format). When files change, the builds those pages need are marked
stale, rebuilt on the warm worker, and the new HTML is pushed; nothing else is rebuilt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from starlette.websockets import WebSocket

from leafpress.preview.builds import Builder, IndexEntry, LeafletBuild
from leafpress.preview.page_images import PageImage
from leafpress.preview.sources import is_leaflet_file
from leafpress.preview.views import render_index_rows, render_workspace

log = logging.getLogger("leafpress.preview")

Key = tuple[str, str]  # (leaflet file name, format)
INDEX: Key = ("", "index")
# A page that has not taken an update in this long is not reading; it gets no more of them
# (and the server's keep-alive pings close its connection).
SEND_TIMEOUT = 5.0


class Outbox:
    """The messages still to send to one page, sent in order by a task of their own.

    Only the newest page matters: an update not yet sent is dropped when a newer one comes (with
    the "building" notice before it), so a page that reads slowly never has more than a few
    messages waiting. A send that takes longer than SEND_TIMEOUT gives the page up.
    """

    def __init__(self, socket: WebSocket, give_up: Callable[[WebSocket, bool], None]) -> None:
        self.socket = socket
        self.give_up = give_up
        self.waiting: list[dict[str, Any]] = []
        self._ready = asyncio.Event()
        self._task = asyncio.create_task(self._send_all())

    def put(self, message: dict[str, Any]) -> None:
        if message.get("type") == "update":
            self.waiting = [each for each in self.waiting if each.get("type") not in ("update", "building")]
        self.waiting.append(message)
        self._ready.set()

    def close(self) -> None:
        self._task.cancel()

    async def _send_all(self) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            while self.waiting:
                message = self.waiting.pop(0)
                try:
                    await asyncio.wait_for(self.socket.send_json(message), SEND_TIMEOUT)
                except TimeoutError:
                    self.give_up(self.socket, True)
                    return
                except Exception:  # the page was closed mid-send
                    self.give_up(self.socket, False)
                    return


class LiveHub:
    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.builds: dict[Key, LeafletBuild] = {}
        # The build before the latest, so its page images still load while a page swaps over.
        self.previous: dict[Key, LeafletBuild] = {}
        self.stale: set[Key] = set()
        self.index_cache: dict[str, tuple[tuple[int, int], IndexEntry]] = {}
        self.watchers: dict[Key, set[WebSocket]] = {}
        # Sockets that took no update within SEND_TIMEOUT; the server's keep-alive closes them.
        self.stalled: set[WebSocket] = set()
        self.outboxes: dict[WebSocket, Outbox] = {}
        self._locks: dict[Key, asyncio.Lock] = {}
        self._dirty: set[Key] = set()
        self._wake = asyncio.Event()

    # -- builds ---------------------------------------------------------------------------

    async def _on_worker(self, function: Any, *args: Any) -> Any:
        return await asyncio.wrap_future(self.builder.submit(function, *args))

    async def leaflet_build(self, key: Key) -> LeafletBuild:
        """The current build for ``key``, building it first when there is none or it is stale."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            current = self.builds.get(key)
            if current is None or key in self.stale:
                self.stale.discard(key)
                build = await self._on_worker(self.builder.build, *key, current)
                if current is not None:
                    build.title = build.title or current.title  # "Secondary cancer cannot be built"
                    self.previous[key] = current
                self.builds[key] = current = build
            return current

    def build_with_rev(self, key: Key, rev: int) -> LeafletBuild | None:
        for build in (self.builds.get(key), self.previous.get(key)):
            if build is not None and build.rev == rev:
                return build
        return None

    def page_image(self, key: Key, digest: str) -> PageImage | None:
        """A page image of the latest build of ``key`` or the one before it."""
        for build in (self.builds.get(key), self.previous.get(key)):
            for image in build.pages if build else ():
                if image.digest == digest:
                    return image
        return None

    async def index_entries(self) -> list[IndexEntry]:
        """Every leaflet's index row; a row is recomputed only when its file changed."""
        entries = []
        for name, source in self.builder.sources().items():
            path = self.builder.root / source
            try:
                stat = path.stat()
            except OSError:
                continue
            signature = (stat.st_mtime_ns, stat.st_size)
            cached = self.index_cache.get(name)
            if cached is None or cached[0] != signature:
                cached = (signature, await self._on_worker(self.builder.index_entry, name, source))
                self.index_cache[name] = cached
            entries.append(cached[1])
        return entries

    # -- changes --------------------------------------------------------------------------

    def files_changed(self, paths: Iterable[Path]) -> None:
        """Mark what ``paths`` affect as stale and wake the push loop."""
        root = self.builder.root
        leaflets = {path.name for path in paths if is_leaflet_file(path, root)}
        only_leaflets = all(is_leaflet_file(path, root) for path in paths)
        affected = [
            key
            for key in self.builds.keys() | self.watchers.keys()
            if key != INDEX and (not only_leaflets or key[0] in leaflets)
        ]
        if not only_leaflets:
            self.index_cache.clear()  # the config, a template or a style: every row may change
        self.stale.update(affected)
        self._dirty.update(key for key in affected if self.watchers.get(key))
        self._dirty.add(INDEX)
        self._wake.set()

    async def run(self) -> None:
        """Rebuild what open pages show after each change, and push it to them."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            dirty, self._dirty = self._dirty, set()
            for key in sorted(dirty - {INDEX}):
                await self._tell(key, {"type": "building"})
                await self.push(key)
            if INDEX in dirty and self.watchers.get(INDEX):
                await self.push(INDEX)

    async def push(self, key: Key, only: WebSocket | None = None) -> None:
        """Send the current HTML for ``key`` to its watchers (or to ``only``)."""
        try:
            if key == INDEX:
                message = {"type": "update", "rev": 0, "html": render_index_rows(await self.index_entries())}
            else:
                build = await self.leaflet_build(key)
                message = update_message(build, self.builder.root)
        except Exception:  # a bug must not stop the preview for every other page
            log.exception("preview update failed")
            return
        await self._tell(key, message, only)

    async def _tell(self, key: Key, message: dict[str, Any], only: WebSocket | None = None) -> None:
        # Into each page's outbox, not awaited: a page that is slow to read delays no other.
        for socket in [only] if only else list(self.watchers.get(key, ())):
            if socket not in self.stalled:
                self._outbox(socket).put(message)

    def _outbox(self, socket: WebSocket) -> Outbox:
        outbox = self.outboxes.get(socket)
        if outbox is None:
            outbox = self.outboxes[socket] = Outbox(socket, self._gave_up)
        return outbox

    def _gave_up(self, socket: WebSocket, stalled: bool) -> None:
        """``socket`` took no message within SEND_TIMEOUT (``stalled``), or it closed mid-send."""
        if stalled:
            self.stalled.add(socket)  # not reading: push nothing more to it, ever
        self.forget(socket)
        self.outboxes.pop(socket, None)

    # -- watchers -------------------------------------------------------------------------

    async def watch(self, socket: WebSocket, key: Key, shown_rev: int) -> None:
        """``socket`` now shows ``key`` at ``shown_rev``; bring it up to date at once if it is behind."""
        self.forget(socket)
        if socket in self.stalled:
            return  # it stopped reading: pushing more would only wait on it again
        self.watchers.setdefault(key, set()).add(socket)
        if key == INDEX:
            return
        current = self.builds.get(key)
        if current is None or key in self.stale or current.rev != shown_rev:
            await self.push(key, only=socket)

    def forget(self, socket: WebSocket) -> None:
        for sockets in self.watchers.values():
            sockets.discard(socket)

    def closed(self, socket: WebSocket) -> None:
        self.forget(socket)
        self.stalled.discard(socket)
        outbox = self.outboxes.pop(socket, None)
        if outbox is not None:
            outbox.close()

    async def close_all(self) -> None:
        for outbox in self.outboxes.values():
            outbox.close()
        self.outboxes.clear()
        for sockets in self.watchers.values():
            for socket in list(sockets):
                with contextlib.suppress(Exception):
                    await socket.close(code=1001)
            sockets.clear()


def update_message(build: LeafletBuild, root: Path) -> dict[str, Any]:
    return {
        "type": "update",
        "rev": build.rev,
        "ok": build.ok,
        "html": render_workspace(build, root),
        "status": f"Updated {build.finished:%H:%M:%S}" if build.ok else "This leaflet has errors",
    }
