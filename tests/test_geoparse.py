"""`Geoparser` and `warmonitor geoparse`: every place an article names, with offsets into Article.text.

Every article is parsed (there is no conflict pre-filter), every place mention is reported whatever its role,
and a place the gazetteer does not know keeps null coordinates rather than invented ones.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.ingest import read_articles
from warmonitor.model import Article
from warmonitor.resolve.gazetteer import km
from warmonitor.resolve.geoparse import PLACE_KEYS, Geoparser
from warmonitor.resolve.places import Gazetteer, PlaceResolver

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SARAQEB = EXAMPLES / "03-saraqeb-airstrike.txt"  # AMMAN dateline, Saraqeb, Idlib province, "Syrian"
KHARKIV = EXAMPLES / "15-kharkiv-drones.txt"  # KYIV dateline, Kharkiv, "Russian", Ukraine, Russia
# Invented, in the project's own words: no conflict vocabulary at all, and a village no gazetteer has.
FESTIVAL = "A book fair opened in Aleppo on Saturday, drawing families from Homs and Hama."
UNKNOWN = "Farmers near the village of Qarnoush Zahrawi in Hama province said the harvest was late."


@pytest.fixture(scope="module")
def geoparser(nlp) -> Geoparser:
    return Geoparser(nlp, PlaceResolver(Gazetteer.load()))


def read(path: Path) -> Article:
    [article] = list(read_articles([str(path)]))
    return article


@pytest.fixture(scope="module")
def parsed(geoparser) -> dict[str, tuple[Article, dict]]:
    articles = [read(SARAQEB), read(KHARKIV), Article("festival", FESTIVAL), Article("unknown", UNKNOWN)]
    return {a.id: (a, result) for a, result in zip(articles, geoparser.parse_many(articles))}


def by_text(result: dict, text: str) -> dict:
    found = [p for p in result["places"] if p["text"] == text]
    assert found, f"{text!r} is not among {[p['text'] for p in result['places']]}"
    return found[0]


def test_one_result_per_article_in_input_order(geoparser, parsed):
    assert list(parsed) == ["03-saraqeb-airstrike", "15-kharkiv-drones", "festival", "unknown"]
    for article, result in parsed.values():
        assert result["article_id"] == article.id
        assert "error" not in result


def test_offsets_slice_back_to_the_surface_text(parsed):
    for article, result in parsed.values():
        assert result["places"], article.id
        for place in result["places"]:
            assert article.text[place["start"]:place["end"]] == place["text"]
            assert tuple(place) == PLACE_KEYS
        starts = [p["start"] for p in result["places"]]
        assert starts == sorted(starts)


def test_resolved_places_carry_the_gazetteer_point(geoparser, parsed):
    _, kharkiv = parsed["15-kharkiv-drones"]
    city = by_text(kharkiv, "Kharkiv")
    assert city["name"] == "Kharkiv" and city["country"] == "Ukraine"
    assert km(city["latitude"], city["longitude"], 49.98, 36.25) < 20
    for _, result in parsed.values():
        for place in result["places"]:
            if place["name"] is None:
                continue
            # countries too: an event never gets a country's point, a geoparser reports it when there is one
            record = geoparser.resolver.gaz.by_id(place["source_id"])
            assert (place["latitude"], place["longitude"]) == (record.lat, record.lon), place


def test_the_dateline_is_reported_with_its_role(parsed):
    article, result = parsed["03-saraqeb-airstrike"]
    first = result["places"][0]
    assert (first["text"], first["role"], first["name"], first["country"]) == ("AMMAN", "dateline", "Amman",
                                                                              "Jordan")
    assert article.dateline == "AMMAN"


def test_demonyms_are_kept_as_context(parsed):
    _, result = parsed["03-saraqeb-airstrike"]
    syrian = by_text(result, "Syrian")
    assert (syrian["role"], syrian["name"], syrian["feature"]) == ("context", "Syria", "country")


def test_articles_without_conflict_vocabulary_are_geoparsed_too(parsed):
    _, result = parsed["festival"]
    assert {p["text"] for p in result["places"]} >= {"Aleppo", "Homs", "Hama"}
    assert {p["country"] for p in result["places"]} == {"Syria"}


def test_an_unknown_place_keeps_null_coordinates(parsed):
    _, result = parsed["unknown"]
    unknown = [p for p in result["places"] if "Qarnoush" in p["text"]]
    assert unknown, result["places"]
    for place in unknown:
        assert (place["name"], place["latitude"], place["longitude"], place["source_id"]) == (None, None, None,
                                                                                             None)
    assert by_text(result, "Hama province")["name"] is not None


class FailsOnOne(PlaceResolver):
    """A resolver that breaks on one article, to show a batch is not stopped by it."""

    def resolve(self, doc, article):
        if article.id == "breaks":
            raise ValueError("resolver broke")
        return super().resolve(doc, article)


def test_an_article_that_cannot_be_parsed_is_reported_and_the_batch_goes_on(geoparser):
    fragile = Geoparser(geoparser.nlp, FailsOnOne(geoparser.resolver.gaz))
    results = list(fragile.parse_many([Article("breaks", FESTIVAL), Article("fine", FESTIVAL)]))
    assert results[0] == {"article_id": "breaks", "places": [], "error": "ValueError: resolver broke"}
    assert results[1]["article_id"] == "fine" and results[1]["places"]


# --- the command ----------------------------------------------------------------------------------------

def warmonitor(*args, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warmonitor", *map(str, args)], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=180)


def test_geoparse_writes_a_line_per_article_and_reports_a_missing_file(tmp_path):
    out = tmp_path / "places.jsonl"
    result = warmonitor("geoparse", SARAQEB, tmp_path / "missing.txt", KHARKIV, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if "missing.txt" in line]) == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["article_id"] for r in rows] == ["03-saraqeb-airstrike", "15-kharkiv-drones"]
    found = sum(len(r["places"]) for r in rows)
    resolved = sum(1 for r in rows for p in r["places"] if p["name"] is not None)
    assert result.stderr.splitlines()[-1] == (f"warmonitor: 2 article(s) read, {found} place(s) found, "
                                              f"{resolved} resolved, 1 problem(s)")


def test_geoparse_reads_standard_input(tmp_path):
    result = warmonitor("geoparse", "-", cwd=tmp_path, stdin=FESTIVAL + "\n")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    row = json.loads(line)
    assert row["article_id"] == "stdin"
    for place in row["places"]:
        assert FESTIVAL[place["start"]:place["end"]] == place["text"]
    assert "Aleppo" in {p["name"] for p in row["places"]}


def test_geoparse_with_nothing_readable_fails_with_one_line(tmp_path):
    result = warmonitor("geoparse", tmp_path / "missing.txt", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "warmonitor: error: no article could be read"
