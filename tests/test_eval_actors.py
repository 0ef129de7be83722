"""Scoring the actor resolver: the arithmetic on hand-made gold and mentions, then `evaluate` and `re3d_recall`.

A prediction is a resolved, non-observer ActorMention. It pairs with the gold span it overlaps most (one to one).
Precision is right / predictions, recall is right / gold spans with an actor. A gold span labelled `null` is a
name that is no known actor: resolving it is a false alarm.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from warmonitor.errors import UserError
from warmonitor.evaluate_actors import (ActorReport, GoldMention, evaluate, read_expected, read_gold,
                                        re3d_recall)
from warmonitor.model import Actor, ActorMention
from warmonitor.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "evaluation" / "actors_dev.jsonl"
EXPECTED = ROOT / "evaluation" / "re3d_armed_orgs.tsv"
RE3D = ROOT.parent / "shared" / "data" / "dev" / "re3d"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


def gold(start, end, actor, kind="named") -> GoldMention:
    return GoldMention(start, end, "x", actor, kind)


def said(start, end, actor, kind="named") -> ActorMention:
    return ActorMention(start, end, "x", 0, Actor(actor) if actor else None, kind)


def scored(gold_list, mentions) -> ActorReport:
    report = ActorReport()
    report.add("s1", gold_list, mentions)
    return report


def write_set(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def snippet(text: str, *spans: tuple[str, str | None]) -> dict:
    mentions = [{"start": text.index(s), "end": text.index(s) + len(s), "text": s, "actor": a} for s, a in spans]
    return {"id": "t1", "date": "2019-05-02", "text": text, "mentions": mentions}


# --- the arithmetic ---------------------------------------------------------------------------------------------

def test_perfect_predictions_score_one():
    report = scored([gold(0, 4, "Islamic State"), gold(20, 35, "Military Forces of Syria", "generic")],
                    [said(0, 13, "Islamic State"), said(20, 35, "Military Forces of Syria", "generic")])
    assert (report.precision, report.recall, report.f1) == (1.0, 1.0, 1.0)
    assert report.by_kind == {"named": [1, 1], "generic": [1, 1]}


def test_a_null_labelled_name_resolved_to_a_known_actor_lowers_precision_only():
    report = scored([gold(0, 4, "Islamic State"), gold(30, 39, None, "unknown")],
                    [said(0, 4, "Islamic State"), said(30, 39, "Al Shabaab")])
    assert (report.precision, report.recall) == (0.5, 1.0)
    assert (report.null_resolved, report.false_alarms) == (1, 1)
    assert "wrong known actor" in report.text(errors=True)


def test_a_wrong_name_counts_against_precision_and_recall():
    report = scored([gold(0, 9, "Hayat Tahrir al-Sham")], [said(0, 9, "Nusra Front")])
    assert (report.precision, report.recall, report.wrong) == (0.0, 0.0, 1)


def test_observers_and_unresolved_spans_are_not_predictions():
    report = scored([gold(50, 60, "Hamas")],
                    [said(0, 30, "Syrian Observatory for Human Rights", "observer"), said(35, 40, None),
                     said(50, 60, "Hamas")])
    assert (report.predicted, report.precision, report.recall) == (1, 1.0, 1.0)


def test_each_gold_span_pairs_with_one_prediction_and_the_rest_are_false_alarms():
    report = scored([gold(0, 20, "JNIM")], [said(0, 8, "Unidentified Armed Group (Mali)", "generic"),
                                            said(16, 20, "JNIM"), said(40, 45, "Military Forces of Mali", "generic")])
    # "JNIM" and "Militants" both overlap the gold span; the larger overlap pairs, the rest count as false alarms
    assert report.predicted == 3 and report.false_alarms == 2
    assert report.missed == 0 and report.wrong == 1


def test_a_missed_mention_lowers_recall_only():
    report = scored([gold(0, 4, "Taliban"), gold(10, 14, "Taliban", "pronoun")], [said(0, 4, "Taliban")])
    assert (report.precision, report.recall, report.missed) == (1.0, 0.5, 1)
    assert report.by_kind["pronoun"] == [0, 1]


# --- reading the labelled file ----------------------------------------------------------------------------------

def test_an_offset_that_does_not_hold_the_mention_text_is_a_one_line_user_error(tmp_path):
    row = snippet("ISIS fighters attacked the town.", ("ISIS", "Islamic State"))
    row["mentions"][0]["start"] = 1
    with pytest.raises(UserError) as err:
        read_gold(write_set(tmp_path, [row]))
    assert err.value.status == 2
    assert "\n" not in str(err.value) and "set.jsonl:1" in str(err.value) and "'SIS'" in str(err.value)


def test_a_missing_file_and_bad_json_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_gold(tmp_path / "nope.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "mentions": []}\n{oops\n', encoding="utf-8")
    with pytest.raises(UserError, match="bad.jsonl:2: malformed JSON"):
        read_gold(bad)


def test_the_shipped_set_is_well_formed():
    snippets = read_gold(DEV_SET)  # raises on any offset that does not hold its text
    mentions = [m for s in snippets for m in s.mentions]
    assert len(snippets) >= 60
    assert sum(m.actor is not None for m in mentions) >= 150
    assert any(m.actor is None for m in mentions)  # names that must stay unresolved
    assert all(s.published is not None for s in snippets)  # name histories depend on the year
    assert len({s.id for s in snippets}) == len(snippets)
    for s in snippets:
        spans = sorted((m.start, m.end) for m in s.mentions)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), f"{s.id}: gold spans overlap"


# --- end to end -------------------------------------------------------------------------------------------------

def test_evaluate_scores_the_pipeline_on_a_file(tmp_path, pipeline):
    path = write_set(tmp_path, [snippet("Islamic State fighters killed three Syrian soldiers near Palmyra on Monday.",
                                        ("Islamic State fighters", "Islamic State"),
                                        ("Syrian soldiers", "Military Forces of Syria"))])
    report = evaluate(path, pipeline=pipeline)
    assert (report.gold, report.precision, report.recall) == (2, 1.0, 1.0)
    assert report.text().splitlines()[0].startswith("snippets 1 (0 not parsed), gold actor mentions 2")


@pytest.fixture(scope="module")
def re3d_source(tmp_path_factory) -> Path:
    """One re3d source folder copied next to a folder with missing files: small enough for a fast test."""
    if not RE3D.is_dir():
        pytest.skip("../shared/data/dev/re3d is not here")
    root = tmp_path_factory.mktemp("re3d")
    shutil.copytree(RE3D / "BBC Online", root / "BBC Online")
    (root / "incomplete").mkdir()
    (root / "incomplete" / "documents.json").write_text("", encoding="utf-8")
    return root


def test_the_expected_file_lists_armed_organisations():
    expected = read_expected(EXPECTED)
    assert len(expected) >= 15
    assert expected["isil"] == "Islamic State" and expected["sdf"] == "Syrian Democratic Forces"


def test_re3d_recall_is_a_share_of_the_listed_entities(re3d_source, pipeline):
    report = re3d_recall(re3d_source, EXPECTED, pipeline=pipeline)
    assert report.listed > 0 and 0.0 <= report.recall <= 1.0
    assert report.recall == report.found / report.listed
    assert report.skipped_sources == ["incomplete"]
    assert f"{report.found}/{report.listed}" in report.text()


def test_re3d_without_a_source_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no re3d source folder"):
        re3d_recall(tmp_path, EXPECTED, pipeline=object())
