"""The preview server over real HTTP and WebSocket: what it lists, serves, refuses and pushes."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.conftest import GENERATE, MINIMAL_LEAFLET, write
from tests.preview_support import preview_server


def leaflet_due_in(days: int, title: str) -> str:
    """The minimal leaflet, titled ``title``, with its next review ``days`` from today."""
    today = dt.date.today()
    last, due = today - dt.timedelta(days=400), today + dt.timedelta(days=days)
    review = f"review:\n  last_reviewed: {last}\n  next_review: {due}\n"
    text = MINIMAL_LEAFLET.replace("Looking after your liver", title)
    return text[: text.index("review:\n")] + review


def own_network_address() -> str | None:
    """This machine's address on its network (a UDP "connect" sends nothing), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("198.51.100.1", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """A project beside a secret file it must never serve, with a current, a due-soon and an overdue leaflet."""
    base = tmp_path_factory.mktemp("preview")
    (base / "secret.txt").write_text("TOP-SECRET-OUTSIDE-THE-PROJECT\n")
    project = base / "project"
    write(project / "leaflets" / "current.yaml", leaflet_due_in(400, "Current leaflet"))
    write(project / "leaflets" / "soon.yaml", leaflet_due_in(20, "Soon leaflet"))
    write(project / "leaflets" / "late.yaml", leaflet_due_in(-3, "Late leaflet"))
    write(project / "leaflets" / "broken.yaml", "title: [unclosed\n")
    (project / "leaflets" / "escape.yaml").symlink_to(base / "secret.txt")
    with preview_server(project) as address:
        yield address, project


def test_prints_a_loopback_address_and_listens_only_there(site) -> None:
    address, _ = site
    assert address.startswith("http://127.0.0.1:")
    port = int(address.rsplit(":", 1)[1].strip("/"))
    other = own_network_address()
    if other is None:
        pytest.skip("this machine has no address but loopback to try")
    with pytest.raises(OSError):
        socket.create_connection((other, port), timeout=2).close()


def test_index_lists_every_leaflet_with_its_review_state(site) -> None:
    address, _ = site
    status, body, headers = get(address)
    page = body.decode()
    assert status == 200 and "text/html" in headers["content-type"]
    rows = {title: page[page.index(title) :][:900] for title in ("Current leaflet", "Soon leaflet", "Late leaflet")}
    assert "Current</span>" in rows["Current leaflet"]
    assert "Due soon</span>" in rows["Soon leaflet"] and "review due in 20 days" in rows["Soon leaflet"]
    assert "Overdue</span>" in rows["Late leaflet"] and "review was due 3 days ago" in rows["Late leaflet"]
    assert "Cannot be built" in page and re.search(r"leaflets/broken\.yaml:\d+:\d+: YAML syntax error", page)


def test_leaflet_page_shows_the_pages_drawn_from_its_pdf(site) -> None:
    address, _ = site
    status, body, _ = get(address + "leaflets/current.yaml")
    page = body.decode()
    assert status == 200 and '<h1 id="pages-title">Current leaflet</h1>' in page
    images = [part.split('"')[0] for part in page.split('src="/leaflets/current.yaml/standard/')[1:]]
    pdf_link = page.split('href="/leaflets/current.yaml/standard/')[1].split('"')[0]
    status, pdf, headers = get(address + "leaflets/current.yaml/standard/" + pdf_link)
    assert status == 200 and headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf))
    assert len(images) == len(reader.pages) >= 1
    assert "Current leaflet" in reader.pages[0].extract_text()
    status, png, headers = get(address + "leaflets/current.yaml/standard/" + images[0])
    picture = Image.open(io.BytesIO(png))
    assert status == 200 and headers["content-type"] == "image/png" and picture.format == "PNG"
    assert picture.height / picture.width == pytest.approx(841.89 / 595.28, rel=0.01)  # an A4 page
    # Mostly white paper with dark text on it: really drawn, not blank.
    greys = picture.convert("L").getextrema()
    assert greys[0] < 60 and greys[1] > 240


def test_a_broken_leaflet_page_shows_its_error_instead_of_pages(site) -> None:
    address, _ = site
    status, body, _ = get(address + "leaflets/broken.yaml")
    page = body.decode()
    assert status == 200 and 'role="alert"' in page
    assert re.search(r"leaflets/broken\.yaml:\d+:\d+: YAML syntax error", page) and 'alt="Page 1 of' not in page


@pytest.mark.parametrize(
    "path",
    [
        "leaflets/..%2Fsecret.txt",
        "leaflets/%2e%2e%2f%2e%2e%2fsecret.txt",
        "static/..%2F..%2F..%2Fsecret.txt",
        "static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "leaflets/escape.yaml",
        "leaflets/current.yaml/..%2F..%2Fsecret.txt",
        "leaflets/..%2Fleafpress.yaml",
        "static/../../../secret.txt",
        "leaflets/current.yaml/standard/1/page-1.png",
        "leaflets/current.yaml/standard/pages/..%2F..%2F..%2Fsecret.txt",
        "leaflets/current.yaml/standard/pages/0.png",
        "leaflets/current.yaml/not-a-format/1/page-1.png",
        "leaflets/current.yaml?format=..%2F..%2Fsecret",
    ],
)
def test_never_serves_files_outside_the_project(site, path: str) -> None:
    address, _ = site
    status, body, _ = get(address + path)
    assert status == 404
    assert b"TOP-SECRET" not in body and b"root:" not in body


def test_a_symlink_leading_out_of_the_project_is_not_a_leaflet(site) -> None:
    address, _ = site
    _, body, _ = get(address)
    assert b"escape.yaml" not in body and b"TOP-SECRET" not in body


def test_refuses_other_host_names_and_other_sites_sockets(site) -> None:
    address, _ = site
    # A web page on another site, resolving its own name to 127.0.0.1, must not read the preview.
    status, _, _ = get(address, headers={"Host": "evil.example"})
    assert status == 400
    socket_url = address.replace("http://", "ws://") + "live"
    with pytest.raises(InvalidStatus) as refused, connect(socket_url, origin="http://evil.example", open_timeout=10):
        pass
    assert refused.value.response.status_code == 403
    with connect(socket_url, origin=address.rstrip("/"), open_timeout=10):
        pass  # the preview's own pages may connect


def test_saving_a_leaflet_pushes_the_new_page_over_the_socket(tmp_path: Path) -> None:
    source = write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    with preview_server(tmp_path) as address:
        status, body, _ = get(address + "leaflets/liver.yaml")
        rev = int(body.decode().split('data-rev="')[1].split('"')[0])
        with connect(address.replace("http://", "ws://") + "live", open_timeout=10) as sock:
            sock.send(json.dumps({"type": "watch", "view": "leaflet", "leaflet": "liver.yaml", "rev": rev}))
            time.sleep(0.3)
            source.write_text(MINIMAL_LEAFLET.replace("Your liver cleans your blood.", "Your liver is a busy organ."))
            message = next_update(sock)
            assert message["rev"] > rev and message["ok"]
            assert 'alt="Page 1 of' in message["html"]
            source.write_text(MINIMAL_LEAFLET.replace("sections:", "sectons:"))
            message = next_update(sock)
            assert not message["ok"] and "leaflets/liver.yaml:8:1: unknown key &#39;sectons&#39;" in message["html"]


def next_update(sock) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        message = json.loads(sock.recv(timeout=30))
        if message["type"] == "update":
            return message
    raise TimeoutError("no update was pushed")


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(GENERATE), "preview", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr and "Traceback" not in result.stderr


def test_a_deleted_leaflet_says_it_is_gone_and_leaves_the_index(tmp_path: Path) -> None:
    source = write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    write(tmp_path / "leaflets" / "other.yaml", MINIMAL_LEAFLET.replace("Looking after your liver", "Other"))
    with preview_server(tmp_path) as address:
        get(address + "leaflets/liver.yaml")
        with connect(address.replace("http://", "ws://") + "live", open_timeout=10) as sock:
            sock.send(json.dumps({"type": "watch", "view": "leaflet", "leaflet": "liver.yaml", "rev": 0}))
            assert next_update(sock)["ok"]
            source.unlink()
            message = next_update(sock)
            assert not message["ok"] and "this leaflet file is gone" in message["html"]
        _, body, _ = get(address)
        assert b"liver.yaml" not in body and b"Other" in body
        assert get(address + "leaflets/liver.yaml")[0] == 404


def test_braille_view_and_audio_player(site) -> None:
    address, _ = site
    status, body, _ = get(f"{address}leaflets/current.yaml")
    assert status == 200
    assert b'src="/leaflets/current.yaml/listen.mp3"' in body and b'href="/leaflets/current.yaml/braille"' in body
    status, body, _ = get(f"{address}leaflets/current.yaml/braille")
    page = body.decode("utf-8")
    assert status == 200 and "Braille page 1" in page
    assert ",CURR5T L1FLET" in page and "\u2820\u2809\u2825\u2817\u2817\u2822\u281e" in page  # ",CURR5T" as dots
    status, body, headers = get(f"{address}leaflets/current.yaml/listen.mp3")
    assert status == 200 and headers["content-type"] == "audio/mpeg"
    from mutagen.id3 import ID3

    assert str(ID3(io.BytesIO(body))["TIT2"]) == "Current leaflet"
    assert get(f"{address}leaflets/escape.yaml/braille")[0] == 404


def test_ctrl_c_stops_the_preview_quietly(project: Path) -> None:
    # Ctrl+C is how a preview is meant to end: no "Aborted!", no traceback, exit code 0.
    process = subprocess.Popen(
        [sys.executable, str(GENERATE), "preview", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while "Ctrl+C to stop" not in process.stdout.readline():
        assert process.poll() is None and time.monotonic() < deadline, "the preview did not start"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Aborted" not in stderr and "Traceback" not in stderr, stderr
    assert "Preview stopped." in stdout
