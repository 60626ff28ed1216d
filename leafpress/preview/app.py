"""The preview's web app (Starlette): the index, each leaflet's page, its page images, its PDF
and the WebSocket that pushes updates. Only built leaflets and the preview's own static files
are served: no route maps a URL to a file of the project, so nothing outside it can be reached.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from leafpress.build.write import output_name
from leafpress.preview.alternatives import braille_pages, build_alternative
from leafpress.preview.builds import STANDARD, Builder, preview_formats
from leafpress.preview.live import INDEX, LiveHub
from leafpress.preview.messages import Throttle, parse_watch
from leafpress.preview.views import render
from leafpress.preview.watch import watch_project

STATIC = Path(__file__).resolve().parent / "static"
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
# Everything the pages use comes from this server; no inline script, no framing by other sites.
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
IMAGE_HEADERS = {"Cache-Control": "private, max-age=86400, immutable", "X-Content-Type-Options": "nosniff"}


def loopback_address(host: str) -> str | None:
    """The address ``host`` stands for when it is this computer (``127.1`` → ``127.0.0.1``,
    ``localhost``, any of 127.0.0.0/8, ``::1``), else None."""
    if host.lower() == "localhost":
        return "127.0.0.1"
    name = host.strip("[]")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        try:  # the short IPv4 forms browsers and inet_aton accept: 127.1, 2130706433
            address = ipaddress.ip_address(socket.inet_aton(name))
        except OSError:
            return None
    return str(address) if address.is_loopback else None


def create_app(root: Path, host: str = "127.0.0.1") -> Starlette:
    builder = Builder(root)
    hub = LiveHub(builder)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        builder.submit(lambda: None)  # start the worker now: WeasyPrint warms up before the first page
        tasks = [
            asyncio.create_task(hub.run()),
            asyncio.create_task(watch_project(builder.root, hub.files_changed, stop)),
        ]
        try:
            yield
        finally:
            stop.set()
            await hub.close_all()
            tasks[0].cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            builder.close()

    def page(template: str, **context: object) -> HTMLResponse:
        return HTMLResponse(
            render(template, root=builder.root, project_name=builder.root.name, **context), headers=HEADERS
        )

    def known(name: str, format_name: str = STANDARD) -> tuple[str, str]:
        if name not in builder.sources() or format_name not in preview_formats():
            raise HTTPException(404, "No such leaflet or format in this project")
        return name, format_name

    async def index(_: Request) -> HTMLResponse:
        return page("index.html.j2", entries=await hub.index_entries())

    async def leaflet(request: Request) -> HTMLResponse:
        key = known(request.path_params["name"], request.query_params.get("format", STANDARD))
        return page("leaflet.html.j2", build=await hub.leaflet_build(key))

    async def page_image(request: Request) -> Response:
        key = known(request.path_params["name"], request.path_params["format"])
        image = hub.page_image(key, request.path_params["digest"])
        if image is None:
            raise HTTPException(404, "This page image is out of date: reload the page")
        # The URL names the pixels, so a browser may keep the image for as long as it likes.
        return Response(image.png, media_type="image/png", headers=IMAGE_HEADERS)

    async def pdf(request: Request) -> Response:
        key = known(request.path_params["name"], request.path_params["format"])
        build = hub.build_with_rev(key, request.path_params["rev"])
        if build is None or build.pdf is None:
            raise HTTPException(404, "This PDF is out of date: reload the page")
        disposition = f'inline; filename="{output_name(Path(key[0]))}"'
        return Response(
            build.pdf, media_type="application/pdf", headers={**IMAGE_HEADERS, "Content-Disposition": disposition}
        )

    def source_of(name: str) -> Path:
        found = builder.sources().get(name)
        if found is None:
            raise HTTPException(404, "No such leaflet in this project")
        return builder.root / found

    async def braille(request: Request) -> HTMLResponse:
        name = request.path_params["name"]
        made = await asyncio.to_thread(build_alternative, builder.root, source_of(name), "braille")
        pages = braille_pages(made.data) if made.data else []
        return page("braille.html.j2", name=name, pages=pages, problem=made.problem)

    async def listen(request: Request) -> Response:
        made = await asyncio.to_thread(build_alternative, builder.root, source_of(request.path_params["name"]), "audio")
        if made.data is None:
            raise HTTPException(404, made.problem or "No audio for this leaflet")
        return Response(made.data, media_type="audio/mpeg", headers=HEADERS)

    async def live(socket: WebSocket) -> None:
        # Another web site open in the same browser must not read the leaflets through this socket.
        origin = socket.headers.get("origin")
        if origin and urlsplit(origin).netloc != socket.headers.get("host"):
            await socket.close(code=1008)
            return
        await socket.accept()
        throttle = Throttle()
        try:
            while True:
                message = await socket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                # Anything else than a well-formed watch request, or one past the rate a page
                # sends at, is dropped: the socket is open to every program on this computer.
                watch = parse_watch(message, STANDARD) if throttle.allow() else None
                if watch is None:
                    continue
                if watch.index:
                    await hub.watch(socket, INDEX, 0)
                    continue
                try:
                    key = known(watch.leaflet, watch.format)
                except HTTPException:
                    continue
                await hub.watch(socket, key, watch.rev)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            hub.closed(socket)

    # On a loopback address only this computer's browser should reach the preview: refuse other
    # Host names, which a page elsewhere gets by pointing its own name at 127.0.0.1 (DNS rebinding).
    canonical = loopback_address(host)
    bracketed = [f"[{name}]" for name in (host, canonical) if name and ":" in name]
    allowed_hosts = [*LOOPBACK_NAMES, host, canonical, *bracketed] if canonical else ["*"]
    app = Starlette(
        routes=[
            Route("/", index),
            Route("/leaflets/{name}", leaflet),
            Route("/leaflets/{name}/braille", braille),
            Route("/leaflets/{name}/listen.mp3", listen),
            Route("/leaflets/{name}/{format}/pages/{digest}.png", page_image),
            Route("/leaflets/{name}/{format}/{rev:int}/leaflet.pdf", pdf),
            WebSocketRoute("/live", live),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)],
        lifespan=lifespan,
    )
    app.state.hub = hub
    return app
