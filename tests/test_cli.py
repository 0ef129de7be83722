"""The `warmonitor` command, run as a user runs it: a subprocess, real files, real output.

A batch goes on past bad inputs (one line on stderr each) and fails only when nothing could be read; bad
options and bad files never give a traceback. Runs that code articles load the language model (~2 s each),
so the checks on their output share a few module-scoped runs; runs that fail before any article is read
do not load it and are cheap.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.ingest import read_articles
from warmonitor.model import ACLED_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXPECTED = ROOT / "tests" / "expected"

# Invented reports, in the project's own words.
CLASH = """date 2021-05-12 May 12 2021
Gunmen kill three soldiers at checkpoint in Idlib

BEIRUT - Gunmen killed three soldiers at an army checkpoint in Idlib on Monday, a war monitor said.

Hayat Tahrir al-Sham controls most of Idlib province, including the town of Saraqib.
"""
UNDATED = "Rebels shelled the town of Saraqib on Monday, killing four civilians, rescue workers said.\n"
COUNTRY_ONLY = """date 2022-11-09 November 9 2022
Ambush in Mali

BAMAKO - Militants killed five soldiers in an ambush in Mali on Tuesday, the army said.
"""
EAGLES = """date 2021-05-12 May 12 2021
Army post overrun

BEIRUT - Fighters of the Orontes Eagles attacked an army post in Jisr al-Shughur on Monday, killing two soldiers,
a war monitor said.
"""
EAGLES_ACTORS = {"actors": [{"name": "Orontes Eagles Brigade", "kind": "armed", "inter": 3, "countries": ["Syria"],
                             "aliases": ["Orontes Eagles", "Eagles of the Orontes"]}]}
FRENCH = ("Des hommes armés ont attaqué un poste de l'armée près de la ville lundi matin, selon un responsable "
          "local. Trois soldats ont été tués et deux autres blessés.\n")
JSONL_BATCH = "\n".join([
    json.dumps({"id": "kano-1", "date": "2023-05-02",
                "text": "KANO - Gunmen killed two police officers at a checkpoint in Kano on Monday, police said."}),
    '{"id": "kano-2", "text": "unterminated',
    "[1, 2, 3]",
    json.dumps({"id": "kano-3"}),
]) + "\n"
FRAGMENT = "Heavy fighting in Idlib on Monday.\n"
TWENTY_ONE_MB = 21 * 1024 * 1024


def warmonitor(*args, cwd: Path, stdin: str | bytes = b"", timeout: float = 180) -> subprocess.CompletedProcess:
    """Run the command; stdout and stderr come back as text."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run([sys.executable, "-m", "warmonitor", *map(str, args)], cwd=cwd, input=data,
                          capture_output=True, timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8"))


def lines_naming(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if name in line]


def assert_clean_failure(result: subprocess.CompletedProcess, status: int, *fragments: str) -> None:
    """The exit status, no traceback, and one stderr line holding the reason."""
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    reason = [line for line in result.stderr.splitlines() if all(f in line for f in fragments)]
    assert len(reason) == 1, result.stderr
    assert reason[0].startswith("warmonitor")


# --- inputs that are bad on their own ---------------------------------------------------------------------

def write_bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, what its stderr line must say)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes("Gunmen attacked a café in Aleppo on Monday.\n".encode("latin-1"))
    (folder / "french.txt").write_text(FRENCH, encoding="utf-8")
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(TWENTY_ONE_MB)  # sparse: the size alone must refuse it, before any reading
    (folder / "no-articles").mkdir(exist_ok=True)
    (folder / "no-articles" / "notes.csv").write_text("not,an,article\n")
    (folder / "all-bad.jsonl").write_text('{"id": "x", "text": \n{"text": "no id here"}\n')
    return {
        "missing": (folder / "missing.txt", "no such file"),
        "empty": (folder / "empty.txt", "empty"),
        "binary": (folder / "binary.txt", "not UTF-8"),
        "latin1": (folder / "latin1.txt", "not UTF-8"),
        "french": (folder / "french.txt", "not English"),
        "huge": (folder / "huge.txt", "too large"),
        "no-articles": (folder / "no-articles", "no articles found"),
    }


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    return write_bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("name", ["missing", "empty", "binary", "latin1", "french", "huge", "no-articles"])
def test_a_lone_bad_input_fails_with_one_line_naming_it(bad_inputs, name, tmp_path):
    path, reason = bad_inputs[name]
    result = warmonitor("extract", path, cwd=tmp_path)
    assert_clean_failure(result, 1, path.name, reason)
    assert result.stderr.splitlines()[-1] == "warmonitor: error: no article could be read"
    assert len(result.stderr.splitlines()) == 2
    assert result.stdout == ""


def test_malformed_jsonl_lines_are_reported_by_line_number(bad_inputs, tmp_path):
    path = bad_inputs["empty"][0].parent / "all-bad.jsonl"
    result = warmonitor("extract", path, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(lines_naming(result.stderr, "all-bad.jsonl:1: malformed JSON")) == 1
    assert len(lines_naming(result.stderr, "all-bad.jsonl:2: missing 'id'")) == 1


def test_empty_standard_input_is_reported(tmp_path):
    assert_clean_failure(warmonitor("extract", "-", cwd=tmp_path, stdin=""), 1, "standard input", "empty")


# --- bad options and option files --------------------------------------------------------------------------

@pytest.fixture()
def article(tmp_path) -> Path:
    path = tmp_path / "clash.txt"
    path.write_text(CLASH, encoding="utf-8")
    return path


@pytest.mark.parametrize("options, status, fragments", [
    (["--date", "2021-02-30"], 2, ["--date", "2021-02-30"]),
    (["--date", "yesterday"], 2, ["--date", "YYYY-MM-DD"]),
    (["--format", "xml"], 2, ["--format", "xml"]),
    (["-o", "no/such/dir/events.jsonl"], 1, ["no/such/dir/events.jsonl", "does not exist"]),
    (["--control", "no/such/dir/control.jsonl"], 1, ["no/such/dir/control.jsonl", "does not exist"]),
    (["--actors", "no-such-actors.json"], 2, ["actors file not found", "no-such-actors.json"]),
])
def test_a_bad_option_fails_with_one_line(article, tmp_path, options, status, fragments):
    result = warmonitor("extract", article, *options, cwd=tmp_path)
    assert_clean_failure(result, status, *fragments)
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


@pytest.mark.parametrize("content, fragment", [
    ('{"actors": [', "not valid JSON"),
    ('{"actors": [{"aliases": ["Orontes Eagles"]}]}', "needs a non-empty string 'name'"),
    ('{"actors": [{"name": "Orontes Eagles Brigade", "inter": 11}]}', "'inter' must be"),
    ('"just a string"', "expected a list of actors"),
])
def test_a_malformed_actors_file_fails_with_one_line(article, tmp_path, content, fragment):
    actors = tmp_path / "my_actors.json"
    actors.write_text(content, encoding="utf-8")
    result = warmonitor("extract", article, "--actors", actors, cwd=tmp_path)
    assert_clean_failure(result, 2, "my_actors.json", fragment)
    assert len(result.stderr.splitlines()) == 1


def test_extract_without_a_path_says_what_is_missing(tmp_path):
    assert_clean_failure(warmonitor("extract", cwd=tmp_path), 2, "PATH", "--help")


# --- help ------------------------------------------------------------------------------------------------

def test_warmonitor_alone_prints_help_listing_its_commands(tmp_path):
    result = warmonitor(cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("usage: warmonitor")
    assert "extract" in result.stdout and "eval" in result.stdout


@pytest.mark.parametrize("command, words", [
    (["extract", "--help"], ["--format", "--date", "--actors", "--control", "-o", "examples:"]),
    (["eval", "--help"], ["events", "fakes"]),
    (["eval"], ["events", "fakes"]),
    (["eval", "events", "--help"], ["--errors", "evaluation/README.md"]),
    (["eval", "fakes", "--help"], ["article_content", "location"]),
])
def test_every_command_has_help(tmp_path, command, words):
    result = warmonitor(*command, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("usage: warmonitor")
    for word in words:
        assert word in result.stdout


# --- a mixed batch: the bundled examples, good reports of our own, and every kind of bad input ----------------

@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    bad = write_bad_inputs(folder / "bad")
    good = {"clash": CLASH, "undated": UNDATED, "country-only": COUNTRY_ONLY, "eagles": EAGLES}
    for name, text in good.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "wire.jsonl").write_text(JSONL_BATCH, encoding="utf-8")
    inputs = [EXAMPLES, *(folder / f"{name}.txt" for name in good), folder / "wire.jsonl",
              *(path for path, _ in bad.values())]
    result = warmonitor("extract", *inputs, "-o", "events.jsonl", "--control", "control.jsonl", cwd=folder)
    articles = {a.id: a for a in read_articles([str(p) for p in inputs]) if hasattr(a, "text")}
    events = [json.loads(line) for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    control = [json.loads(line) for line in (folder / "control.jsonl").read_text(encoding="utf-8").splitlines()]
    return {"result": result, "bad": bad, "articles": articles, "events": events, "control": control}


def test_batch_goes_on_past_bad_inputs_and_exits_zero(batch):
    result = batch["result"]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for path, reason in batch["bad"].values():
        (line,) = lines_naming(result.stderr, path.name)
        assert reason in line
    assert len(lines_naming(result.stderr, "wire.jsonl:2: malformed JSON")) == 1
    assert len(lines_naming(result.stderr, "wire.jsonl:3: not a JSON object")) == 1
    assert len(lines_naming(result.stderr, "wire.jsonl:4: missing 'text'")) == 1
    assert result.stdout == ""  # everything went to -o


def test_batch_summary_counts_articles_events_and_problems(batch):
    summary = batch["result"].stderr.splitlines()[-1]
    n_articles = len(batch["articles"])
    assert summary == (f"warmonitor: {n_articles} article(s) read, {len(batch['events'])} event(s) written, "
                       f"{len(batch['control'])} control statement(s), 10 input problem(s)")


def test_batch_writes_the_good_reports_events(batch):
    by_article = {}
    for event in batch["events"]:
        by_article.setdefault(event["article_id"], []).append(event)
    clash = by_article["clash"][0]
    assert clash["event_date"] == "2021-05-10" and clash["fatalities"] == 3
    assert clash["actor2"] == "Military Forces of Syria"
    assert by_article["kano-1"][0]["country"] == "Nigeria"  # the good line of a JSONL file with bad ones
    assert by_article["undated"][0]["event_date"] is None  # no publication date: see the --date test
    # every bundled example that reports conflict gives at least one event
    reporting = {p.stem for p in EXPECTED.glob("*.json") if json.loads(p.read_text(encoding="utf-8"))["events"]}
    assert reporting and reporting <= by_article.keys()


def test_jsonl_records_carry_ids_and_evidence_that_points_into_the_article_text(batch):
    articles = batch["articles"]
    assert batch["events"]
    for event in batch["events"]:
        assert event["event_id"].startswith(event["article_id"])
        text = articles[event["article_id"]].text
        spans = event["evidence"] + [c["evidence"] for c in event["claims"] if c["evidence"]]
        assert event["evidence"], event["event_id"]
        for ev in spans:
            assert isinstance(ev["sentence"], int) and ev["sentence"] >= 0
            assert text[ev["start"]:ev["end"]] == ev["text"], (event["event_id"], ev)
        for column in ("event_date_start", "event_date_end", "fatalities_low", "fatalities_high", "confidence"):
            assert column in event


def test_event_ids_are_unique_across_the_batch(batch):
    ids = [e["event_id"] for e in batch["events"]]
    assert len(ids) == len(set(ids))


def test_control_statements_are_jsonl_with_iso_dates_and_places_as_dicts(batch):
    (held,) = [c for c in batch["control"] if c["article_id"] == "clash"]
    assert held["actor"] == "Hayat Tahrir al-Sham" and held["status"] == "controls"
    assert held["as_of"] == "2021-05-12"
    assert held["place"]["country"] == "Syria" and held["place"]["admin1"] == "Idleb"
    text = batch["articles"]["clash"].text
    for ev in held["evidence"]:
        assert text[ev["start"]:ev["end"]] == ev["text"]


def test_without_the_actors_file_an_unknown_group_is_not_named(batch):
    (eagles,) = [e for e in batch["events"] if e["article_id"] == "eagles"]
    assert "Orontes Eagles Brigade" not in (eagles["actor1"], eagles["actor2"])


# --- formats, --date, stdin and --actors ---------------------------------------------------------------------

def test_csv_from_stdin_with_date_has_acled_columns_and_dates_an_undated_text(tmp_path):
    result = warmonitor("extract", "-", "--format", "csv", "--date", "2020-03-04", cwd=tmp_path, stdin=UNDATED)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(rows[0][:len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(records) >= 1 and all(len(r) == len(rows[0]) for r in rows)
    shelling = records[0]
    assert shelling["article_id"] == "stdin"
    # "on Monday" counted back from Wednesday 4 March 2020; the same text without --date has no date
    assert shelling["event_date"] == "2020-03-02" and shelling["year"] == "2020"


def test_geojson_points_are_lon_lat_and_places_without_coordinates_have_null_geometry(tmp_path):
    (tmp_path / "clash.txt").write_text(CLASH, encoding="utf-8")
    (tmp_path / "mali.txt").write_text(COUNTRY_ONLY, encoding="utf-8")
    result = warmonitor("extract", "clash.txt", "mali.txt", "--format", "geojson", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["type"] == "FeatureCollection"
    geometries = {"point": 0, "null": 0}
    for feature in doc["features"]:
        props = feature["properties"]
        assert feature["type"] == "Feature" and feature["id"] == props["event_id"]
        if props["latitude"] is None or props["longitude"] is None:
            assert feature["geometry"] is None
            geometries["null"] += 1
        else:
            assert feature["geometry"] == {"type": "Point", "coordinates": [props["longitude"], props["latitude"]]}
            geometries["point"] += 1
    assert geometries["point"] >= 1  # Idlib has coordinates
    assert geometries["null"] >= 1  # "in Mali" names only a country: no point is made up for it


def test_table_with_an_actors_file_names_the_users_group(tmp_path):
    (tmp_path / "eagles.txt").write_text(EAGLES, encoding="utf-8")
    (tmp_path / "my_actors.json").write_text(json.dumps(EAGLES_ACTORS), encoding="utf-8")
    result = warmonitor("extract", "eagles.txt", "--actors", "my_actors.json", "--format", "table", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith("eagles-1 ")
    assert "Orontes Eagles Brigade vs Military Forces of Syria" in line and "2 killed" in line


# --- eval ----------------------------------------------------------------------------------------------------

def test_eval_events_scores_a_labelled_file(tmp_path):
    labelled = tmp_path / "labelled.jsonl"
    rows = [
        {"id": "s1", "date": "2021-05-12", "text": CLASH.split("BEIRUT - ")[1].split("\n")[0],
         "events": [{"event_type": "Battles", "sub_event_type": "Armed clash", "fatalities": 3}]},
        {"id": "s2", "date": "2021-05-12", "text": "The foreign ministers met in Geneva on Monday to discuss trade.",
         "events": []},
    ]
    labelled.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = warmonitor("eval", "events", labelled, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("snippets: 2\n")
    assert "precision" in result.stdout and "recall" in result.stdout and "F1" in result.stdout


@pytest.mark.parametrize("command, content, fragments", [
    (["eval", "events"], '{"id": "s1", "text": "x"}\n{"id": "s2", "text": \n', ["labelled.txt:2", "malformed JSON"]),
    (["eval", "events"], '{"id": "s1", "text": "x", "date": "12/05/2021"}\n', ["labelled.txt:1", "YYYY-MM-DD"]),
    (["eval", "events"], b"\xff\xfe\x00b\x00a\x00d", ["labelled.txt", "not UTF-8"]),
    (["eval", "fakes"], "id,text\n1,hello\n", ["labelled.txt", "article_content"]),
    (["eval", "fakes"], None, ["no such file", "labelled.txt"]),
])
def test_eval_on_a_bad_file_fails_with_one_line(tmp_path, command, content, fragments):
    path = tmp_path / "labelled.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = warmonitor(*command, path, cwd=tmp_path)
    assert_clean_failure(result, 2 if content is None else 1, *fragments)
    assert len(result.stderr.splitlines()) == 1


def test_a_sentence_without_a_verb_does_not_stall_the_batch(tmp_path):
    # Headline-like fragments ("Heavy fighting in Idlib on Monday.") have a noun as their root.
    try:
        result = warmonitor("extract", "-", "--date", "2021-05-12", cwd=tmp_path, stdin=FRAGMENT, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("warmonitor extract did not finish within 20 s on a verbless sentence")
    assert result.returncode == 0, result.stderr
