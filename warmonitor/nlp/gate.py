"""The sentence gate: which sentences of an article are worth the full spaCy pipeline.

Parsing (tok2vec, tagger, parser, NER) is most of the cost of coding an article, and a sentence can only
yield an event if it holds a trigger of the lexicon, or a statement of control if it holds a control word.
The gate tokenizes with the pipeline's own tokenizer, splits sentences with spaCy's rule-based
sentencizer, and looks for the *inflected word forms* of every trigger pattern (lemminflect spells them
out) and of the control vocabulary. A sentence is parsed when it is a candidate, when it comes right before
a candidate (coreference: "The group ... It killed"), or when it opens the article (dateline, lead: places
and dates are read there).

Skipped sentences are blanked out with spaces in the text handed to spaCy, so every character offset
stays an offset into `Article.text`; line breaks are kept, because datelines and page ends are found
by line."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.pipeline import Sentencizer

from warmonitor.extract.lexicon import Lexicon
from warmonitor.nlp.trigger_words import TriggerWords

# How many sentences at the top of an article are always parsed: the dateline and the lead.
LEAD_SENTENCES = 1
_NOT_NEWLINE = re.compile(r"[^\n]")


@dataclass(frozen=True)
class GateDecision:
    """Which of an article's sentences (character ranges, in order) are parsed and which are not."""
    sentences: list[tuple[int, int]]
    parsed: list[bool]

    @property
    def skipped(self) -> int:
        return self.parsed.count(False)

    def blanked(self, text: str) -> str:
        """The text with every skipped sentence's characters (but its line breaks) turned into spaces."""
        if all(self.parsed):
            return text
        pieces, last = [], 0
        for (start, end), parse in zip(self.sentences, self.parsed):
            if parse:
                continue
            pieces.append(text[last:start])
            pieces.append(_NOT_NEWLINE.sub(" ", text[start:end]))
            last = end
        pieces.append(text[last:])
        return "".join(pieces)


@dataclass
class SentenceGate:
    """Built once from the lexicon; `decide` is cheap (tokenizer and sentencizer only)."""
    nlp: Language
    words: TriggerWords

    def __post_init__(self):
        self._sentencizer = Sentencizer()

    @classmethod
    def build(cls, nlp: Language, lexicon: Lexicon) -> "SentenceGate":
        return cls(nlp, TriggerWords.build(lexicon))

    def holds_trigger(self, words: set[str]) -> bool:
        """Whether the words can hold an event's trigger or a statement of control."""
        return self.words.holds_control_word(words) or self.words.holds_trigger(words)

    def decide(self, text: str) -> GateDecision:
        doc = self._sentencizer(self.nlp.make_doc(text))
        spans, candidate = [], []
        for sent in doc.sents:
            spans.append((sent.start_char, sent.end_char))
            candidate.append(self.holds_trigger({doc[i].lower_ for i in range(sent.start, sent.end)}))
        parsed = [c or i < LEAD_SENTENCES or (i + 1 < len(candidate) and candidate[i + 1])
                  for i, c in enumerate(candidate)]
        return GateDecision(spans, parsed)

