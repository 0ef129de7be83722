"""The relevance gate keeps ordinary news from the parser and lets reports of political violence through.

The pre-filter passes any text with a trigger-like word ("shot", "fire", "attack"), which is nearly all news;
the gate reads words and word pairs with a model trained on the project's own labelled text. Every text
below is written for this test."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.cli import main
from warmonitor.model import Article
from warmonitor.nlp.relevance import RelevanceModel, sentences, windows

ROOT = Path(__file__).resolve().parents[1]

REPORTS = [
    "Gunmen stormed a police post on the outskirts of Kirkuk before dawn on Monday, killing four officers, a "
    "security source said.",
    "Government aircraft bombed the rebel-held town of Kafr Nabl on Sunday, killing at least nine civilians, "
    "rescue workers said.",
    "Thousands of demonstrators marched through central Khartoum on Thursday demanding civilian rule.",
    "A roadside bomb struck an army convoy near Mogadishu, killing two soldiers, officials said.",
]
ORDINARY_NEWS = [
    "The visitors' attack finally broke through in the 88th minute, when Okafor's low shot beat the keeper "
    "to settle the derby.",
    "Firefighters brought a kitchen fire at a riverside restaurant under control within half an hour; nobody "
    "was hurt.",
    "Shares in the packaging group fell 6 percent after its chief executive said a price war with rivals "
    "would squeeze margins into next year.",
    "The town council approved a new cycle lane on Mill Road and agreed to extend the library's opening hours.",
]


@pytest.fixture(scope="module")
def gate() -> RelevanceModel:
    return RelevanceModel.load()


@pytest.mark.parametrize("text", REPORTS)
def test_reports_of_violence_and_protest_pass(gate, text):
    assert gate.relevant(text)


@pytest.mark.parametrize("text", ORDINARY_NEWS)
def test_ordinary_news_with_conflict_words_is_skipped(gate, text):
    assert not gate.relevant(text)


def test_a_long_article_passes_on_its_one_telling_run_of_sentences(gate):
    filler = " ".join(ORDINARY_NEWS)
    assert not gate.relevant(filler)
    assert gate.relevant(filler + " " + REPORTS[0] + " " + filler)


def test_runs_are_three_sentences_or_the_whole_short_text():
    text = "One. Two! Three? Four.\n\nFive."
    assert sentences(text) == ["One.", "Two!", "Three?", "Four.", "Five."]
    assert list(windows(text)) == ["One. Two! Three?", "Two! Three? Four.", "Three? Four. Five."]
    assert list(windows("Only one sentence.")) == ["Only one sentence."]


def test_the_pipeline_says_why_it_skipped_an_article_and_every_article_overrides(pipeline):
    article = Article(id="n", text=ORDINARY_NEWS[0])
    assert pipeline.process(article).skipped == "not about political violence or protest (relevance gate)"
    gate, pipeline.relevance = pipeline.relevance, None  # what --every-article loads
    try:
        assert pipeline.process(article).skipped is None
    finally:
        pipeline.relevance = gate


def test_eval_relevance_prints_precision_recall_and_f1(tmp_path, capsys):
    labelled = tmp_path / "labelled.jsonl"
    rows = [{"id": f"r{i}", "text": t, "sub_event_type": "Attack"} for i, t in enumerate(REPORTS)]
    rows += [{"id": f"n{i}", "text": t, "sub_event_type": None} for i, t in enumerate(ORDINARY_NEWS)]
    labelled.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert main(["eval", "relevance", str(labelled)]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("labelled.jsonl"))
    assert line.split()[1:] == ["4", "4", "1.000", "1.000", "1.000", "1.000"]


def test_eval_relevance_names_a_bad_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "no label"}\n', encoding="utf-8")
    assert main(["eval", "relevance", str(bad)]) == 2
    assert "bad.jsonl:1:" in capsys.readouterr().err


def test_training_script_writes_a_model_that_separates_its_classes(tmp_path):
    reports, news = tmp_path / "reports.jsonl", tmp_path / "news.jsonl"
    reports.write_text("\n".join(json.dumps({"id": str(i), "text": t, "sub_event_type": "Attack"})
                                 for i, t in enumerate(REPORTS * 2)), encoding="utf-8")
    news.write_text("\n".join(json.dumps({"id": str(i), "text": t, "sub_event_type": None})
                              for i, t in enumerate(ORDINARY_NEWS * 2)), encoding="utf-8")
    out = tmp_path / "gate.npz"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_relevance.py"), str(reports), "--others",
                    str(news), "--dev", str(reports), "--recall", "1.0", "--out", str(out)], check=True,
                   capture_output=True)
    model = RelevanceModel.load(out)
    assert all(model.relevant(t) for t in REPORTS)
    assert not any(model.relevant(t) for t in ORDINARY_NEWS)
