"""Load the curated lexicons (triggers, modality cues, numbers, taxonomy) once, as one object."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any


def load_json(relative: str) -> dict[str, Any]:
    path = resources.files("warmonitor") / "data" / relative
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class TriggerEntry:
    pattern: str
    anchor: int = 0
    sub_event_type: str | None = None
    rule: str | None = None
    default: str | None = None
    state_default: str | None = None  # the default when a state's forces did it ("the Russian bombing of Aleppo")
    needs: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()
    weak: bool = False
    deaths: bool = False
    subject_is_place: bool = False

    @property
    def nominal_type(self) -> str:
        """The sub-event type before the participants are known."""
        if self.sub_event_type:
            return self.sub_event_type
        if self.rule in ("territory_leave", "territory_enter"):
            return "Non-violent transfer of territory"
        if self.rule == "territory_gain":
            return "Non-state actor overtakes territory"
        if self.rule == "detention":
            return "Arrests"
        if self.rule == "destruction":
            return "Looting/property destruction"
        return self.default or "Armed clash"


@dataclass
class Lexicon:
    triggers: list[TriggerEntry]
    territory_nouns: frozenset[str]
    modality: dict[str, Any]
    numbers: dict[str, Any]
    taxonomy: dict[str, dict[str, Any]] = field(default_factory=dict)
    instrument_words: dict[str, frozenset[str]] = field(default_factory=dict)
    person_nouns: frozenset[str] = frozenset()
    military_assets: frozenset[str] = frozenset()
    weapon_event_heads: frozenset[str] = frozenset()
    crowd_words: frozenset[str] = frozenset()
    symmetric_lemmas: frozenset[str] = frozenset()
    property_nouns: frozenset[str] = frozenset()
    pact_nouns: frozenset[str] = frozenset()
    brief_hold_cues: tuple[str, ...] = ()

    @classmethod
    def load(cls) -> "Lexicon":
        trig = load_json("lexicon/triggers.json")
        victims = load_json("lexicon/victims.json")
        entries = [
            TriggerEntry(
                pattern=t["pattern"], anchor=t.get("anchor", 0), sub_event_type=t.get("sub_event_type"),
                rule=t.get("rule"), default=t.get("default"), state_default=t.get("state_default"), needs=tuple(t.get("needs", ())),
                pos=tuple(t.get("pos", ())), weak=t.get("weak", False), deaths=t.get("deaths", False),
                subject_is_place=t.get("subject_is_place", False),
            )
            for t in trig["triggers"]
        ]
        return cls(
            triggers=entries,
            territory_nouns=frozenset(trig["territory_nouns"]),
            modality=load_json("lexicon/modality.json"),
            numbers=load_json("lexicon/numbers.json"),
            taxonomy=load_json("taxonomy/acled.json")["sub_event_types"],
            instrument_words={k: frozenset(v) for k, v in trig.get("instrument_words", {}).items()},
            weapon_event_heads=frozenset(trig.get("weapon_event_heads", ())),
            crowd_words=frozenset(trig.get("crowd_words", ())),
            symmetric_lemmas=frozenset(trig.get("symmetric_lemmas", ())),
            property_nouns=frozenset(trig.get("property_nouns", ())),
            pact_nouns=frozenset(trig.get("pact_nouns", ())),
            brief_hold_cues=tuple(trig.get("brief_hold_cues", ())),
            person_nouns=frozenset(victims["person_nouns"]),
            military_assets=frozenset(victims["military_assets"]),
        )

    def event_type(self, sub_event_type: str) -> str:
        return self.taxonomy[sub_event_type]["event_type"]

    def disorder_type(self, sub_event_type: str) -> str:
        return self.taxonomy[sub_event_type]["disorder_type"]

    def priority(self, sub_event_type: str) -> int:
        return self.taxonomy[sub_event_type]["priority"]

    def separate(self, a: str, b: str) -> bool:
        return b in self.taxonomy[a].get("separate_from", ()) or a in self.taxonomy[b].get("separate_from", ())

    def family(self, sub_event_type: str) -> str:
        return self.taxonomy[sub_event_type]["family"]
