"""The cheap pre-filter keeps every report with conflict vocabulary and drops the rest unparsed."""
from warmonitor.model import Article
from warmonitor.nlp.prefilter import build_prefilter, might_report_conflict


def test_inflected_and_irregular_forms_pass(lexicon):
    from warmonitor.extract.triggers import TriggerMatcher

    rx = build_prefilter(TriggerMatcher(lexicon).first_words)
    for text in ("Militants fought troops.", "Jets struck the town.", "Two were shot.", "Rebels seized a base.",
                 "An explosion hit the market.", "Police arrested protesters."):
        assert might_report_conflict(text, rx), text
    assert not might_report_conflict("The central bank raised interest rates by half a point.", rx)


def test_unrelated_articles_are_not_parsed(pipeline):
    result = pipeline.process(Article(id="x", text="The central bank raised interest rates on Thursday."))
    assert result.skipped == "no conflict vocabulary" and result.events == []
