"""The faster attribute_ruler and lemmatizer (nlp/fast_ruler.py, nlp/fast_lemmatizer.py) annotate every token
exactly as en_core_web_sm's own components do."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from warmonitor.nlp import load_nlp
from warmonitor.nlp.fast_lemmatizer import CachedLemmatizer
from warmonitor.nlp.fast_ruler import LookupAttributeRuler, RuleLookup

ROOT = Path(__file__).resolve().parents[1]
ODD_TEXTS = [
    "Rebels attacked.      \n\n   Then   they left.\t\tThe army ai n't gon na stop, let 's see.",
    "Y' all know nothin' about it; I got ta go. C'm on! Is it you or I who said that there is fire?",
]


def annotations(doc: Doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, t.dep_, str(t.morph), t.lemma_) for t in doc]


@pytest.fixture(scope="module")
def stock_nlp():
    return load_nlp(stock=True)


def test_the_fast_components_take_the_stock_ones_places_and_names(nlp, stock_nlp):
    assert nlp.pipe_names == stock_nlp.pipe_names
    assert isinstance(nlp.get_pipe("attribute_ruler"), LookupAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmatizer)
    assert type(stock_nlp.get_pipe("attribute_ruler")) is AttributeRuler


def test_every_token_of_the_type_snippets_is_annotated_as_by_the_stock_pipeline(nlp, stock_nlp):
    lines = (ROOT / "evaluation" / "types_dev.jsonl").read_text(encoding="utf-8").splitlines()[:300]
    texts = [json.loads(line)["text"] for line in lines] + ODD_TEXTS
    for fast, stock in zip(nlp.pipe(texts), stock_nlp.pipe(texts)):
        assert annotations(fast) == annotations(stock)


# A small ruler with one rule of each kind the lookup reads, and one (an operator) it leaves to the Matcher.
RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NN", "LOWER": {"IN": ["fire", "shelling"]}}]], "attrs": {"LEMMA": "attack"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["NN"]}, "DEP": "nsubj"}]], "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
    {"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], "attrs": {"POS": "ADJ"}, "index": -1},
    {"patterns": [[{"LOWER": "na"}], [{"LOWER": "fire"}]], "attrs": {"POS": "X"}},  # later rules win
]


def test_a_ruler_with_every_kind_of_rule_annotates_as_spacys():
    nlp = spacy.blank("en")
    stock, fast = AttributeRuler(nlp.vocab), LookupAttributeRuler(nlp.vocab)
    stock.add_patterns(RULES)
    fast.add_patterns(RULES)
    words = ["Rebels", "gon", "na", "open", "very", "very", "heavy", "fire", "nothin'", "else"]
    tags = ["NNS", "VBG", "TO", "VB", "RB", "RB", "JJ", "NN", "NN", "RB"]
    deps = ["nsubj", "aux", "aux", "ROOT", "advmod", "advmod", "amod", "dobj", "npadvmod", "advmod"]
    heads = [3, 3, 3, 3, 6, 6, 7, 3, 3, 8]

    def doc() -> Doc:
        return Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=heads)

    assert annotations(fast(doc())) == annotations(stock(doc()))
    compiled = RuleLookup.compile(fast)
    assert sorted(compiled.lookup_rules) == [0, 1, 2, 6]
    assert [rule.number for rule in compiled.sequence_rules] == [3, 4]
    assert compiled.matcher_indices == {5: -1}
