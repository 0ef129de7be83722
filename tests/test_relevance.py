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


def test_in_a_long_article_only_the_lead_and_the_runs_around_a_report_are_parsed(gate):
    ordinary = [
        "The harvest festival drew record crowds to the market square this weekend.",
        "Stallholders sold out of plum jam by noon, organisers said.",
        "A brass band from the next valley played until dusk.",
        "Next year the festival will move to the riverside meadow.",
        "Parking will be free for the first two hours.",
        "The mayor thanked volunteers for clearing the square afterwards.",
    ]
    sents = ordinary + ordinary[3:] + REPORTS[:2] + ordinary[:3]
    text = " ".join(sents)
    decision = gate.assess(text)
    assert [text[a:b] for a, b in decision.sentences] == sents
    first_report = sents.index(REPORTS[0])
    for i, parse in enumerate(decision.parsed):
        near_report = first_report - 2 <= i <= first_report + 3  # a run of three that holds a report
        assert parse == (i < 3 or near_report), (i, sents[i])
    blanked = decision.blanked(text)
    assert len(blanked) == len(text) and "riverside" not in blanked[len(" ".join(sents[:3])):]


def test_a_short_relevant_text_is_parsed_whole_and_ordinary_news_not_at_all(gate):
    decision = gate.assess(REPORTS[0])
    assert decision is not None and all(decision.parsed)
    assert gate.assess(ORDINARY_NEWS[1]) is None


def test_offsets_of_a_gated_article_point_into_its_own_text(pipeline):
    filler = ("The regional orchestra opened its season with a programme of Czech music. Tickets for the "
              "spring concerts go on sale next month. The hall's new seats were paid for by a local bank. "
              "A children's choir will join the orchestra in December. The conductor has extended her "
              "contract until 2027. ")
    text = filler + REPORTS[3] + " " + filler
    result = pipeline.process(Article(id="long", text=text))
    assert result.events
    for ev in result.events:
        for evidence in ev.evidence:
            assert text[evidence.start:evidence.end] == evidence.text
