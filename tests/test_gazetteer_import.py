"""`warmonitor gazetteer import`: GeoNames dumps extend the bundled gazetteer.

The fixtures in tests/data/geonames/ are small files in GeoNames' dump layouts: a Syrian country file (SY.txt,
19 columns), a two-country slice of allCountries and an alternate-names file (alternateNamesV2, 10 columns).
Every test imports into its own temporary data directory (WARMONITOR_DATA points there too, so the real home
directory is never touched).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from warmonitor.cli import main
from warmonitor.resolve.gazetteer import Gazetteer, imported_gazetteers

FIXTURES = Path(__file__).parent / "data" / "geonames"


@pytest.fixture(scope="module")
def bundled() -> Gazetteer:
    return Gazetteer.load(extra=[])


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("WARMONITOR_DATA", str(folder))
    return folder


def zipped(tmp_path: Path, fixture: str) -> Path:
    """The fixture as GeoNames ships it: NAME.zip holding NAME.txt (and a readme)."""
    source = FIXTURES / fixture
    target = tmp_path / f"{source.stem}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(source, source.name)
        zf.writestr("readme.txt", "GeoNames readme")
    return target


def warmonitor(capsys, *args) -> tuple[int, str, list[str]]:
    """Run the CLI in-process: (exit status, stdout, stderr lines)."""
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err.splitlines()


def imported(data_dir: Path) -> Gazetteer:
    return Gazetteer.load(extra=imported_gazetteers(data_dir))


@pytest.fixture()
def syria(tmp_path, data_dir, capsys):
    """SY.zip imported; returns the gazetteer with it and the CLI's stderr."""
    status, _, err = warmonitor(capsys, "gazetteer", "import", zipped(tmp_path, "SY.txt"), "--data-dir", data_dir)
    assert status == 0, err
    return imported(data_dir), err


# --- a country file ---------------------------------------------------------------------------------------

def test_a_country_zip_adds_the_villages_the_bundled_gazetteer_lacks(bundled, syria, data_dir):
    gaz, err = syria
    assert bundled.lookup("Tall Mardikh") == []
    (village, *_) = gaz.lookup("Tall Mardikh")
    assert (village.name, village.feature, village.country, village.iso, village.iso2) == \
        ("Tall Mardikh", "town", "Syria", 760, "SY")
    assert village.admin1 == "Idleb"  # GeoNames' Idlib governorate, under the bundled (OCHA) name
    assert (village.latitude, village.longitude) == (35.77028, 36.80194)
    assert (village.geonameid, village.source) == (90200001, "geonames-import")
    assert err == [f"warmonitor: imported 2 place(s) (7 already known, 3 with new names) into "
                   f"{data_dir / 'gazetteer' / 'SY.tsv.gz'}"]


def test_a_place_already_known_is_not_repeated_but_learns_its_new_spellings(bundled, syria):
    gaz, _ = syria
    yabrud = bundled.by_id("162627")
    assert bundled.records_for("Yabrood") == []
    assert gaz.records_for("Yabrood") == [yabrud]  # the same record, under a new name
    assert [r.geonameid for r in gaz.records_for("Yabrud")].count(162627) == 1
    # UCDP GED's Kafr Nabudah (no GeoNames id) and GeoNames' are one village, a few metres apart
    assert gaz.records_for("Kafr Nabudah") == bundled.records_for("Kafr Nabudah")


def test_governorates_stay_the_bundled_ones_and_learn_geonames_names(bundled, syria):
    gaz, _ = syria
    (idlib,) = [r for r in gaz.records_for("Muhafazat Idlib") if r.iso2 == "SY"]
    assert (idlib.source, idlib.feature, idlib.name) == ("ocha", "admin1", "Idleb")
    assert len([r for r in gaz.records_for("Idlib") if r.feature == "admin1"]) == \
        len([r for r in bundled.records_for("Idlib") if r.feature == "admin1"])


def test_a_quarter_becomes_a_neighbourhood_of_its_city(syria):
    gaz, _ = syria
    (quarter,) = [r for r in gaz.records_for("Al Qusur") if r.geonameid == 90200003]
    assert (quarter.feature, quarter.parent, quarter.admin1) == ("neighbourhood", "Idlib", "Idleb")


def test_streams_and_hills_are_left_out(syria):
    gaz, _ = syria
    found = {r.geonameid for name in ("Nahr al Abyad", "Tall al Abyad") for r in gaz.records_for(name)}
    assert not found & {90200004, 90200005}


def test_min_population_drops_smaller_villages_but_keeps_admin_units(tmp_path, data_dir, capsys):
    status, _, err = warmonitor(capsys, "gazetteer", "import", zipped(tmp_path, "SY.txt"), "--min-population",
                                1000, "--data-dir", data_dir)
    assert status == 0, err
    gaz = imported(data_dir)
    assert gaz.lookup("Tall Mardikh") == []
    assert [r.name for r in gaz.records_for("Muhafazat Idlib") if r.iso2 == "SY"] == ["Idleb"]


# --- several countries in one file --------------------------------------------------------------------------

def test_country_filter_keeps_only_the_chosen_countries(tmp_path, data_dir, capsys):
    status, _, err = warmonitor(capsys, "gazetteer", "import", zipped(tmp_path, "allCountries.txt"),
                                "--country", "iq", "--data-dir", data_dir)
    assert status == 0, err
    assert [p.name for p in imported_gazetteers(data_dir)] == ["allCountries-IQ.tsv.gz"]
    gaz = imported(data_dir)
    (bashiqa, *_) = gaz.lookup("Bashiqa")
    assert (bashiqa.country, bashiqa.geonameid) == ("Iraq", 90300001)
    assert gaz.lookup("Tall Mardikh") == []


# --- alternate names ---------------------------------------------------------------------------------------

def test_alternate_names_make_known_places_findable_by_new_spellings(bundled, syria, data_dir, capsys):
    status, _, err = warmonitor(capsys, "gazetteer", "import", FIXTURES / "alternateNamesV2.txt")
    assert status == 0, err
    assert err == [f"warmonitor: imported 2 new name(s) for 2 known place(s) into "
                   f"{data_dir / 'gazetteer' / 'alternateNamesV2.tsv.gz'}"]
    gaz = imported(data_dir)
    assert bundled.records_for("Kafrzita") == []
    assert gaz.records_for("Kafrzita") == [bundled.by_id("168620")]  # a bundled town
    assert [r.geonameid for r in gaz.records_for("Ebla")] == [90200001]  # a village SY.zip added, by its ancient name
    for skipped in ("Kafr Sita",  # German
                    "Kafr Zeita Old",  # historic
                    "Nowhere Town"):  # a place the gazetteer does not have
        assert all(r.geonameid is None or r.geonameid not in (168620, 999999999)
                   for r in gaz.records_for(skipped)), skipped


def test_the_older_alternate_names_layout_is_read_too(bundled, tmp_path, data_dir, capsys):
    old = tmp_path / "alternateNames.txt"
    lines = (FIXTURES / "alternateNamesV2.txt").read_text(encoding="utf-8").splitlines()
    old.write_text("".join("\t".join(line.split("\t")[:8]) + "\n" for line in lines), encoding="utf-8")
    status, _, err = warmonitor(capsys, "gazetteer", "import", old)
    assert status == 0, err
    assert imported(data_dir).records_for("Kafrzita") == [bundled.by_id("168620")]


# --- managing imports --------------------------------------------------------------------------------------

def test_reimporting_a_file_replaces_its_earlier_import(syria, tmp_path, data_dir, capsys):
    before = (data_dir / "gazetteer" / "SY.tsv.gz").stat().st_size
    status, _, err = warmonitor(capsys, "gazetteer", "import", tmp_path / "SY.zip", "--data-dir", data_dir)
    assert status == 0 and "imported 2 place(s)" in err[0]
    assert [p.name for p in imported_gazetteers(data_dir)] == ["SY.tsv.gz"]
    assert (data_dir / "gazetteer" / "SY.tsv.gz").stat().st_size == before
    assert len([r for r in imported(data_dir).records_for("Tall Mardikh")]) == 1


def test_list_and_remove(syria, data_dir, capsys):
    status, out, _ = warmonitor(capsys, "gazetteer", "list")
    assert status == 0
    assert out.split("\t")[:2] == ["SY", "2 new place(s), 3 known place(s) with new names"]
    status, _, err = warmonitor(capsys, "gazetteer", "remove", "SY")
    assert status == 0 and err == [f"warmonitor: removed {data_dir / 'gazetteer' / 'SY.tsv.gz'}"]
    assert imported(data_dir).lookup("Tall Mardikh") == []
    status, _, err = warmonitor(capsys, "gazetteer", "remove", "SY")
    assert status == 1 and len(err) == 1 and "no imported gazetteer named 'SY'" in err[0]


def test_lookup_prints_the_ranked_candidates(syria, capsys):
    status, out, _ = warmonitor(capsys, "gazetteer", "lookup", "Tall Mardikh", "--country", "SY")
    header, first, *_ = out.splitlines()
    assert status == 0
    assert header.split("\t") == ["name", "feature", "country", "admin1", "lat", "lon", "geonameid", "source"]
    assert first.split("\t") == ["Tall Mardikh", "town", "Syria", "Idleb", "35.77028", "36.80194", "90200001",
                                 "geonames-import"]


def test_gazetteer_alone_prints_its_help(capsys):
    status, out, _ = warmonitor(capsys, "gazetteer")
    assert status == 0 and out.startswith("usage: warmonitor gazetteer")
    for action in ("import", "list", "remove", "lookup"):
        assert action in out


# --- bad input ---------------------------------------------------------------------------------------------

def _not_a_zip(folder: Path) -> Path:
    path = folder / "SY.zip"
    path.write_text("this is not an archive\n", encoding="utf-8")
    return path


def _a_csv(folder: Path) -> Path:
    path = folder / "places.txt"
    path.write_text("id,name,lat\n1,Idlib,35.9\n", encoding="utf-8")
    return path


def _latin1(folder: Path) -> Path:
    path = folder / "SY.txt"
    path.write_bytes("".join(f"{i}\tQal\u00e9at {i}\n" for i in range(30)).encode("latin-1"))
    return path


def _zip_without_text(folder: Path) -> Path:
    path = folder / "XX.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "nothing here")
    return path


@pytest.mark.parametrize("make, status, fragment", [
    (lambda folder: folder / "missing.zip", 2, "no such file"),
    (_not_a_zip, 2, "SY.zip: not a zip archive"),
    (_a_csv, 2, "places.txt:1: not a GeoNames dump: 1 tab-separated column(s)"),
    (_latin1, 2, "SY.txt:1: not UTF-8 text"),
    (_zip_without_text, 2, "XX.zip: no GeoNames .txt file inside the zip archive"),
])
def test_a_bad_file_fails_with_one_line_naming_it(tmp_path, data_dir, capsys, make, status, fragment):
    code, out, err = warmonitor(capsys, "gazetteer", "import", make(tmp_path))
    assert code == status and out == ""
    assert len(err) == 1 and err[0].startswith("warmonitor: error: ") and fragment in err[0]
    assert imported_gazetteers(data_dir) == []


def test_malformed_lines_in_a_big_dump_are_skipped_and_counted(tmp_path, data_dir, capsys):
    dump = tmp_path / "SY.txt"
    good = (FIXTURES / "SY.txt").read_bytes()
    dump.write_bytes(good + b"123\tcut short\n" + b"90200009\tKafr \xe9\n")
    status, _, err = warmonitor(capsys, "gazetteer", "import", dump)
    assert status == 0
    assert err == [f"warmonitor: imported 2 place(s) (7 already known, 3 with new names) into "
                   f"{data_dir / 'gazetteer' / 'SY.tsv.gz'}; 2 malformed line(s) skipped "
                   f"(first: {dump}:12: 2 columns, expected 19)"]


def test_an_unknown_country_code_is_refused(tmp_path, data_dir, capsys):
    status, _, err = warmonitor(capsys, "gazetteer", "import", zipped(tmp_path, "allCountries.txt"),
                                "--country", "QQ")
    assert status == 2 and len(err) == 1 and "unknown country code(s): QQ" in err[0]
