"""Who civilian victims are: "Kurdish civilians", "Christian farmers", "aid workers".

ACLED keeps the victims' identity apart from the actor: actor2 stays "Civilians (Syria)" and the identity
goes to assoc_actor_2 ("Kurdish Ethnic Group (Syria)"). The words and names live in
``warmonitor/data/actors/victim_groups.json``.
"""
from __future__ import annotations

import json
from pathlib import Path

from spacy.tokens import Doc, Token

from warmonitor.model import ActorMention

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "actors" / "victim_groups.json"
# Dependents of the victims' noun that describe them ("Kurdish civilians", "aid workers", "women and children").
DESCRIBING_DEPS = frozenset({"amod", "compound", "nmod", "conj", "appos"})


class VictimGroups:
    def __init__(self, names_by_word: dict[str, str]):
        self.names_by_word = dict(names_by_word)

    @classmethod
    def load(cls, path: Path | None = None) -> "VictimGroups":
        data = json.loads((path or DATA_FILE).read_text(encoding="utf-8"))
        return cls({w.lower(): g["name"] for g in data["groups"] for w in g["words"]})

    def of(self, doc: Doc, mention: ActorMention, country: str | None) -> list[str]:
        """The associated-actor names the victims' noun phrase gives, in text order, without repeats."""
        head = _token_at(doc, mention.head if mention.head is not None else mention.start)
        if head is None:
            return []
        words = [head] + [t for t in head.children if t.dep_ in DESCRIBING_DEPS]
        names: list[str] = []
        for tok in sorted(words, key=lambda t: t.i):
            name = self.names_by_word.get(tok.lower_)
            if name is None:
                continue
            name = name.replace("{country}", country) if country else name.replace(" ({country})", "")
            if name not in names:
                names.append(name)
        return names


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None
