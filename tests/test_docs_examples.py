"""The YAML examples in the docs are what new users copy first: each must build as documented."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import run_cli, write
from tests.test_build import pdf_text

DOCS = Path(__file__).parent.parent / "docs"
DRAWING = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#036"/></svg>'


def yaml_examples(doc: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", (DOCS / doc).read_text(encoding="utf-8"), re.S)


def leaflet_examples() -> list[tuple[str, str]]:
    """Every example in the docs that is a whole leaflet (it has a top-level 'title:')."""
    return [
        (f"{path.stem}-{index}", example)
        for path in sorted(DOCS.glob("*.md"))
        for index, example in enumerate(yaml_examples(path.name))
        if re.search(r"^title:", example, re.M)
    ]


def test_the_documented_leaflet_and_config_build_together(tmp_path: Path) -> None:
    examples = leaflet_examples()
    assert any(name.startswith("leaflet-format-") for name, _ in examples)
    [config, *_] = yaml_examples("config.md")
    write(tmp_path / "leafpress.yaml", config)
    # The files the examples name: the pictures, the logo and the translation listed by name.
    for picture in ("assets/logo.svg", "assets/quality-mark.svg", "leaflets/images/how-cancer-spreads.svg"):
        write(tmp_path / picture, DRAWING)
    for name, example in examples:
        write(tmp_path / "leaflets" / f"{name}.yaml", example)
        if "gofalu-am-eich-iau.yaml" in example:
            welsh = re.sub(r"^translations:.*\n", "", example, flags=re.M).replace("language: en-GB", "language: cy")
            write(tmp_path / "leaflets" / "gofalu-am-eich-iau.yaml", welsh)
    result = run_cli("build", "--jobs", "1", "--format", "standard", "--format", "text", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for name, example in examples:
        title = re.search(r"^title: *(.+?) *(#.*)?$", example, re.M)
        assert title is not None
        text = pdf_text(tmp_path / "output" / f"{name}.pdf")
        assert title.group(1) in text, name
        assert title.group(1) in (tmp_path / "output" / f"{name}.txt").read_text(encoding="utf-8")
    # What the documented config adds: the organisation on the page.
    assert "Northway Cancer Support" in pdf_text(tmp_path / "output" / "leaflet-format-0.pdf")
