"""Find event triggers: lexicon phrases matched on lemmas, longest match first."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from warmonitor.extract.lexicon import Lexicon, TriggerEntry
from warmonitor.extract.syntax import sentence_index
from warmonitor.nlp.docs import TokenTable, token_table

MAX_GAP = 3
NAME_ENTITIES = ("ORG", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "FAC")


def _entity_length(tok: Token) -> int:
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return len(ent) if ent is not None else 0  # tokens allowed where a pattern says "~" ("gained some ground")


@dataclass(frozen=True)
class TriggerHit:
    entry: TriggerEntry
    start: int  # token indices, end exclusive
    end: int
    anchor: Token

    @property
    def length(self) -> int:
        return self.end - self.start


def _forms(token: Token) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


class TriggerMatcher:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._parsed: dict[str, list[tuple[TriggerEntry, list]]] = defaultdict(list)
        for entry in lexicon.triggers:
            steps: list = []  # each step: set of allowed forms, or "~"
            for word in entry.pattern.split():
                steps.append(word if word.startswith("~") else set(word.split("|")))
            for first in steps[0]:
                self._parsed[first].append((entry, steps))
        self.first_words = frozenset(self._parsed)

    def find(self, doc: Doc) -> list[TriggerHit]:
        hits: list[TriggerHit] = []
        table = token_table(doc)  # the words are read from it: most tokens open no pattern, and need no Token
        for i in range(len(table.lower)):
            for form in {table.lemma_lower[i], table.lower[i]}:  # built as _forms() builds it: same order
                for entry, steps in self._parsed.get(form, ()):
                    matched = _match_from(doc, table, i, steps)
                    if matched is None:
                        continue
                    positions = matched
                    anchor = doc[positions[min(entry.anchor, len(positions) - 1)]]
                    if entry.pos and anchor.pos_ not in entry.pos:
                        continue
                    if len(positions) == 1 and _modifies_non_event(anchor, positions, self.lexicon):
                        continue
                    if anchor.ent_type_ in NAME_ENTITIES and _entity_length(anchor) > 1:
                        continue  # part of a name ("Operation Desert Storm", "the Battle of Aleppo Museum")
                    hits.append(TriggerHit(entry, positions[0], positions[-1] + 1, anchor))
        return _longest_first(hits, self.lexicon)


def _modifies_non_event(anchor: Token, positions: list[int], lexicon: Lexicon) -> bool:
    """'artillery ammunition', 'rocket launcher factory': a weapon word modifying a noun that is not
    an event is no trigger; 'artillery fire' and 'mortar shells' are."""
    if anchor.dep_ not in ("compound", "amod") or anchor.head.i in positions:
        return False
    return anchor.head.lower_ not in lexicon.weapon_event_heads and anchor.head.lemma_.lower() not in lexicon.weapon_event_heads


def _table_forms(table: TokenTable, k: int) -> set[str]:
    """_forms() of token k."""
    return {table.lemma_lower[k], table.lower[k]}


def _match_from(doc: Doc, table: TokenTable, i: int, steps: list) -> list[int] | None:
    positions = [i]
    j = i + 1
    k = 1
    while k < len(steps):
        step = steps[k]
        if isinstance(step, str):  # "~" or "~N": a gap of up to MAX_GAP (or N) tokens
            nxt = steps[k + 1]
            limit = int(step[1:]) if len(step) > 1 else MAX_GAP
            for gap in range(0, limit + 1):
                if j + gap < len(doc) and _table_forms(table, j + gap) & nxt \
                        and sentence_index(doc[j + gap]) == sentence_index(doc[i]):
                    positions.append(j + gap)
                    j = j + gap + 1
                    break
            else:
                return None
            k += 2
            continue
        if j >= len(doc) or not (_table_forms(table, j) & step):
            return None
        positions.append(j)
        j += 1
        k += 1
    return positions


def _longest_first(hits: list[TriggerHit], lexicon: Lexicon) -> list[TriggerHit]:
    def rank(h: TriggerHit):
        sub = h.entry.nominal_type
        return (-h.length, h.entry.weak, -lexicon.priority(sub))

    taken: set[int] = set()
    kept: list[TriggerHit] = []
    spans: set[tuple[int, int]] = set()
    for h in sorted(hits, key=rank):
        span = set(range(h.start, h.end))
        if span & taken and (h.start, h.end) not in spans:
            continue
        # an entry for the very same words stays as an alternative ("US strikes": verb or noun);
        # the reader takes the first one whose conditions hold
        taken |= span
        spans.add((h.start, h.end))
        kept.append(h)
    return sorted(kept, key=lambda h: h.start)
