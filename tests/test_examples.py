"""End to end on the project's own example reports: each one coded exactly as its expected record.

The reports (examples/) and the records (tests/expected/) were written by the project; see
evaluation/README.md for the labelling rules."""
import json
from pathlib import Path

import pytest

from expected_records import differences, pair_events
from warmonitor.ingest import read_articles

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


@pytest.fixture(scope="module")
def coded(pipeline):
    results = {}
    for path in EXAMPLES:
        article = next(read_articles([str(path)]))
        results[path.stem] = (article, pipeline.process(article))
    return results


def expected(name):
    return json.loads((ROOT / "tests" / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def test_there_are_enough_examples_covering_the_taxonomy():
    assert len(EXAMPLES) >= 15
    types = {e["sub_event_type"] for p in EXAMPLES for e in expected(p.stem)["events"]}
    for needed in ("Armed clash", "Non-state actor overtakes territory", "Government regains territory",
                   "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                   "Suicide bomb", "Attack", "Abduction/forced disappearance", "Peaceful protest",
                   "Violent demonstration", "Mob violence", "Agreement", "Arrests"):
        assert needed in types


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_example_is_coded_as_expected(coded, name):
    article, result = coded[name]
    want = expected(name)
    assert article.published.isoformat() == want["published"]
    assert article.source == want["source"]
    assert len(result.events) == len(want["events"]), [e.sub_event_type for e in result.events]
    for exp, got in pair_events(want["events"], result.events):
        assert got is not None, f"missing {exp['sub_event_type']}"
        assert differences(exp, got) == []


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_denials_threats_and_background_are_not_events(coded, name):
    article, result = coded[name]
    triggers = [ev for e in result.events for ev in e.evidence if ev.field == "event_type"]
    for phrase in expected(name).get("not_events", []):
        start = article.text.find(phrase)
        assert start >= 0, phrase
        inside = [t.text for t in triggers if start <= t.start < start + len(phrase)]
        assert inside == [], f"{phrase!r} was coded as an event"


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_every_evidence_span_quotes_the_article(coded, name):
    article, result = coded[name]
    for event in result.events:
        fields = {ev.field for ev in event.evidence}
        assert "event_type" in fields
        # a place read from the text points at its words; a country inferred from the whole report can't
        assert "location" in fields or event.location is None or event.geo_precision == 3
        for ev in event.evidence:
            assert article.text[ev.start:ev.end] == ev.text
            assert ev.text.strip()
