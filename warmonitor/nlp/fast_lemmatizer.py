"""spaCy's English rule lemmatizer, asked once per distinct (text, POS, morphology).

The stock component runs Python per token: it builds the token's morphology dict, asks `is_base_form` and
only then consults its cache (which base forms never reach); a token it has not seen scans word lists of
up to 57,000 entries (`form in index`). Its answer depends on nothing but the token's text, POS and
morphology -- `rule_lemmatize` and `EnglishLemmatizer.is_base_form` read no more -- so `CachedLemmatizer`
keys the lemma on (ORTH, POS, MORPH), asks the stock code once per key (with the word lists as sets,
which it only tests membership in), and writes a doc's lemmas in one array pass.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.tokens import Doc


def with_index_sets(lookups: Lookups) -> Lookups:
    """The same tables, but the lemma_index word lists (per POS) as frozensets."""
    copy = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            table = Table(name, {pos: frozenset(words) for pos, words in table.items()})
        copy.set_table(name, table)
    return copy


class CachedLemmatizer(EnglishLemmatizer):
    """EnglishLemmatizer (same tables, same lemmas); in rule mode, lemmas are cached per (ORTH, POS, MORPH)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lemma_ids: dict[tuple[int, int, int], int] = {}
        self._rules: EnglishLemmatizer | None = None

    def _validate_tables(self, *args, **kwargs) -> None:
        # spaCy calls this whenever the tables are (re)loaded: initialize, from_disk, from_bytes
        super()._validate_tables(*args, **kwargs)
        self._lemma_ids, self._rules = {}, None

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule" or not len(doc):
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables()
        error_handler = self.get_error_handler()
        try:
            self._set_lemmas(doc)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def _set_lemmas(self, doc: Doc) -> None:
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = [lemma if lemma and not self.overwrite else self._lemma_id(doc, i, orth, pos, morph)
                  for i, (orth, pos, morph, lemma) in enumerate(rows)]
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64).reshape(-1, 1))

    def _lemma_id(self, doc: Doc, i: int, orth: int, pos: int, morph: int) -> int:
        key = (orth, pos, morph)
        if key not in self._lemma_ids:
            self._lemma_ids[key] = self.vocab.strings.add(self._rule_reader().rule_lemmatize(doc[i])[0])
        return self._lemma_ids[key]

    def _rule_reader(self) -> EnglishLemmatizer:
        """The stock lemmatizer's rules over this one's tables, with the word lists as sets."""
        if self._rules is None:
            self._rules = EnglishLemmatizer(self.vocab, None, self.name, mode="rule")
            self._rules.initialize(lookups=with_index_sets(self.lookups))
        return self._rules


@Language.factory("cached_lemmatizer", default_config={"mode": "rule", "overwrite": False})
def make_cached_lemmatizer(nlp: Language, name: str, mode: str, overwrite: bool) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.vocab, None, name, mode=mode, overwrite=overwrite)
