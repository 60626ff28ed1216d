"""Which leaflet a translation comes from, asked for every leaflet of a folder: read once, never stale."""

from __future__ import annotations

from pathlib import Path

from leafpress.source.load import recording_reads
from leafpress.source.translations import find_source
from tests.conftest import write

ORIGINAL = "title: Liver care\nsections:\n  - heading: About\n    body: Your liver cleans your blood.\n"


def test_a_source_that_starts_listing_a_file_is_found_in_the_same_process(tmp_path: Path) -> None:
    write(tmp_path / "liver.yaml", ORIGINAL)
    translation = write(tmp_path / "afu-iyo.yaml", ORIGINAL)
    assert find_source(translation) is None
    write(tmp_path / "liver.yaml", ORIGINAL + "translations: [afu-iyo.yaml]\n")
    assert find_source(translation) == (tmp_path / "liver.yaml", None)
    # ... and forgotten when the list no longer names it, or the file is gone.
    write(tmp_path / "liver.yaml", ORIGINAL + "translations: [other.yaml]\n")
    assert find_source(translation) is None
    write(tmp_path / "liver.yaml", ORIGINAL + "translations: [afu-iyo.yaml]\n")
    assert find_source(translation) is not None
    (tmp_path / "liver.yaml").unlink()
    assert find_source(translation) is None


def test_a_new_file_that_lists_a_translation_is_found(tmp_path: Path) -> None:
    translation = write(tmp_path / "afu-iyo.yaml", ORIGINAL)
    assert find_source(translation) is None
    write(tmp_path / "nested-name.yml", ORIGINAL + "translations: [afu-iyo.yaml]\n")
    assert find_source(translation) == (tmp_path / "nested-name.yml", None)


def test_asking_for_one_leaflet_makes_no_other_leaflet_its_dependency(tmp_path: Path) -> None:
    # The folder's lists are read for the first leaflet asked about: that leaflet must not then
    # depend (in the incremental build) on every file that has a translations list.
    write(tmp_path / "liver.yaml", ORIGINAL + "translations: [afu-iyo.yaml]\n")
    write(tmp_path / "afu-iyo.yaml", ORIGINAL)
    bowel = write(tmp_path / "bowel.yaml", ORIGINAL)
    with recording_reads() as reads:
        assert find_source(bowel) is None
    assert reads == {}
