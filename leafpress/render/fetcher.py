"""A URL fetcher for WeasyPrint that reads only the project's own files.

WeasyPrint's default fetcher will read any local file (``file:///etc/passwd`` as an
attachment), read devices that never end (``file:///dev/urandom``) and make network
requests, so leaflets from outside must never get it. This one serves regular files inside
the project, up to a size limit, and the network only for hosts the project allow-lists.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib import request
from urllib.parse import unquote, urlsplit

from leafpress.core.files import FileTooLarge, NotRegularFile, read_regular
from leafpress.render.engine import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Large images belong in an image editor, not in a leaflet.
MAX_RESOURCE_BYTES = 20_000_000


class RefusedFetch(FatalURLFetchingError):
    """A resource the leaflet may not use; stops the build with a message naming it."""


class _CheckedRedirects(request.HTTPRedirectHandler):
    """Follow a redirect only to another allowed host, so an allowed host cannot lead elsewhere."""

    def __init__(self, fetcher: ProjectFetcher) -> None:
        super().__init__()
        self.fetcher = fetcher

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def,unused-ignore]
        if not self.fetcher.host_allowed(newurl):
            raise self.fetcher.refuse(f"refused to follow {req.full_url} to {newurl}: that host is not allowed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class ProjectFetcher(URLFetcher):
    """Serve ``file:`` URLs inside ``allowed_roots`` (after resolving links); refuse everything else.

    Every refusal is also kept in ``refused``: WeasyPrint swallows some errors (inside SVG
    drawings, for one), and the build must still fail and say why.
    """

    def __init__(
        self, allowed_roots: list[Path], allowed_hosts: tuple[str, ...] = (), max_bytes: int = MAX_RESOURCE_BYTES
    ) -> None:
        super().__init__(
            timeout=10, allowed_protocols={"file", "data", "http", "https"}, allow_redirects=False, fail_on_errors=True
        )
        self.add_handler(_CheckedRedirects(self))
        self.allowed_roots = [root.resolve() for root in allowed_roots]
        self.allowed_hosts = tuple(host.lower() for host in allowed_hosts)
        self.max_bytes = max_bytes
        self.refused: list[str] = []
        # Every local file served, with the SHA-256 of its bytes: what an incremental build depends on.
        self.files_read: dict[str, str] = {}

    def refuse(self, message: str) -> RefusedFetch:
        self.refused.append(message)
        return RefusedFetch(message)

    def host_allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and (parts.hostname or "").lower() in self.allowed_hosts

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme in ("http", "https"):
            if self.host_allowed(url):
                return self._fetch_allowed(url, headers)
            raise self.refuse(
                f"refused to fetch {url}: leafpress does not use the network "
                "(list the host under 'allowed_hosts' in leafpress.yaml to allow it)"
            )
        if scheme != "file":
            raise self.refuse(f"refused to fetch {url}: only files inside the project can be used")
        given = Path(unquote(parts.path))
        path = given.resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            where = "it is outside the project folder" if path == given else f"it leads outside the project, to {path}"
            raise self.refuse(f"refused to read {url}: {where}")
        try:
            data = read_regular(path, self.max_bytes)
        except FileTooLarge:
            raise self.refuse(f"refused to read {url}: larger than {self.max_bytes:,} bytes") from None
        except (NotRegularFile, IsADirectoryError):
            raise self.refuse(f"refused to read {url}: it is not a regular file") from None
        except OSError:
            raise self.refuse(f"cannot read {url}: no such file") from None
        self.files_read[str(path)] = hashlib.sha256(data).hexdigest()
        return URLFetcherResponse(path.as_uri(), data)

    def _fetch_allowed(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        response = super().fetch(url, headers)
        try:
            data = response.read(self.max_bytes + 1)
        finally:
            response.close()
        if len(data) > self.max_bytes:
            raise self.refuse(f"refused to fetch {url}: larger than {self.max_bytes:,} bytes")
        return URLFetcherResponse(response.url, data, response.headers, response.status)
