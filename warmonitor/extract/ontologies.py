"""PLOVER, CAMEO and UCDP codes for a coded event, from the mapping in data/taxonomy/ontologies.json."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from warmonitor.extract.lexicon import load_json
from warmonitor.model import Event

ARMED_INTERS = frozenset({1, 2, 3, 4, 8})  # state forces, rebels, political and identity militias, external forces
NON_STATE_INTERS = frozenset({2, 3, 4})
STATE_INTERS = frozenset({1, 8})
CIVILIANS_INTER = 7
_WORD = re.compile(r"[a-z][a-z'-]*")


@dataclass(frozen=True)
class OntologyCodes:
    plover_type: str | None
    plover_mode: str | None
    cameo_root: str | None
    ucdp_type_of_violence: int | None


class OntologyMap:
    """ACLED sub-event type (plus the event's sides and words) -> the three other ontologies."""

    def __init__(self, table: dict[str, dict[str, Any]]):
        self.table = table

    @classmethod
    def load(cls) -> "OntologyMap":
        return cls(load_json("taxonomy/ontologies.json")["sub_event_types"])

    def codes(self, sub_event_type: str, inter1: int | None = None, inter2: int | None = None,
              civilian_targeting: bool = False, words: Iterable[str] = ()) -> OntologyCodes:
        row = self.table.get(sub_event_type)
        if row is None:
            return OntologyCodes(None, None, None, None)
        plover, mode, cameo = row["plover"], row["mode"], row["cameo"]
        if inter2 in ARMED_INTERS and not civilian_targeting and "armed_target" in row:
            plover = row["armed_target"].get("plover", plover)
        vocabulary = {w.lower() for w in words}
        for rule in row.get("modes", ()):
            if vocabulary & set(rule["words"]):  # the sentence tells the means: "drone", "hunger strike"
                mode, plover, cameo = rule["mode"], rule.get("plover", plover), rule.get("cameo", cameo)
                break
        return OntologyCodes(plover, mode, cameo, self._ucdp(row.get("ucdp"), inter1, inter2, civilian_targeting))

    @staticmethod
    def _ucdp(how: str | None, inter1: int | None, inter2: int | None, civilian_targeting: bool) -> int | None:
        if how is None:
            return None  # UCDP counts organised lethal violence only: no protests, riots or developments
        if how == "one_sided" or civilian_targeting or inter2 == CIVILIANS_INTER:
            return 3
        if inter1 in STATE_INTERS or inter2 in STATE_INTERS:
            return 1
        if inter1 in NON_STATE_INTERS and inter2 in NON_STATE_INTERS:
            return 2
        return None  # one side unknown and no state in sight: UCDP's type cannot be told

    def apply(self, event: Event, context: str = "") -> None:
        """Fill the event's PLOVER, CAMEO and UCDP fields; `context` is the text of its trigger sentences."""
        c = self.codes(event.sub_event_type, event.inter1, event.inter2,
                       event.civilian_targeting == "Civilian targeting", _WORD.findall(context.lower()))
        event.plover_type, event.plover_mode = c.plover_type, c.plover_mode
        event.cameo_code, event.ucdp_type_of_violence = c.cameo_root, c.ucdp_type_of_violence
