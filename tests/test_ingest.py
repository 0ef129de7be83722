"""The readers: every input format, date and dateline discovery, and a one-line problem for every bad input."""
from __future__ import annotations

import datetime
import io
import json
import os
import socket
from pathlib import Path

import pytest

from warmonitor import ingest
from warmonitor.ingest import MAX_BYTES, ReadProblem, read_articles
from warmonitor.model import Article

SHARED = Path(__file__).resolve().parents[2] / "shared"


def read(*paths, **kwargs) -> list[Article | ReadProblem]:
    return list(read_articles([str(p) for p in paths], **kwargs))


def read_one(path, **kwargs) -> Article | ReadProblem:
    (result,) = read(path, **kwargs)
    return result


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- the dated header format -------------------------------------------------------------------

DATED = """ date 2019-07-14 July 14 2019
Militants seize checkpoint outside Kirkuk

The attack came days after a security handover.

By REUTERS
July 14, 2019 11:05
2 minute read.
Soldiers stand guard at a checkpoint south of Kirkuk

Soldiers stand guard at a checkpoint south of Kirkuk. (photo credit: JANE ROE/ REUTERS)

KIRKUK - Militants armed with rifles overran an army checkpoint south of the city overnight, two officials said.

The officials said three soldiers were wounded in the assault.
"""


def test_dated_header_gives_date_title_agency_and_dateline(tmp_path):
    article = read_one(write(tmp_path, "kirkuk.txt", DATED))
    assert article.published == datetime.date(2019, 7, 14)
    assert article.title == "Militants seize checkpoint outside Kirkuk"
    assert article.source == "Reuters"
    assert article.dateline == "KIRKUK"
    assert article.id == "kirkuk"


def test_dated_header_story_starts_at_the_dateline_paragraph(tmp_path):
    text = read_one(write(tmp_path, "kirkuk.txt", DATED)).text
    assert text.startswith("KIRKUK - Militants armed with rifles overran")
    assert text.endswith("wounded in the assault.")
    assert "\n\nThe officials said three soldiers" in text  # paragraphs keep one blank line between them
    for dropped in ("photo credit", "By REUTERS", "11:05", "minute read", "Soldiers stand guard"):
        assert dropped not in text


def test_dated_header_without_dateline_keeps_subtitle_and_drops_boilerplate(tmp_path):
    undated_story = DATED.replace("KIRKUK - Militants", "Militants")
    article = read_one(write(tmp_path, "kirkuk.txt", undated_story))
    assert article.dateline is None
    assert article.text.startswith("The attack came days after a security handover.")
    assert "Militants armed with rifles overran" in article.text
    for dropped in ("photo credit", "By REUTERS", "11:05", "minute read", "Soldiers stand guard"):
        assert dropped not in article.text


# --- plain text, datelines and agencies --------------------------------------------------------

@pytest.mark.parametrize(
    ("opening", "dateline", "source"),
    [
        ("HOMS - Government troops", "HOMS", None),
        ("HOMS (Reuters) - Government troops", "HOMS", "Reuters"),
        ("KABUL, Afghanistan (AP) — Government troops", "KABUL, Afghanistan", "AP"),
        ("DAMASCUS, March 5 (Reuters) - Government troops", "DAMASCUS", "Reuters"),
        ("MOGADISHU: Government troops", "MOGADISHU", None),
        ("DEIR EZ-ZOR (AFP) -- Government troops", "DEIR EZ-ZOR", "AFP"),
        ("Aleppo (REUTERS) - Government troops", "Aleppo", "Reuters"),
        ("Government troops", None, None),
        ("ISIS - Government troops", "ISIS", None),  # an all-capital opener followed by a dash reads as a dateline
        ("Officials said: Government troops", None, None),  # Title Case needs an agency or a date to count
    ],
)
def test_dateline_forms(tmp_path, opening, dateline, source):
    story = f"{opening} pushed into two villages on the plain overnight, residents said.\n"
    article = read_one(write(tmp_path, "story.txt", story))
    assert article.dateline == dateline
    assert article.source == source
    assert article.text == story.strip()  # the dateline stays in the text, so offsets match what was written


def test_plain_text_first_short_line_is_the_title(tmp_path):
    story = ("Army retakes hill near Hama\n\nHAMA (Reuters) - The army retook a strategic hill north of the city on "
             "Tuesday after two days of clashes with rebels, a military source said.\n")
    article = read_one(write(tmp_path, "hama.txt", story))
    assert article.title == "Army retakes hill near Hama"
    assert article.text.startswith("HAMA (Reuters) - The army retook")
    assert (article.dateline, article.source) == ("HAMA", "Reuters")


def test_plain_text_first_line_that_is_a_sentence_is_not_a_title(tmp_path):
    story = "Rebels shelled a market in the town.\nTwo people were hurt, a medic said.\n"
    article = read_one(write(tmp_path, "market.txt", story))
    assert article.title is None
    assert article.text == story.strip()


def test_plain_text_hard_wrapped_first_line_is_not_a_title(tmp_path):
    story = "Rebels shelled a crowded market in the town of Ariha on\nSunday morning, a medic said.\n"
    article = read_one(write(tmp_path, "market.txt", story))
    assert article.title is None
    assert article.text == story.strip()


def test_title_directly_above_a_dateline(tmp_path):
    story = "Army retakes hill near Hama\nHAMA (Reuters) - The army retook a hill north of the city on Tuesday.\n"
    article = read_one(write(tmp_path, "hama.txt", story))
    assert article.title == "Army retakes hill near Hama"
    assert article.text.startswith("HAMA (Reuters) - The army")


def test_plain_text_drops_byline_above_the_story_and_keeps_its_agency(tmp_path):
    story = ("Gunmen kill guards at oil field\nBy AFP\n\nGunmen killed four guards at an oil field in the desert "
             "east of the city on Monday, a local official said.\n")
    article = read_one(write(tmp_path, "oil.txt", story))
    assert article.title == "Gunmen kill guards at oil field"
    assert article.source == "AFP"
    assert article.text.startswith("Gunmen killed four guards")


def test_byline_naming_a_reporter_is_not_a_source(tmp_path):
    story = DATED.replace("By REUTERS", "By Jane Roe").replace("KIRKUK - ", "")
    assert read_one(write(tmp_path, "kirkuk.txt", story)).source is None


# --- date discovery ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Wed 05 Apr 2017", datetime.date(2017, 4, 5)),
        ("Sunday 15 Feb 2015", datetime.date(2015, 2, 15)),
        ("15.04.2017", datetime.date(2017, 4, 15)),
        ("04.05.2017", datetime.date(2017, 5, 4)),  # dotted dates are day first
        ("21-08-2014", datetime.date(2014, 8, 21)),
        ("March 20, 2018", datetime.date(2018, 3, 20)),
        ("20 March 2018", datetime.date(2018, 3, 20)),
        ("2017-04-05", datetime.date(2017, 4, 5)),
    ],
)
def test_date_discovered_in_a_timestamp_line_above_the_story(tmp_path, written, expected):
    story = f"{written}\n\nSoldiers cleared mines from the road to the airport, the ministry said.\n"
    article = read_one(write(tmp_path, "mines.txt", story))
    assert article.published == expected
    assert article.title is None  # a timestamp is not a headline
    assert article.text.startswith("Soldiers cleared mines")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("on Sunday 15 Feb 2015", datetime.date(2015, 2, 15)),
        ("on March 20, 2018", datetime.date(2018, 3, 20)),
        ("on 20 March 2018", datetime.date(2018, 3, 20)),
        ("(07.07.2015Updated)", datetime.date(2015, 7, 7)),  # scraped text glues words onto dates
    ],
)
def test_date_discovered_in_the_lead_sentence(tmp_path, written, expected):
    story = f"Soldiers cleared mines from the road to the airport {written}, the ministry said.\n"
    assert read_one(write(tmp_path, "mines.txt", story)).published == expected


def test_date_without_a_year_is_not_guessed(tmp_path):
    story = "DAMASCUS, March 5 (Reuters) - Jets struck a bakery in the eastern suburbs today, rescuers said.\n"
    assert read_one(write(tmp_path, "bakery.txt", story)).published is None


def test_first_full_date_wins_and_title_comes_first(tmp_path):
    story = ("Ceasefire of 2 May 2016 breaks down\n\nFighting resumed on 9 May 2016 around the town, "
             "a year after the truce of 1 June 2015 was signed, monitors said.\n")
    assert read_one(write(tmp_path, "truce.txt", story)).published == datetime.date(2016, 5, 2)


def test_date_far_down_the_story_is_not_the_publication_date(tmp_path):
    story = "Rebels said they had withdrawn from the hills. " * 20 + "The earlier offensive began on 3 June 2014."
    assert read_one(write(tmp_path, "hills.txt", story)).published is None


def test_date_option_overrides_every_other_date(tmp_path):
    override = datetime.date(2020, 1, 2)
    jsonl = json.dumps({"id": "j1", "text": "Troops shelled a village.", "date": "2016-08-09"})
    results = read(write(tmp_path, "kirkuk.txt", DATED), write(tmp_path, "a.jsonl", jsonl), date=override)
    assert [a.published for a in results] == [override, override]


# --- HTML --------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Rebels shell town near Idlib | Example News</title>
<meta property="og:title" content="Rebels shell town near Idlib">
<meta property="article:published_time" content="2019-06-02T10:00:00Z">
<link rel="canonical" href="https://news.example.org/rebels-shell-town">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Rebels shell town near Idlib</h1>
<p>IDLIB, Syria (AP) — Rebel fighters fired rockets at a government-held town on Sunday, wounding four people,
a monitoring group said.</p>
<p>The army answered with artillery fire on villages to the south, residents said by telephone.</p>
</article><footer>Copyright 2019 Example News. Subscribe to our newsletter.</footer></body></html>
"""


def test_html_page_metadata_and_main_text(tmp_path):
    article = read_one(write(tmp_path, "idlib.html", PAGE))
    assert article.title == "Rebels shell town near Idlib"
    assert article.published == datetime.date(2019, 6, 2)
    assert article.url == "https://news.example.org/rebels-shell-town"
    assert (article.dateline, article.source) == ("IDLIB, Syria", "AP")
    assert article.text.startswith("IDLIB, Syria (AP) — Rebel fighters")
    assert "\n\nThe army answered" in article.text
    for chrome in ("Home", "Subscribe", "Copyright"):
        assert chrome not in article.text
    assert article.id == "idlib"


def test_html_fragment_without_metadata(tmp_path):
    fragment = ("<p>GAO, Mali (AFP) — Gunmen on motorbikes attacked a market north of the town, killing seven "
                "traders, an official said on Thursday 6 June 2019.</p>")
    article = read_one(write(tmp_path, "gao.htm", fragment))
    assert (article.title, article.url) == (None, None)
    assert (article.dateline, article.source) == ("GAO, Mali", "AFP")
    assert article.published == datetime.date(2019, 6, 6)  # found in the text instead


def test_html_without_text_is_a_problem(tmp_path):
    problem = read_one(write(tmp_path, "blank.html", "<html><body><nav></nav></body></html>"))
    assert problem == ReadProblem(str(tmp_path / "blank.html"), "no article text found")


# --- JSONL -------------------------------------------------------------------------------------

def test_jsonl_reads_fields_and_reports_bad_lines_by_number(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": "ADEN (Reuters) - Two drones hit a fuel depot near the port.",
                    "title": "Drones hit depot", "date": "2019-08-01", "url": "https://example.org/a1"}),
        "",
        '{"id": "a2", "text": "broken',
        json.dumps({"id": "a3"}),
        json.dumps({"text": "No id here."}),
        "[1, 2]",
        json.dumps({"id": 7, "text": "Police fired tear gas at marchers.", "date": "5 April 2017",
                    "source": "Example Daily"}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    results = read(path)
    first, malformed, no_text, no_id, not_object, last = results
    assert (first.id, first.title, first.published, first.url) == (
        "a1", "Drones hit depot", datetime.date(2019, 8, 1), "https://example.org/a1")
    assert (first.dateline, first.source, first.origin) == ("ADEN", "Reuters", f"{path}:1")
    assert malformed.origin == f"{path}:3"
    assert malformed.message.startswith("line 3: malformed JSON (")
    assert (no_text.origin, no_text.message) == (f"{path}:4", "line 4: missing 'text'")
    assert no_id.message == "line 5: missing 'id'"
    assert not_object.message == "line 6: not a JSON object"
    assert (last.id, last.published, last.source, last.origin) == (
        "7", datetime.date(2017, 4, 5), "Example Daily", f"{path}:7")


def test_jsonl_date_that_cannot_be_read_falls_back_to_the_text(tmp_path):
    line = json.dumps({"id": "b", "text": "On 3 March 2016 fighters took the bridge.", "date": "soon"})
    assert read_one(write(tmp_path, "b.jsonl", line)).published == datetime.date(2016, 3, 3)


# --- directories -------------------------------------------------------------------------------

def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    write(tmp_path, "news/b.txt", "Troops entered the town at dawn, residents said.")
    write(tmp_path, "news/a/c.html", "<p>Rebels withdrew from the hill after heavy shelling.</p>")
    write(tmp_path, "news/a/d.jsonl", json.dumps({"id": "d1", "text": "Jets struck a depot."}))
    write(tmp_path, "news/.hidden.txt", "Not to be read.")
    write(tmp_path, "news/.cache/e.txt", "Not to be read either.")
    write(tmp_path, "news/notes.md", "Not an article file.")
    ids = [a.id for a in read(tmp_path / "news")]
    assert ids == ["c", "d1", "b"]


def test_empty_directory_is_one_problem(tmp_path):
    (tmp_path / "empty").mkdir()
    write(tmp_path, "empty/readme.md", "nothing to read")
    problem = read_one(tmp_path / "empty")
    assert problem == ReadProblem(str(tmp_path / "empty"), f"no articles found in {tmp_path / 'empty'}")


def test_files_sharing_a_stem_get_their_relative_path_as_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "x/report.txt", "Gunmen attacked a bus on the highway.")
    write(tmp_path, "y/report.txt", "Police arrested two suspects at a checkpoint.")
    write(tmp_path, "y/other.txt", "Shelling damaged a school in the north.")
    assert [a.id for a in read("x", "y")] == ["x/report.txt", "other", "y/report.txt"]


# --- stdin -------------------------------------------------------------------------------------

def test_stdin_plain_text():
    data = "ODESSA (Reuters) - A missile struck a grain terminal overnight, officials said.\n".encode()
    (article,) = read("-", stdin=io.BytesIO(data))
    assert (article.id, article.origin, article.dateline, article.source) == ("stdin", "-", "ODESSA", "Reuters")


def test_stdin_jsonl_and_html_are_sniffed():
    jsonl = b'{"id": "s1", "text": "Clashes broke out near the border."}\n\n{"id": "s2", "text": "Jets struck."}\n'
    assert [(a.id, a.origin) for a in read("-", stdin=io.BytesIO(jsonl))] == [("s1", "-:1"), ("s2", "-:3")]
    (page,) = read("-", stdin=io.BytesIO(PAGE.encode()))
    assert page.title == "Rebels shell town near Idlib" and page.id == "stdin"


def test_stdin_as_text_stream_and_empty_stdin():
    (article,) = read("-", stdin=io.StringIO("Troops retook the airport after a week of fighting."))
    assert article.text == "Troops retook the airport after a week of fighting."
    assert read("-", stdin=io.BytesIO(b"  \n")) == [ReadProblem("-", "empty input")]


# --- problems ----------------------------------------------------------------------------------

def test_missing_file_does_not_stop_the_run(tmp_path):
    good = write(tmp_path, "good.txt", "Police dispersed a protest outside the ministry.")
    missing = tmp_path / "missing.txt"
    results = read(missing, good)
    assert results[0] == ReadProblem(str(missing), f"no such file or directory: {missing}")
    assert results[1].id == "good"


@pytest.mark.parametrize("content", [b"", b"   \n\n  \t\n"])
def test_empty_file(tmp_path, content):
    assert read_one(write(tmp_path, "empty.txt", content)).message == "empty file"


def test_binary_file_with_nul_bytes(tmp_path):
    problem = read_one(write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert (problem.message, problem.kind) == ("not UTF-8 text (binary?)", "error")


def test_latin1_bytes_are_not_utf8(tmp_path):
    problem = read_one(write(tmp_path, "latin.txt", "Troops entered Al-Bab\xe9 at dawn.".encode("latin-1")))
    assert problem.message == "not UTF-8 text (binary?)"


def test_file_over_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: costs no disk, and the reader must never load it
    assert MAX_BYTES == 20 * 1024 * 1024
    assert read_one(path) == ReadProblem(str(path), "too large: 21.0 MB (limit 20 MB)")


def test_stdin_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_BYTES", 1024 * 1024)
    oversized = io.BytesIO(b"Shelling. " * 110_000)
    assert read("-", stdin=oversized) == [ReadProblem("-", "too large: more than 1 MB")]


def test_headline_without_a_story_is_a_problem(tmp_path):
    path = write(tmp_path, "bare.txt", " date 2019-07-14 July 14 2019\nMilitants seize checkpoint\n")
    assert read_one(path) == ReadProblem(str(path), "no article text found")


def test_bom_and_crlf_are_normalised(tmp_path):
    raw = "\ufeffConvoy ambushed near Sirte\r\n\r\nSIRTE - Fighters ambushed a supply convoy.\r\nTwo drivers died.\r\n"
    article = read_one(write(tmp_path, "sirte.txt", raw.encode("utf-8")))
    assert article.title == "Convoy ambushed near Sirte"
    assert article.text == "SIRTE - Fighters ambushed a supply convoy.\nTwo drivers died."


def test_french_text_is_skipped_not_failed(tmp_path):
    french = ("Des combattants ont attaqué un poste de l'armée dans la nuit, selon des habitants de la région. "
              "Trois soldats ont été blessés pendant les combats.\n")
    problem = read_one(write(tmp_path, "poste.txt", french))
    assert (problem.kind, problem.message) == ("skipped", "not English (looks like fr)")


def test_short_text_is_not_judged_for_language(tmp_path):
    assert read_one(write(tmp_path, "short.txt", "Combats à Gao.")).text == "Combats à Gao."


def test_french_jsonl_line_is_skipped_with_its_line_number(tmp_path):
    french = "Des combattants ont attaqué un poste de l'armée dans la nuit, selon des habitants de la région."
    path = write(tmp_path, "mixed.jsonl", json.dumps({"id": "f", "text": french}))
    assert read_one(path) == ReadProblem(f"{path}:1", "not English (looks like fr)", kind="skipped")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "locked.txt", "Troops entered the town.")
    path.chmod(0)
    assert read_one(path) == ReadProblem(str(path), f"permission denied: {path}")


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_file_that_cannot_be_opened(tmp_path):
    path = tmp_path / "feed.txt"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))  # a socket has a name on disk but cannot be opened like a file
        problem = read_one(path)
    assert problem.origin == str(path)
    assert problem.message.startswith(f"cannot read {path}: ")


# --- the reference article ---------------------------------------------------------------------

@pytest.fixture
def seed_article() -> Path:
    path = SHARED / "seeds" / "qadam-2018-03-20.txt"
    if not path.exists():
        pytest.skip("../shared is not available")
    return path


def test_reference_article(seed_article):
    article = read_one(seed_article)
    assert article.published == datetime.date(2018, 3, 20)
    assert article.title.startswith("ISIS takes Damascus area")
    assert (article.source, article.dateline) == ("Reuters", "BEIRUT")
    assert article.text.startswith("BEIRUT - ISIS fighters")
    assert "photo credit" not in article.text
    assert "pictured above a destroyed house" not in article.text


def test_plain_english_is_known_without_the_language_model():
    """The 80 MB identifier is loaded only for text whose function words do not already say English."""
    from warmonitor.ingest.language import plainly_english

    assert plainly_english("Government troops retook the town from the rebels on Thursday after a week of "
                           "fighting that killed dozens, the monitor said.")
    assert not plainly_english("Les forces gouvernementales ont repris jeudi le contrôle de la ville après de "
                               "violents combats avec les rebelles.")
    assert not plainly_english("Die Regierungstruppen haben am Donnerstag die Kontrolle über die Stadt "
                               "zurückerobert, wie die Beobachtungsstelle mitteilte.")
