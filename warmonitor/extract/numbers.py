"""Read death tolls from the parse, by ACLED's counting rules.

The lowest credible figure counts ("at least 12" is 12, "dozens" is 12, "between 10 and 15"
is 10); a number shared by "killed and wounded" is not a death toll; injuries never count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.syntax import doc_text, sent_of, tokens
from warmonitor.nlp.docs import token_table


@dataclass(frozen=True)
class Count:
    low: int
    high: int | None
    start: int  # character span of the whole number phrase
    end: int
    text: str
    victim: Token | None = None  # the counted noun ("soldiers"), for the victims' identity


def number_value(tok: Token, lexicon: Lexicon) -> int | None:
    """Value of a single number token: digits, words, or a vague quantity."""
    words = lexicon.numbers["words"]
    vague = lexicon.numbers["vague"]
    text = tok.lower_.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return int(float(text))
    if text in vague:
        return vague[text]
    parts = re.split(r"[- ]", text)
    if parts and all(p in words for p in parts):
        total = 0
        for p in parts:
            total = total * words[p] if words[p] in (100, 1000) and total else total + words[p]
        return total
    return None


def _phrase_value(num: Token, lexicon: Lexicon) -> tuple[int, int | None, int, int] | None:
    """Value of a number and its modifiers ("at least 36", "two hundred", "between 10 and 15")."""
    value = number_value(num, lexicon)
    if value is None:
        return None
    start, end = num.idx, num.idx + len(num.text)
    low, high = value, None
    # compound numbers: "two hundred", "1.2 million"
    for child in num.children:
        if child.dep_ in ("compound", "quantmod", "nummod") and child.like_num:
            v = number_value(child, lexicon)
            if v is not None:
                low = v * value if value in (100, 1000) else value
                start = min(start, child.idx)
    sent = sent_of(num)
    sent_text = sent.text.lower()
    before = sent_text[: num.idx - sent.start_char].rstrip()
    for cue in lexicon.numbers["upper_bound_cues"]:
        if before.endswith(cue):
            low, high = low, low
            start = num.idx - len(cue) - 1
            start = max(start, sent.start_char)
            return (low, high, start, end) if cue in ("nearly", "almost", "close to") else (0, low, start, end)
    for cue in lexicon.numbers["lower_bound_cues"]:
        if before.endswith(cue):
            start = max(num.idx - len(cue) - 1, sent.start_char)
            break
    m = re.search(r"between$", before)
    if m is None:
        m2 = re.search(r"between (\S+) and$", before)
        if m2:
            first = next((t for t in tokens(sent) if t.idx == num.idx - len(m2.group(0)) + len("between ")), None)
            v = number_value(first, lexicon) if first is not None else None
            if v is not None:
                return v, low, first.idx - len("between "), end
    return low, high, start, end


def _is_injury_shared(verb: Token, lexicon: Lexicon) -> bool:
    """'killed and wounded 30': the number belongs to both verbs, so it is no death toll.
    ('killing nine and wounding 40' gives each verb its own object, and nine is a toll.)"""
    injury = set(lexicon.numbers["injury_words"])
    if any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children):
        return False
    for t in [*verb.children, verb.head]:
        if t.lemma_.lower() in injury and (t.dep_ == "conj" or verb.dep_ == "conj"):
            return True
    return False


def count_of(noun: Token, lexicon: Lexicon) -> Count | None:
    """The number attached to a counted noun: '36 soldiers', 'dozens of people', 'a soldier', 'three'."""
    if noun.like_num or noun.lower_ in lexicon.numbers["vague"]:
        val = _phrase_value(noun, lexicon)
        if val is not None:
            victim = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            victim_noun = next((c for c in victim.children if c.dep_ == "pobj"), None) if victim is not None else None
            return Count(val[0], val[1], val[2], val[3], doc_text(noun.doc)[val[2]:val[3]], victim_noun)
    for child in noun.children:
        if child.dep_ == "nummod" or (child.dep_ in ("amod", "det") and child.lower_ in lexicon.numbers["vague"]):
            val = _phrase_value(child, lexicon)
            if val is not None:
                return Count(val[0], val[1], val[2], val[3], doc_text(noun.doc)[val[2]:val[3]], noun)
        if child.dep_ in ("det", "poss") and child.lower_ in ("a", "an", "one", "his", "her", "their", "its") \
                and noun.tag_ == "NN":
            return Count(1, None, child.idx, child.idx + len(child.text), child.text, noun)
    # "dozens of civilians": the noun is the object of "of" under the quantity
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head is not None:
        q = noun.head.head
        if q.like_num or q.lower_ in lexicon.numbers["vague"]:
            val = _phrase_value(q, lexicon)
            if val is not None:
                return Count(val[0], val[1], val[2], val[3], doc_text(noun.doc)[val[2]:val[3]], noun)
    return None


def _sum_conjuncts(noun: Token, lexicon: Lexicon) -> Count | None:
    """'two soldiers and three civilians were killed' -> 5."""
    # "four people, among them three rescuers": a subset, not more dead
    conj = [t for t in noun.conjuncts if not any(x.lower_ in ("among", "including") for x in t.head.children)
            and not any(x.lower_ in ("among", "including") for x in t.children)]
    counts = [c for c in (count_of(t, lexicon) for t in [noun, *conj]) if c is not None]
    if not counts:
        return None
    if len(counts) == 1:
        return counts[0]
    low = sum(c.low for c in counts)
    start = min(c.start for c in counts)
    end = max(c.end for c in counts)
    return Count(low, None, start, end, doc_text(noun.doc)[start:end], counts[0].victim)


KILL_VERBS = frozenset({"kill", "execute", "behead", "massacre", "slaughter", "assassinate", "murder", "lynch"})


def deaths_near(anchor: Token, lexicon: Lexicon) -> list[Count]:
    """Death tolls governed by a death word: 'killed 36 soldiers', '12 people died',
    'killing dozens', 'the death toll rose to 70', '20 dead'."""
    lemma = anchor.lemma_.lower()
    found: list[Count] = []
    particles = {c.lower_ for c in anchor.children if c.dep_ in ("prt", "oprd", "acomp", "advmod", "xcomp")}
    # "beat two men to death" (the parser may hang "to death" on a later word of the phrase)
    to_death = any(t.lower_ == "to" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "death"
                   for t in anchor.subtree)
    if (lemma in KILL_VERBS or (lemma == "shoot" and "dead" in particles) or (lemma == "gun" and "down" in particles)
            or to_death) and anchor.pos_ in ("VERB", "AUX") and "off" not in particles:
        if _is_injury_shared(anchor, lexicon):
            return []
        groups = [c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass")]
        # "killed 18 soldiers and at least 10 militants": the second group may hang from the verb
        groups += [c for c in anchor.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
        # "four people, among them three rescuers": a subset, not more dead
        groups = [g for g in groups if not any(c.dep_ == "prep" and c.lower_ in ("among", "including")
                                               for c in g.children)] or groups[:1]
        counts = [c for c in (_sum_conjuncts(g, lexicon) for g in groups) if c is not None]
        injured = [c for c in counts if _counts_injured(c, anchor.doc, lexicon)]
        if injured:
            # "6 citizens killed 22 injured", parsed as if the citizens killed: the subject is the dead
            counts = [c for c in counts if c not in injured] or [
                c for c in (_sum_conjuncts(g, lexicon) for g in anchor.children if g.dep_ == "nsubj") if c]
        if counts:
            start, end = min(c.start for c in counts), max(c.end for c in counts)
            total = Count(sum(c.low for c in counts), None, start, end, doc_text(anchor.doc)[start:end],
                          counts[0].victim) if len(counts) > 1 else counts[0]
            found.append(total)
    elif lemma == "die":
        for subj in (c for c in anchor.children if c.dep_ == "nsubj"):
            c = _sum_conjuncts(subj, lexicon)
            if c is not None:
                found.append(c)
    elif lemma in ("toll",):
        verb = anchor.head
        for t in verb.subtree:
            if t.like_num and t.i > anchor.i:
                val = _phrase_value(t, lexicon)
                if val is not None:
                    found.append(Count(val[0], val[1], val[2], val[3], doc_text(t.doc)[val[2]:val[3]]))
                    break
    # "20 dead", "20 people killed" (reduced relative), "leaving 12 dead"
    if not found and anchor.dep_ in ("amod", "acl") and anchor.head.pos_ in ("NOUN", "NUM", "PROPN"):
        c = count_of(anchor.head, lexicon)
        if c is not None and not _is_injury_shared(anchor, lexicon):
            found.append(c)
    return found


def _counts_injured(count: Count, doc, lexicon: Lexicon) -> bool:
    """'6 citizens killed 22 injured' in a headline without commas: a number the next word calls injured is
    the injured, not more dead."""
    span = doc.char_span(count.start, count.end, alignment_mode="expand")
    return span is not None and span.end < len(doc) and doc[span.end].lower_ in lexicon.numbers["injury_words"]


_DEATH_FORMS = frozenset({"killed", "dead", "deaths", "fatalities", "bodies"})  # read whatever their lemma


def deaths_in_sentence(sent: Span, lexicon: Lexicon) -> list[tuple[Token, Count]]:
    """Every death toll in a sentence, with the death word that governs it."""
    death_words = KILL_VERBS | {"die", "toll", "dead", "shoot", "gun", "beat", "stone", "hack", "burn", "stab"}
    table = token_table(sent.doc)
    out: list[tuple[Token, Count]] = []
    for k in range(sent.start, sent.end):
        # only death words and death nouns are read below: the others need no Token object
        if not (table.lemma_lower[k] in death_words or table.lower[k] in _DEATH_FORMS):
            continue
        tok = sent.doc[k]
        if tok.lemma_.lower() in death_words or tok.lower_ in ("killed", "dead"):
            for c in deaths_near(tok, lexicon):
                out.append((tok, c))
        if tok.lower_ in ("dead", "deaths", "fatalities", "bodies") and tok.dep_ not in ("amod",):
            c = count_of(tok, lexicon)
            if c is not None:
                out.append((tok, c))
    # one figure per span
    seen: set[tuple[int, int]] = set()
    uniq = []
    for tok, c in out:
        if (c.start, c.end) not in seen:
            seen.add((c.start, c.end))
            uniq.append((tok, c))
    return uniq
