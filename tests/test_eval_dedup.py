"""`warmonitor eval dedup`: merging the reports of one event across articles, scored pairwise."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from warmonitor.cli import main
from warmonitor.evaluate_dedup import evaluate_dedup, pair_score, read_labelled

DEV = Path(__file__).resolve().parents[1] / "evaluation" / "dedup_dev.jsonl"


def test_the_dev_set_has_multi_outlet_clusters_and_near_misses():
    items = read_labelled(DEV)
    sizes = Counter(it.cluster for it in items)
    multi = [c for c, n in sizes.items() if n >= 2]
    assert 60 <= len(items) <= 90
    assert len(multi) >= 14
    assert all(2 <= sizes[c] <= 5 for c in multi)
    assert sum(1 for n in sizes.values() if n == 1) >= 8  # the near-misses that must stay apart
    for c in multi:  # each cluster is told by different outlets on different days or in different words
        outlets = {it.article.source for it in items if it.cluster == c}
        assert len(outlets) == sizes[c]


def test_pairwise_scores_count_article_pairs():
    gold = {"a": "1", "b": "1", "c": "1", "d": "2"}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    score, wrong = pair_score(gold, predicted)
    # gold pairs ab, ac, bc; predicted pairs ab, cd
    assert (score.true_pos, score.false_pos, score.false_neg) == (1, 1, 2)
    assert score.precision == 0.5 and score.recall == pytest.approx(1 / 3)
    assert ("c", "d", "merged wrongly") in wrong and ("a", "c", "kept apart") in wrong


def test_merging_the_dev_set_beats_the_naive_rule(pipeline):
    # measured when written: P 0.977, R 0.729, F1 0.835 (naive rule: P 0.661, R 0.627, F1 0.643); the bounds
    # sit a little below, so a change that makes merging worse fails here
    report = evaluate_dedup(DEV, pipeline)
    assert report.score.f1 >= 0.80
    assert report.score.precision >= 0.93
    assert report.score.f1 > report.naive_score.f1 + 0.1
    assert report.predicted_clusters >= report.gold_clusters  # missed merges, never a collapse
    # the reports of the Jalalabad bombing (three outlets over three days) end in one event
    assert len({report.merged[a] for a in ("dd-011-a", "dd-011-b", "dd-011-c")}) == 1
    # two strikes in one Aleppo district on one day, by different air forces, stay two events
    assert report.merged["dd-021-a"] != report.merged["dd-022-a"]


def test_a_bad_labelled_file_is_one_line_naming_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    good = {"id": "x-1", "cluster": "x", "date": "2020-01-01", "source": "Reuters", "text": "Shelling."}
    bad.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "x-2", "cluster": None}) + "\n")
    assert main(["eval", "dedup", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"warmonitor: error: {bad}:2: needs a non-empty string 'cluster'"


def test_the_command_prints_both_scores_and_the_wrong_pairs(tmp_path, capsys):
    rows = [
        {"id": "k-a", "cluster": "k", "date": "2021-06-08", "source": "Reuters",
         "text": "Islamic State West Africa Province fighters attacked a military base in Konduga in Borno "
                 "state on Tuesday, killing six soldiers, security sources said."},
        {"id": "k-b", "cluster": "k", "date": "2021-06-09", "source": "Local press",
         "text": "ISWAP insurgents stormed the army base in Konduga on Tuesday. A military source said on "
                 "Wednesday that 11 soldiers were killed."},
        {"id": "g-a", "cluster": "g", "date": "2021-06-08", "source": "AFP",
         "text": "Boko Haram gunmen abducted 15 villagers near Gwoza in Borno state on Tuesday, residents said."},
    ]
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["eval", "dedup", str(path), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "articles: 3  gold clusters: 2  predicted clusters: 2" in out
    assert "warmonitor merge           P 1.000  R 1.000  F1 1.000" in out
    assert "naive (50 km, 7 days, type)" in out
    assert "kept apart" not in out and "merged wrongly" not in out
