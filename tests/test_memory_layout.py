"""The gazetteer's on-disk layout (issue #8): the compact bundled file is unpacked once into a cache, read from
there a few elements at a time, and gives the same places as before."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.resolve.gazetteer import DEFAULT_PATH, Gazetteer, fold
from warmonitor.resolve.place_store import GazetteerError, PackedPlaces, write_packed

HEADER = "id\tname\tfold=test"
ROWS = ["g:1\tAleppo\tSY", "g:2\tDamascus\tSY", "g:3\tDamascus\tUS", "g:4\tHalab\tSY"]
NAMES = [["aleppo", "halab"], ["damascus"], ["damascus"], ["halab"]]


def small_gazetteer(path: Path, rows=ROWS, names=NAMES) -> Path:
    write_packed(path, HEADER, rows, names)
    return path


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> PackedPlaces:
    """The bundled gazetteer, unpacked into a cache of this test module's own."""
    return PackedPlaces.load(DEFAULT_PATH, cache_dir=tmp_path_factory.mktemp("cache"))


def test_names_find_their_rows_and_ids_find_theirs(tmp_path):
    store = PackedPlaces.load(small_gazetteer(tmp_path / "g.npz"), cache_dir=tmp_path / "cache")
    assert len(store) == 4 and store.header == HEADER
    assert store.row(1) == "g:2\tDamascus\tSY"
    assert sorted(store.rows_for("damascus")) == [(1, False), (2, False)]
    # Aleppo's other name is flagged as only an alternate name of it; Halab's own name is not
    assert sorted(store.rows_for("halab")) == [(0, True), (3, False)]
    assert store.rows_for("homs") == [] and not store.has("homs") and store.has("aleppo")
    assert [store.row_of_id(i) for i in ("g:1", "g:2", "g:3", "g:4", "g:5")] == [0, 1, 2, 3, None]


def test_every_sampled_place_of_the_bundled_gazetteer_is_found_by_its_name_and_its_id(bundled):
    for i in random.Random(8).sample(range(len(bundled)), 400):
        fields = bundled.row(i).split("\t")
        assert bundled.row_of_id(fields[0]) == i
        own_name = fold(fields[3])  # empty for a name in a script fold() does not read ("Кучково")
        assert not own_name or (i, False) in bundled.rows_for(own_name)


def test_the_cache_gives_the_same_places_as_the_compact_file_read_into_memory(bundled):
    in_memory = PackedPlaces.load_in_memory(DEFAULT_PATH)
    assert len(in_memory) == len(bundled) and in_memory.header == bundled.header
    assert in_memory.max_words == bundled.max_words
    for name in ("Aleppo", "Damascus", "Springfield", "Deir ez-Zor", "Kobani", "Mosul", "Kiev", "Tel Abyad"):
        assert bundled.rows_for(fold(name)) == in_memory.rows_for(fold(name)), name
        assert [bundled.row(i) for i, _ in bundled.rows_for(fold(name))] == \
               [in_memory.row(i) for i, _ in in_memory.rows_for(fold(name))]


def test_lookups_through_the_cache_still_rank_the_famous_place_first(tmp_path):
    gaz = Gazetteer(
        [PackedPlaces.load(DEFAULT_PATH, cache_dir=tmp_path)], {}, {})
    aleppo = gaz.lookup("Aleppo")[0]
    assert (aleppo.name, aleppo.iso2, round(aleppo.latitude), round(aleppo.longitude)) == ("Aleppo", "SY", 36, 37)
    assert gaz.lookup("Damascus")[0].iso2 == "SY"
    assert gaz.lookup("Springfield", country="US")[0].iso2 == "US"
    assert gaz.country_name("SY") == "Syria"


def test_the_cache_is_unpacked_once_then_reused(tmp_path):
    source = small_gazetteer(tmp_path / "g.npz")
    PackedPlaces.load(source, cache_dir=tmp_path / "cache")
    [folder] = (tmp_path / "cache").iterdir()
    written = {f.name: f.stat().st_mtime_ns for f in folder.iterdir()}
    assert {"blob.npy", "keys.npy", "meta.json"} <= set(written)

    again = PackedPlaces.load(source, cache_dir=tmp_path / "cache")
    assert again.rows_for("aleppo") == [(0, False)]
    assert list((tmp_path / "cache").iterdir()) == [folder]  # nothing half-written left beside it
    assert {f.name: f.stat().st_mtime_ns for f in folder.iterdir()} == written


def test_a_changed_gazetteer_file_gets_a_cache_of_its_own(tmp_path):
    first = small_gazetteer(tmp_path / "a.npz")
    second = small_gazetteer(tmp_path / "b.npz", rows=["g:9\tHoms\tSY"], names=[["homs"]])
    assert PackedPlaces.load(first, cache_dir=tmp_path / "cache").row(0).startswith("g:1")
    assert PackedPlaces.load(second, cache_dir=tmp_path / "cache").row(0).startswith("g:9")
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_a_damaged_cache_is_unpacked_afresh(tmp_path):
    source = small_gazetteer(tmp_path / "g.npz")
    PackedPlaces.load(source, cache_dir=tmp_path / "cache")
    [folder] = (tmp_path / "cache").iterdir()
    blob = folder / "blob.npy"
    blob.write_bytes(blob.read_bytes()[:-10])  # as after a full disk or a killed copy
    store = PackedPlaces.load(source, cache_dir=tmp_path / "cache")
    assert store.row(3) == "g:4\tHalab\tSY"


def test_without_a_writable_cache_the_gazetteer_is_read_into_memory(tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    store = PackedPlaces.load(small_gazetteer(tmp_path / "g.npz"), cache_dir=not_a_folder)
    assert sorted(store.rows_for("damascus")) == [(1, False), (2, False)]
    assert store.row_of_id("g:3") == 2


def test_a_corrupt_gazetteer_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "places.npz"
    bad.write_bytes(b"not a zip file at all")
    with pytest.raises(GazetteerError, match="cannot read gazetteer"):
        PackedPlaces.load(bad, cache_dir=tmp_path / "cache")
    with pytest.raises(GazetteerError, match="cannot read gazetteer"):
        PackedPlaces.load(tmp_path / "missing.npz", cache_dir=tmp_path / "cache")


def test_two_processes_unpacking_at_once_both_get_the_gazetteer(tmp_path):
    source = small_gazetteer(tmp_path / "g.npz")
    code = ("import sys; from pathlib import Path; from warmonitor.resolve.place_store import PackedPlaces; "
            "s = PackedPlaces.load(Path(sys.argv[1]), cache_dir=Path(sys.argv[2])); print(s.row(s.row_of_id('g:4')))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(source), str(tmp_path / "cache")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [out for out, _ in outputs] == ["g:4\tHalab\tSY\n"] * 3, [err for _, err in outputs]
    assert len(list((tmp_path / "cache").iterdir())) == 1


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_rows_are_read_from_the_cache_without_mapping_it_into_the_process(bundled):
    for i in random.Random(1).sample(range(len(bundled)), 2000):
        bundled.row(i)
    mapped = {Path(line.split()[-1]).name for line in Path("/proc/self/maps").read_text().splitlines()
              if ".npy" in line and "gazetteer-" in line}
    # only the name hashes, which every lookup searches, are mapped; rows stay in the kernel's page cache
    assert mapped == {"keys.npy"}


def test_the_default_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    from warmonitor.resolve.place_store import user_cache_dir

    monkeypatch.setenv("WARMONITOR_CACHE", str(tmp_path / "mine"))
    assert user_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("WARMONITOR_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg" / "warmonitor"
    assert os.fspath(user_cache_dir()).endswith("warmonitor")


def on_glibc() -> bool:
    try:
        return sys.platform.startswith("linux") and bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError):
        return False


@pytest.mark.skipif(not on_glibc(), reason="the setting is glibc's")
def test_on_glibc_the_allocator_keeps_big_blocks_in_their_own_mappings():
    from warmonitor.allocator import keep_big_blocks_apart

    assert keep_big_blocks_apart() is True
