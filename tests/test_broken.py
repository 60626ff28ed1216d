"""The corpus of broken leaflets in tests/broken/, each built by the real CLI.

Every ``tests/broken/NAME.yaml`` has a sidecar ``NAME.expected`` holding exactly what the CLI
must print for it (``leaflets/NAME.yaml:line:column: message — hint``, and the source line
with a caret for YAML syntax errors). Each must fail alone: exit 1, that message, no
traceback, no PDF, while a good leaflet next to it still builds.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from leafpress.cli.commands import cli
from tests.conftest import MINIMAL_LEAFLET, run_cli, write

CORPUS = Path(__file__).parent / "broken"
CASES = sorted(path.stem for path in CORPUS.glob("*.yaml"))
# Made by the fixture rather than kept in git: files over the byte and line limits.
GENERATED = {
    "too-big": "leaflets/too-big.yaml:1:1: the file is 1,200,014 bytes, over the limit of 50,000 — "
    "split it into smaller leaflets, or raise limits.max_file_bytes in leafpress.yaml",
    "too-long": "leaflets/too-long.yaml:601:1: the file is 1,201 lines long, over the limit of 600 — "
    "split it into smaller leaflets, or raise limits.max_file_lines in leafpress.yaml",
}


def make_corpus_project(root: Path) -> Path:
    """A project holding every broken leaflet, the images they name and one good leaflet."""
    leaflets = root / "leaflets"
    leaflets.mkdir(parents=True)
    for path in CORPUS.glob("*.yaml"):
        shutil.copy(path, leaflets / path.name)
    (leaflets / "too-big.yaml").write_text("title: Big\n# " + "x" * 1_200_000 + "\n")
    (leaflets / "too-long.yaml").write_text("title: Long\n" + "#\n" * 1_200)
    images = leaflets / "images"
    images.mkdir()
    Image.new("RGB", (40, 40), "navy").save(images / "ok.png")
    Image.new("RGB", (40, 40), "navy").save(images / "liver.bmp")
    (images / "notes.png").write_text("These are my notes, not a picture.\n")
    Image.frombytes("L", (400, 400), random.Random(3).randbytes(160_000)).save(images / "noise.png")
    Image.new("1", (6000, 5000), 1).save(images / "huge.png")
    (images / "link-out.png").symlink_to("/etc/passwd")
    # A lower byte limit than the default, so "too large" needs no huge file (and the limit is configurable).
    write(root / "leafpress.yaml", "limits:\n  max_image_bytes: 100000\n")
    write(leaflets / "good.yaml", MINIMAL_LEAFLET)
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus_project(tmp_path_factory.mktemp("corpus"))


def expected(name: str) -> str:
    return GENERATED.get(name) or (CORPUS / f"{name}.expected").read_text(encoding="utf-8").rstrip("\n")


def test_every_case_has_its_expected_message() -> None:
    assert len(CASES) >= 40
    assert sorted(p.stem for p in CORPUS.glob("*.expected")) == CASES


@pytest.mark.parametrize("name", [*CASES, *GENERATED])
def test_broken_leaflet_fails_with_its_message(
    corpus: Path, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", f"leaflets/{name}.yaml", "--output", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    want = expected(name)
    assert want in result.stderr, f"\nwanted:\n{want}\ngot:\n{result.stderr}"
    first = want.splitlines()[0]
    assert first.startswith(f"leaflets/{name}.yaml:") and " — " in first
    assert not out.exists() or not any(out.iterdir())


def test_whole_corpus_through_generate_py(corpus: Path, tmp_path: Path) -> None:
    """One run over every broken file: each says what is wrong, and the good leaflet still builds."""
    result = run_cli("--output", tmp_path, cwd=corpus)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name in [*CASES, *GENERATED]:
        assert expected(name) in result.stderr, name
    # Hidden files aside: the build manifest (.leafpress-manifest.json) records the good leaflet.
    assert sorted(p.name for p in tmp_path.glob("[!.]*")) == ["good.pdf"]
    assert f"1 built, 0 skipped as unchanged, {len(CASES) + len(GENERATED)} failed in " in result.stderr


# --- Mistakes in the project's own templates and stylesheets ----------------------------------

PROJECT_CASES = {
    "template-syntax": (
        "templates/end_matter.html.j2",
        "<p>End</p>\n{% if leaflet.code %}\n<p>{{ leaflet.code }}</p>\n",
        "templates/end_matter.html.j2:3:1: template syntax error: Unexpected end of template. Jinja "
        "was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that "
        "needs to be closed is 'if'. — fix the template",
    ),
    "template-undefined": (
        "templates/end_matter.html.j2",
        "<p>End</p>\n\n<p>{{ leaflet.sumary }}</p>\n",
        "templates/end_matter.html.j2:3:1: template error: 'leafpress.core.model.Leaflet object' has "
        "no attribute 'sumary'",
    ),
    "style-unknown-property": (
        "styles/brand.css",
        ":root {\n  --brand: #0b4f8a;\n}\nh2 { colr: red; }\n",
        "styles/brand.css:4:6: WeasyPrint ignores this: Ignored `colr: red`, unknown property "
        "— fix or remove this rule (see docs/templates.md)",
    ),
    "style-invalid-value": (
        "styles/brand.css",
        "h1 {\n  font-size: huge;\n}\n",
        "styles/brand.css:2:3: WeasyPrint ignores this: Ignored `font-size: huge`, invalid value "
        "— fix or remove this rule (see docs/templates.md)",
    ),
    "style-bad-selector": (
        "styles/brand.css",
        "h1 { color: navy; }\n\np::nonsense { color: red; }\n",
        "styles/brand.css:3:1: WeasyPrint ignores this: Invalid or unsupported selector, "
        "'p::nonsense ' — fix or remove this rule (see docs/templates.md)",
    ),
}


@pytest.mark.parametrize("case", sorted(PROJECT_CASES))
def test_template_and_style_mistakes_name_their_file_and_line(case: str, project: Path) -> None:
    name, text, message = PROJECT_CASES[case]
    write(project / name, text)
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr
    assert not (project / "output" / "liver.pdf").exists()


def test_bad_limits_and_hosts_in_the_project_config_are_placed(project: Path) -> None:
    write(project / "leafpress.yaml", "limits:\n  max_file_bytes: 5\nallowed_hosts:\n  - https://images.example.org/\n")
    result = run_cli(cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "leafpress.yaml:2:3: 'limits.max_file_bytes' is out of range" in result.stderr
    assert (
        "leafpress.yaml:4:5: 'allowed_hosts[1]' has an unusable value 'https://images.example.org/' — "
        "write just the host name"
    ) in result.stderr
    assert not (project / "output").exists()
