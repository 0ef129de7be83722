"""Say, in words, why an actor mention resolved as it did.

The resolver (``actors.py``) keeps no trace of its reasoning, so the reason is rebuilt here from
the mention, its text and the knowledge base, using the same rules in the same order:
- a named mention: the longest alias the span starts with, and ``ActorKB.choose``'s rule when
  several actors share it (years, successor followed, focus country, then order);
- a descriptor: the antecedent it points back to, or the descriptor phrase of the data;
- a generic agent: the agent word and where the country came from;
- a pronoun: the previous sentence's subject.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from warmonitor.model import ActorMention
from warmonitor.resolve.actor_kb import ActorKB, ActorRecord, GenericTemplate, alias_key

# ACLED's names of its inter codes.
INTER_LABELS = {
    1: "State forces", 2: "Rebel group", 3: "Political militia", 4: "Identity militia",
    5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces",
}
_WORD = re.compile(r"\S+")


def inter_label(inter: int | None) -> str:
    if inter is None:
        return "none"
    return f"{inter} {INTER_LABELS.get(inter, '?')}"


def years_text(rec: ActorRecord) -> str:
    if rec.years is None:
        return "any"
    start, end = rec.years
    return f"{start if start is not None else '…'}–{end if end is not None else 'present'}"


# -- choosing among actors that share a name ------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """One actor an alias may stand for, scored as ``ActorKB.choose`` scores it."""

    name: str  # the record the alias belongs to
    resolved: ActorRecord  # after following successors for the year
    chain: tuple[str, ...]  # names passed through, from `name` to `resolved.name`
    active: bool
    in_country: bool


def candidates(kb: ActorKB, names: Sequence[str], year: int | None, country: str | None) -> list[Candidate]:
    out = []
    for name in names:
        resolved = kb.choose([name], year, None)  # choose() follows the successor chain for the year
        if resolved is None:
            continue
        out.append(Candidate(name, resolved, successor_chain(kb, name, resolved.name),
                             resolved.active_in(year), country is not None and country in resolved.countries))
    return out


def successor_chain(kb: ActorKB, start: str, end: str) -> tuple[str, ...]:
    chain = [start]
    while chain[-1] != end:
        rec = kb.record(chain[-1])
        if rec is None or rec.successor is None or rec.successor in chain:
            break
        chain.append(rec.successor)
    return tuple(chain)


def chain_text(kb: ActorKB, chain: Sequence[str], year: int | None) -> str:
    """"Nusra Front (2012–2016) became Jabhat Fateh al-Sham (2016–2017), then Hayat Tahrir al-Sham"."""
    parts = []
    for name in chain:
        rec = kb.record(name)
        parts.append(f"{name} ({years_text(rec)})" if rec is not None and rec.years else name)
    return f"in {year}, " + parts[0] + " became " + ", then ".join(parts[1:])


def choice_reason(kb: ActorKB, names: Sequence[str], year: int | None, country: str | None) -> str:
    """Why ``kb.choose(names, year, country)`` picked its actor, in one phrase."""
    cands = candidates(kb, names, year, country)
    chosen = kb.choose(names, year, country)
    if chosen is None or not cands:
        return "no actor"
    winner = next(c for c in cands if c.resolved.name == chosen.name)
    notes = []
    if len(winner.chain) > 1:
        notes.append(chain_text(kb, winner.chain, year))
    others = [c for c in cands if c is not winner and c.resolved.name != winner.resolved.name]
    if not others:
        return "; ".join(notes) if notes else "the only actor with this name"
    rules = []
    if any(c.active < winner.active for c in others):
        rules.append(f"active in {year}")
    if any(c.active == winner.active and c.in_country < winner.in_country for c in others):
        rules.append(f"present in {country}")
    if any((c.active, c.in_country) == (winner.active, winner.in_country) for c in others):
        rules.append("listed first (user files first, then file order)")
    shared = ", ".join(c.resolved.name for c in others)
    notes.append(f"shared with {shared}; chosen because {' and '.join(rules)}")
    return "; ".join(notes)


# -- finding what matched ------------------------------------------------------------------------
def matched_alias(kb: ActorKB, text: str) -> tuple[str, list[str]] | None:
    """The longest alias the span starts with ("Islamic State" in "Islamic State fighters"), and its actors."""
    words = _WORD.findall(text)
    for n in range(len(words), 0, -1):
        prefix = " ".join(words[:n])
        names = kb.candidates(prefix, True) or kb.candidates(prefix, False)
        if names:
            return prefix, names
    return None


def matched_descriptor(kb: ActorKB, text: str, actor: str) -> str | None:
    """The data's descriptor phrase of `actor` found inside a grown descriptor span."""
    key = f" {alias_key(text)} "
    rec = kb.record(actor)
    phrases = sorted(rec.descriptors if rec else (), key=len, reverse=True)
    for phrase in phrases:
        if f" {alias_key(phrase)} " in key:
            return phrase
    # The span may stand for a predecessor's phrase followed to `actor`.
    for other in kb.records():
        for phrase in other.descriptors:
            if f" {alias_key(phrase)} " in key and actor in successor_chain(kb, other.name, actor):
                return phrase
    return None


def generic_source(kb: ActorKB, text: str, actor: str, focus: str | None,
                   template_name: str | None = None,
                   country_from: str | None = None) -> tuple[GenericTemplate, str, str] | None:
    """(template, agent word, where the country came from) for a generic mention.

    `template_name` and `country_from` are what the resolver recorded on the mention, when it did.
    """
    template = kb.template(template_name) if template_name else None
    if template is None:
        template = next((t for t in kb.templates if t.country_of(actor) is not False), None)
    if template is None:
        return None
    country = template.country_of(actor)
    folded = alias_key(text)
    words = sorted((w for w in template.words if folded.endswith(alias_key(w))), key=len, reverse=True)
    word = words[0] if words else text
    # "Syria's troops": spaCy splits off the "'s", so the nationality word is "Syria"
    before = [re.sub(r"['\u2019]s$", "", w) for w in text[:len(text) - len(word)].split()] if words else []
    for n in range(len(before), 0, -1):  # "Syrian", "Saudi-led", "US", "United States"
        for i in range(len(before) - n + 1):
            phrase = " ".join(before[i:i + n])
            if country is not None and kb.demonyms.get(phrase) == country:
                return template, word, f"country from the nationality word '{phrase}' in the phrase"
    if country is None:
        return template, word, "no country: no nationality word in the phrase and no focus country"
    if country == focus or country_from == "focus":
        return template, word, f"country from the article's focus country ({country})"
    return template, word, f"country {country}"


# -- the explanation -----------------------------------------------------------------------------
def describe_actor(kb: ActorKB, m: ActorMention) -> str:
    if m.actor is None:
        return "no actor"
    return f"{m.actor.name} (inter {inter_label(m.actor.inter)})"


def mention_reason(kb: ActorKB, mentions: Sequence[ActorMention], i: int, year: int | None,
                   focus: str | None) -> str:
    m = mentions[i]
    actor = m.actor.name if m.actor else None
    if m.kind in ("descriptor", "pronoun") and m.antecedent is not None and 0 <= m.antecedent < len(mentions):
        a = mentions[m.antecedent]
        where = f"mention #{m.antecedent + 1} '{a.text}' (sentence {a.sentence + 1})"
        if m.kind == "pronoun":
            return f"subject pronoun taking the previous sentence's subject, {where}"
        tags = descriptor_words_tags(kb, m.text)
        with_tags = f" with tag {', '.join(sorted(tags))}" if tags else ""
        return f"refers back to {where}, the last compatible armed actor{with_tags}"
    if m.kind == "descriptor":
        phrase = matched_descriptor(kb, m.text, actor) if actor else None
        if phrase is None:
            return f"descriptor phrase of {actor} in the knowledge base"
        names = kb.descriptor_candidates(phrase)
        why = choice_reason(kb, names, year, focus)
        tail = "" if why == "the only actor with this name" else f"; {why}"
        return f"descriptor phrase '{phrase}' of {actor} in the knowledge base{tail}"
    if m.kind == "generic":
        found = generic_source(kb, m.text, actor, focus, getattr(m, "template", None),
                               getattr(m, "country_from", None)) if actor else None
        if found is None:
            return "generic agent"
        template, word, source = found
        return f"generic agent word '{word}' -> {template.template}; {source}"
    if m.kind in ("named", "observer"):
        hit = matched_alias(kb, m.text)
        why = f"alias '{hit[0]}'; {choice_reason(kb, hit[1], year, focus)}" if hit else "name in the knowledge base"
        if m.kind == "observer":
            return f"observer ({why}): a claimant, never a combatant"
        return why
    return m.kind


def descriptor_words_tags(kb: ActorKB, text: str) -> set[str]:
    """The tags a descriptor's words demand ("the jihadists" -> jihadist), as actor_coref reads them."""
    words = {w.lower() for w in re.findall(r"[\w'-]+", text)} | {text.lower()}
    words |= {part for w in list(words) for part in w.split("-")}
    return {tag for tag, tag_words in kb.coref.tag_words.items() if words & tag_words}


def explain_mentions(kb: ActorKB, mentions: list[ActorMention], year: int | None,
                     focus: str | None) -> list[str]:
    """One line per mention, in text order: number, offsets, span, kind, actor and why."""
    lines = []
    for i, m in enumerate(mentions):
        lines.append(f"#{i + 1} [{m.start}:{m.end}] sentence {m.sentence + 1} '{m.text}' {m.kind} -> "
                     f"{describe_actor(kb, m)}: {mention_reason(kb, mentions, i, year, focus)}")
    return lines
