"""Actors named by a single modifier word of an event noun: "government air strikes",
"rebel shelling", "Russian warplanes' raids". The actor layer leaves such modifiers alone
(so that "government-held" is no actor), and role finding asks here instead."""
from __future__ import annotations

from spacy.tokens import Token

from warmonitor.model import Actor
from warmonitor.resolve.actors import ActorKB

MILITARY = "Military Forces of {country}"


class ModifierActors:
    def __init__(self, kb: ActorKB, country: str | None):
        self.kb = kb
        self.country = country
        self.words: dict[str, str] = {}
        for t in kb.templates:
            if t.template.startswith("Civilians"):
                continue  # "civilian areas", "children's hospital": victims, never the actor
            for w in t.words:
                if " " not in w and not w.startswith("the"):
                    self.words.setdefault(w.lower(), t.template)

    def __call__(self, tok: Token) -> Actor | None:
        # nationality adjectives only ("Russian shelling"); a country name in a dateline is no actor
        if tok.text in self.kb.demonyms and tok.text[:1].isupper() and (tok.pos_ == "ADJ" or tok.ent_type_ == "NORP"):
            return self.kb.country_actor(MILITARY, self.kb.demonyms[tok.text])
        template = self.words.get(tok.lower_)
        if template is None or self.country is None:
            return None
        if template.startswith("Government of"):
            template = MILITARY  # "government air strikes": the government's forces carry them out
        return self.kb.country_actor(template, self.country)
