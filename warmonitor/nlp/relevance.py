"""The relevance gate: does a text tell of political violence, a protest or who holds territory at all?

The trigger pre-filter (prefilter.py) lets almost any news through: "took", "hit", "fire", "held" are everyday
words, and on a corpus of US local news it passes 586 articles of 588. This gate reads words, word pairs and
three cues from the lexicon (a whole trigger pattern, a conflict word, a control word; trigger_words.py) with
a linear model trained on the project's own labelled text (scripts/train_relevance.py). The cues carry what
the lexicon knows to wordings the training text never used. It scores every run of up to three consecutive
sentences, about the length of the snippets it learnt from, and a text is relevant when its best run reaches
the threshold, which was set for near-total recall on the development snippets. It reads raw text, before
spaCy, at a small fraction of the cost of a parse."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from warmonitor.nlp.gate import GateDecision
from warmonitor.nlp.trigger_words import TriggerWords

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "relevance.npz"
WINDOW = 3  # sentences per scored run
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
# a sentence ends at . ! or ? (and any closing quotes or brackets) before a space, or at a line break
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+|\s*\n\s*")


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the text's sentences, in order."""
    spans, start = [], 0
    for sep in _SENTENCE_END.finditer(text):
        if text[start:sep.start()].strip():
            spans.append((start, sep.start()))
        start = sep.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def features(text: str, cues: TriggerWords) -> set[str]:
    """The lower-cased words of a text, its adjacent word pairs ("car bomb", "heart attack"), and the lexicon's
    cues it holds."""
    words = _WORD.findall(text.lower())
    present = set(words)
    out = present | {f"{a} {b}" for a, b in zip(words, words[1:])}
    if cues.holds_trigger(present):
        out.add("CUE:trigger")
    if cues.holds_conflict_word(present):
        out.add("CUE:conflict")
    if cues.holds_control_word(present):
        out.add("CUE:control")
    return out


def windows(text: str, size: int = WINDOW) -> Iterator[str]:
    """Every run of `size` consecutive sentences (the whole text if it has fewer)."""
    sents = sentences(text)
    if len(sents) <= size:
        yield " ".join(sents)
        return
    for i in range(len(sents) - size + 1):
        yield " ".join(sents[i:i + size])


# The opening sentences are always parsed: datelines and leads give the places and dates the rest leans on
# (a line counts as a sentence, so a header, headline and byline come before the lead).
LEAD_SENTENCES = 3


@dataclass(frozen=True)
class RelevanceModel:
    weights: dict[str, float]
    bias: float
    threshold: float  # on the probability of the best-scoring run
    cues: TriggerWords  # the lexicon's word forms as they were when the model was trained

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "RelevanceModel":
        with np.load(path, allow_pickle=False) as data:
            vocab = [str(w) for w in data["vocab"]]
            return cls(dict(zip(vocab, data["weights"].tolist())), float(data["bias"]), float(data["threshold"]),
                       TriggerWords.from_json(str(data["cues"])))

    def save(self, path: Path, provenance: str) -> None:
        vocab = sorted(self.weights)
        np.savez_compressed(path, vocab=np.array(vocab), weights=np.array([self.weights[w] for w in vocab],
                            dtype=np.float32), bias=np.float64(self.bias), threshold=np.float64(self.threshold),
                            cues=np.array(self.cues.to_json()), provenance=np.array(provenance))

    def probability(self, feats: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def score(self, text: str, title: str | None = None) -> float:
        """The probability of the text's most telling run of sentences (or of its headline)."""
        best = self.probability(features(title, self.cues)) if title else 0.0
        for run in windows(text):
            best = max(best, self.probability(features(run, self.cues)))
        return best

    def assess(self, text: str, title: str | None = None) -> GateDecision | None:
        """None when the text is not relevant; else which of its sentences deserve the parser: the lead and
        every sentence of a run that reaches the threshold. A text of one run is parsed whole, and so is a text
        whose headline alone reaches the threshold (it is relevant, but the runs do not say where)."""
        spans = sentence_spans(text)
        if len(spans) <= WINDOW:
            return GateDecision(spans, [True] * len(spans)) if self.relevant(text, title) else None
        parsed = [i < LEAD_SENTENCES for i in range(len(spans))]
        reached = False
        for i in range(len(spans) - WINDOW + 1):
            run = " ".join(text[a:b] for a, b in spans[i:i + WINDOW])
            if self.probability(features(run, self.cues)) >= self.threshold:
                parsed[i:i + WINDOW] = [True] * WINDOW
                reached = True
        if reached:
            return GateDecision(spans, parsed)
        if title and self.probability(features(title, self.cues)) >= self.threshold:
            return GateDecision(spans, [True] * len(spans))
        return None

    def relevant(self, text: str, title: str | None = None) -> bool:
        """Whether some run of sentences (or the headline) reaches the threshold; stops at the first that does."""
        if title and self.probability(features(title, self.cues)) >= self.threshold:
            return True
        return any(self.probability(features(run, self.cues)) >= self.threshold for run in windows(text))
