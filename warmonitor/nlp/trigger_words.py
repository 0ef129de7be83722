"""The lexicon's trigger patterns and control vocabulary as plain word forms, for tests on raw words.

Both cheap gates (the sentence gate and the relevance gate) ask, before any parse, whether a run of words can
hold a trigger. They cannot lemmatise, so every literal word of every pattern is spelled out in all its
inflections (lemminflect: "seize" -> seized, seizes, seizing). Spelling them out takes a second, so the
relevance gate keeps the forms it was trained with in its model file (to_json / from_json)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from lemminflect import getAllInflections

from warmonitor.extract.lexicon import Lexicon


def word_forms(word: str) -> set[str]:
    """The lower-cased word and every inflection lemminflect knows for it ("seize" -> seized, seizes...)."""
    forms = {word.lower()}
    for spellings in getAllInflections(word).values():
        forms.update(s.lower() for s in spellings)
    return forms


@dataclass
class TriggerWords:
    patterns: list[list[frozenset[str]]]  # per trigger pattern: per literal word, the forms that match it
    control_forms: frozenset[str]
    conflict_words: frozenset[str]
    _by_form: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for n, steps in enumerate(self.patterns):
            for form in steps[0]:
                self._by_form.setdefault(form, []).append(n)

    @classmethod
    def build(cls, lexicon: Lexicon) -> "TriggerWords":
        patterns = []
        for entry in lexicon.triggers:
            steps = [alt for alt in entry.pattern.split() if not alt.startswith("~")]  # "~": any words between
            patterns.append([frozenset().union(*(word_forms(w) for w in alt.split("|"))) for alt in steps])
        control_words = set(lexicon.modality["control_verbs"])
        control_words |= set(lexicon.modality.get("control_nouns", ())) | {"control", "contested", "disputed"}
        control = frozenset().union(*(word_forms(w) for w in control_words))
        return cls(patterns, control, frozenset(lexicon.modality["conflict_words"]))

    def to_json(self) -> str:
        return json.dumps({"patterns": [[sorted(step) for step in steps] for steps in self.patterns],
                           "control": sorted(self.control_forms), "conflict": sorted(self.conflict_words)})

    @classmethod
    def from_json(cls, text: str) -> "TriggerWords":
        data = json.loads(text)
        return cls([[frozenset(step) for step in steps] for steps in data["patterns"]],
                    frozenset(data["control"]), frozenset(data["conflict"]))

    def holds_trigger(self, words: set[str]) -> bool:
        """Whether some trigger pattern has every one of its literal words among `words` (in some form)."""
        for form in words:
            for n in self._by_form.get(form, ()):
                if all(step & words for step in self.patterns[n][1:]):
                    return True
        return False

    def holds_control_word(self, words: set[str]) -> bool:
        return not self.control_forms.isdisjoint(words)

    def holds_conflict_word(self, words: set[str]) -> bool:
        return not self.conflict_words.isdisjoint(words)
