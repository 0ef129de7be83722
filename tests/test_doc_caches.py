"""The per-document caches the resolvers read instead of spaCy's Token objects (nlp/docs.py), and fold()'s
short cuts: each must answer exactly what the slow way answers."""
from __future__ import annotations

import pytest

from warmonitor.nlp.docs import doc_text, noun_chunks, token_table, tokens
from warmonitor.resolve.gazetteer import fold, light_fold

TEXT = ("AMMAN, Jordan (Reuters) - Syrian government air strikes hit the town of Saraqeb in Idlib province on "
        "Tuesday,\n\nkilling 12 people, the U.S.-based monitor said. St. Paul's  Deir ez-Zor\u2019s al-Bab.")


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(TEXT)


def test_the_token_table_says_what_each_token_says(doc):
    table = token_table(doc)
    assert table.text == [t.text for t in doc]
    assert table.lower == [t.lower_ for t in doc]
    assert table.idx == [t.idx for t in doc]
    assert table.end == [t.idx + len(t.text) for t in doc]
    assert table.whitespace == [t.whitespace_ for t in doc]
    assert table.is_alpha == [t.is_alpha for t in doc]
    assert table.is_punct == [t.is_punct for t in doc]
    assert table.is_space == [t.is_space for t in doc]
    assert table.is_stop == [t.is_stop for t in doc]
    assert table.is_upper == [t.is_upper for t in doc]
    assert table.pos == [t.pos_ for t in doc]
    assert table.ent_type == [t.ent_type_ for t in doc]
    assert table.ent_iob == [t.ent_iob_ for t in doc]


def test_a_span_text_is_cut_from_the_document_text(doc):
    table = token_table(doc)
    assert doc_text(doc) == doc.text
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 12) + 1):
            assert table.span_text(start, end) == doc[start:end].text


def test_an_empty_doc_has_an_empty_table(nlp):
    empty = nlp.make_doc("")
    assert token_table(empty).text == [] and doc_text(empty) == ""


def test_cached_tokens_and_noun_chunks_match_spacy(doc):
    sent = next(iter(doc.sents))
    assert [t.i for t in tokens(sent)] == list(range(sent.start, sent.end))
    assert [(c.start, c.end) for c in noun_chunks(doc)] == [(c.start, c.end) for c in doc.noun_chunks]


@pytest.mark.parametrize("one, other", [
    ("Deir ez-Zor", "Dayr al-Zawr"), ("Lattakia", "Latakia"), ("Ghouta", "Gouta"), ("Raqqah", "Raqa"),
    ("St. Paul", "Saint Paul"), ("Kfar Zeita", "Kafr Zayta"), ("Ma'arat al-Nu'man", "Maarat Numan"),
    ("Ḥomṣ", "Homs"), ("Idlib", "İdlib"),  # accents are dropped before the spelling rules
])
def test_fold_brings_spellings_together(one, other):
    assert fold(one) == fold(other)


def test_light_fold_keeps_the_vowels():
    assert light_fold("Deir al-Zor") == light_fold("Deir ez-Zor") == "deir zor"
    assert light_fold("Kill") != light_fold("Kiel")


def test_forgetting_the_caches_lets_a_later_component_be_seen(nlp):
    from warmonitor.nlp.docs import forget_caches, token_table

    doc = nlp("Rebels shelled Aleppo on Monday.", disable=["ner"])
    before = token_table(doc)
    assert not any(before.ent_type)
    nlp.get_pipe("ner")(doc)
    forget_caches(doc)
    after = token_table(doc)
    assert after is not before
    assert [t.ent_type_ for t in doc] == after.ent_type
