"""Find actor mentions in an article and resolve them against the actor knowledge base.

``ActorResolver.find`` returns, in text order:
- named actors (aliases, longest match; short all-caps abbreviations only as written),
  kind "named", or "observer" for monitors, agencies and media (claimants, never combatants);
- actor-specific descriptor phrases from the data ("an alliance of Kurdish and Arab militias
  backed by the United States" -> Syrian Democratic Forces), kind "descriptor", no antecedent;
- generic agents ("Syrian soldiers", "gunmen") as country-bound actors, kind "generic": the
  country is a nationality word in the phrase, else the article's focus country; with neither,
  the template without its country ("Rebel Groups", country None);
- definite descriptors ("the group") and subject pronouns ("It") pointing back to an earlier
  mention, kind "descriptor"/"pronoun" with ``antecedent`` = that mention's index (see actor_coref).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from warmonitor.nlp.docs import doc_text, made_from, noun_chunks, sentences, token_table
from warmonitor.model import Actor, ActorMention, Article
from warmonitor.resolve.actor_coref import (SUBJECT_PRONOUNS, descriptor_antecedent, descriptor_tags,
                                            is_subject_pronoun, pronoun_antecedent)
from warmonitor.resolve.actor_kb import (DATA_DIR, ActorDataError, ActorKB, ActorRecord, GenericTemplate,
                                         alias_key, is_case_sensitive)
from warmonitor.resolve.gazetteer import read_lines

__all__ = ["ActorKB", "ActorResolver", "ActorDataError", "ActorRecord"]

POSSESSIVE_PRONOUNS = frozenset({"its", "their"})
MAX_NAME_TAIL = 3  # capitalised words after a known name that can make it another organisation's name
MAX_MEMBER_NOUNS = 2  # "ISIS fighters", "Houthi rebel fighters"
MAX_ADJ_BEFORE_AGENT = 2
MAX_DESCRIPTOR_TOKENS = 20  # a descriptor grown to its whole noun phrase stays a phrase  # "Syrian elite troops": adjectives between nationality and agent word


def load_organisation_words(path: Path | None = None) -> frozenset[str]:
    return frozenset(read_lines(path or DATA_DIR / "organisation_words.txt"))


def _variants(phrase: str) -> set[str]:
    """Spellings that tokenize differently but mean the same ("al-Shabab" / "al Shabab")."""
    out = {phrase, phrase.replace("-", " ")}
    if phrase.lower().startswith("al "):
        out.add(phrase[:2] + "-" + phrase[3:])
    out |= {v.replace("'", "\u2019") for v in out if "'" in v}
    return {" ".join(v.split()) for v in out if v.strip()}


@dataclass
class _Matchers:
    folded: PhraseMatcher  # aliases and descriptor phrases, case-insensitive
    exact: PhraseMatcher  # short abbreviations and listed case-sensitive aliases
    generic: PhraseMatcher  # agent words
    labels: dict[str, tuple[Any, ...]]  # match label -> what it stands for


class ActorResolver:
    def __init__(self, kb: ActorKB, organisation_words: frozenset[str] | None = None):
        self.kb = kb
        self.organisation_words = load_organisation_words() if organisation_words is None else organisation_words
        self._matchers: dict[int, _Matchers] = {}  # built once per spaCy vocab

    # -- matcher construction --------------------------------------------------------------------
    def _build(self, doc: Doc) -> _Matchers:
        nlp = spacy.blank("en", vocab=doc.vocab)  # same tokenizer rules as the English models
        folded = PhraseMatcher(doc.vocab, attr="LOWER")
        exact = PhraseMatcher(doc.vocab, attr="ORTH")
        generic = PhraseMatcher(doc.vocab, attr="LOWER")
        labels: dict[str, tuple[Any, ...]] = {}

        def add(matcher: PhraseMatcher, label: str, info: tuple[Any, ...], phrases: set[str]) -> None:
            labels[label] = info
            matcher.add(label, [nlp.make_doc(p) for p in phrases])

        for rec in self.kb.records():
            for alias in (rec.name, *rec.aliases):
                if is_case_sensitive(alias, rec):
                    add(exact, f"X|{alias}", ("alias", alias, True), {alias} | {
                        v for v in _variants(alias) if "\u2019" in v})
                else:
                    add(folded, f"A|{alias_key(alias)}", ("alias", alias, False), _variants(alias))
            for phrase in rec.descriptors:
                add(folded, f"D|{alias_key(phrase)}", ("desc", phrase), _variants(phrase))
        for t in self.kb.templates:
            for word in t.words:
                add(generic, f"G|{t.template}|{word}", ("generic", t, word), _variants(word))
        return _Matchers(folded, exact, generic, labels)

    def _matchers_for(self, doc: Doc) -> _Matchers:
        key = id(doc.vocab)
        if key not in self._matchers:
            self._matchers[key] = self._build(doc)
        return self._matchers[key]

    # -- the public entry point ------------------------------------------------------------------
    def find(self, doc: Doc, article: Article, country: str | None = None,
             names: list[Span] | None = None) -> list[ActorMention]:
        """`names`: this doc's `name_matches`, when the caller has them already."""
        if not made_from(doc, article.text):  # whole, or with skipped sentences blanked (nlp/gate.py)
            raise ValueError(f"article {article.id}: the spaCy doc was not made from article.text")
        m = self._matchers_for(doc)
        year = article.published.year if article.published else None
        sents = list(sentences(doc))
        sent_of = [0] * len(doc)
        for i, s in enumerate(sents):
            sent_of[s.start:s.end] = [i] * (s.end - s.start)

        named = self._named(doc, m, year, country, sents, sent_of, names)
        covered = {i for span, _ in named for i in range(span.start, span.end)}
        tag_words = set().union(*self.kb.coref.tag_words.values())
        chunks = [c for c in noun_chunks(doc) if self._is_coref_candidate(c, covered, tag_words)]
        chunk_of = {i: c for c in chunks for i in range(c.start, c.end)}
        generic = self._generic(doc, m, country, covered, sents, sent_of)

        # Items in text order: ready mentions, descriptor chunks (with a generic fallback), pronouns.
        items: list[tuple[int, str, Any]] = []
        for span, mention in named:
            items.append((span.start, "ready", mention))
        fallback: dict[int, ActorMention] = {}
        for span, mention in generic:
            chunk = chunk_of.get(span.start)
            owner = self._possessor(doc, span)
            if owner is not None:
                items.append((owner.start, "owned", (owner, span, mention)))  # "the group's gunmen", "its fighters"
            elif chunk is not None:
                fallback[chunk.start] = mention  # "the militants": try coreference first
            else:
                items.append((span.start, "ready", mention))
        for c in chunks:
            items.append((c.start, "descriptor", c))
        busy = covered | set(chunk_of) | {i for s, _ in generic for i in range(s.start, s.end)}
        lower = token_table(doc).lower
        for i, word in enumerate(lower):
            # only "it" and "they" can be subject pronouns: the other tokens need no Token object
            if word in SUBJECT_PRONOUNS and i not in busy and is_subject_pronoun(t := doc[i]):
                items.append((i, "pronoun", t))
        items.sort(key=lambda x: x[0])

        out: list[ActorMention] = []
        for start, what, obj in items:
            if what == "ready":
                out.append(obj)
            elif what == "owned":
                owner, span, mention = obj
                i = self._owner_antecedent(owner, out, sent_of)
                out.append(_mention(doc[owner.start:span.end], sent_of, out[i].actor, "descriptor", antecedent=i)
                           if i is not None else mention)
            elif what == "descriptor":
                i = descriptor_antecedent(self.kb, out, sent_of[obj.start], descriptor_tags(self.kb, obj))
                if i is not None and _nearer_namesake(obj, out[i], covered):
                    i = None  # "a civil society group said. The group called ...": that group, no armed one
                if i is not None:
                    out.append(_mention(obj, sent_of, out[i].actor, "descriptor", antecedent=i))
                elif obj.start in fallback:
                    out.append(fallback[obj.start])
            else:
                i = pronoun_antecedent(obj, sents, sent_of[obj.i], out)
                if i is not None:
                    out.append(_mention(doc[obj.i:obj.i + 1], sent_of, out[i].actor, "pronoun", antecedent=i))
        return out

    # -- named actors ----------------------------------------------------------------------------
    def name_matches(self, doc: Doc) -> list[Span]:
        """The aliases and descriptor phrases the text contains, found before any country is known."""
        m = self._matchers_for(doc)
        sents = list(sentences(doc))
        sent_of = {k: i for i, sent in enumerate(sents) for k in range(sent.start, sent.end)}
        return self._name_matches(doc, m, sents, sent_of)

    def alias_char_spans(self, matches: list[Span]) -> list[tuple[int, int]]:
        """Character spans of the actors' names among `matches`: the place resolver leaves the places inside
        them alone ("Islamic State in the Greater Sahara")."""
        if not matches:
            return []
        labels = self._matchers_for(matches[0].doc).labels
        return [(sp.start_char, sp.end_char) for sp in matches if labels[sp.label_][0] == "alias"]

    def _name_matches(self, doc: Doc, m: _Matchers, sents: list[Span], sent_of) -> list[Span]:
        shouting = [_is_all_caps(s) for s in sents]
        spans = []
        for matcher in (m.folded, m.exact):
            for match_id, s, e in matcher(doc):
                label = doc.vocab.strings[match_id]
                info = m.labels[label]
                if info[0] == "alias" and info[2] and shouting[sent_of[s]] and len(info[1]) <= 2:
                    continue  # "IS", "UN" in an all-caps headline are ordinary words
                spans.append(Span(doc, s, e, label=label))
        return sorted(filter_spans(spans), key=lambda sp: sp.start)

    def _named(self, doc: Doc, m: _Matchers, year: int | None, country: str | None,
               sents: list[Span], sent_of: list[int],
               names: list[Span] | None = None) -> list[tuple[Span, ActorMention]]:
        kept = names if names is not None else self._name_matches(doc, m, sents, sent_of)
        out = []
        for span in kept:
            info = m.labels[span.label_]
            if info[0] == "desc":
                names, kind = self.kb.descriptor_candidates(info[1]), "descriptor"
            else:
                names, kind = self.kb.candidates(info[1], case_sensitive=info[2]), "named"
            rec = self.kb.choose(names, year, country)
            if rec is None:
                continue
            longer = self._longer_name(span)
            if longer is not None:  # "Islamic State Pakistan Province" is not the Islamic State we know
                out.append((longer, _mention(longer, sent_of, None, "unknown")))
                continue
            if rec.kind == "observer":
                kind = "observer"
            elif kind == "named":
                span = self._with_member_nouns(span)
            else:
                span = _whole_noun_phrase(span, taken=kept)
            out.append((span, _mention(span, sent_of, rec.to_actor(), kind)))
        return out

    def _longer_name(self, span: Span) -> Span | None:
        """The whole name when capitalised words after a known name end in an organisation word."""
        doc = span.doc
        end = span.end
        while end < len(doc) and end - span.end < MAX_NAME_TAIL and doc[end].is_title and doc[end].is_alpha:
            end += 1
            if doc[end - 1].text in self.organisation_words:
                return doc[span.start:end]
        return None

    def _with_member_nouns(self, span: Span) -> Span:
        """"ISIS fighters": the head is "fighters", which tells the caller the actor's role."""
        end = span.end
        doc = span.doc
        while (end < len(doc) and end - span.end < MAX_MEMBER_NOUNS and doc[end].lower_ in self.kb.member_nouns
               and doc[end].pos_ in ("NOUN", "PROPN")):
            end += 1
        return doc[span.start:end]

    # -- generic agents --------------------------------------------------------------------------
    def _generic(self, doc: Doc, m: _Matchers, focus: str | None, covered: set[int], sents: list[Span],
                 sent_of: list[int]) -> list[tuple[Span, ActorMention]]:
        spans = []
        for match_id, s, e in m.generic(doc):
            if not any(i in covered for i in range(s, e)):
                spans.append(Span(doc, s, e, label=doc.vocab.strings[match_id]))
        out = []
        for span in sorted(filter_spans(spans), key=lambda sp: sp.start):
            if _is_modifier(span):
                continue
            _, template, word = m.labels[span.label_]
            found = self._nationality(doc, span.start, covered, sents[sent_of[span.start]].start)
            if found is None and word in template.needs_nationality:
                continue  # "forces" alone is too vague; "Russian forces" is not
            start, country = found if found else (span.start, focus)
            full = doc[start:span.end]
            mention = _mention(full, sent_of, self._generic_actor(template, country), "generic")
            mention.template = template.template
            mention.country_from = "nationality" if found else "focus" if focus else None
            out.append((full, mention))
        return out

    def _generic_actor(self, template: GenericTemplate, country: str | None) -> Actor:
        return self.kb.country_actor(template.template, country)

    def _nationality(self, doc: Doc, start: int, covered: set[int], sent_start: int) -> tuple[int, str] | None:
        """("Syrian", Syria) just before an agent word (in its sentence, from token `sent_start`), over up to two
        adjectives and "'s"."""
        j, skipped = start - 1, 0
        while j >= sent_start and j not in covered:
            for n in (3, 2, 1):
                first = j - n + 1
                if first >= sent_start and not any(i in covered for i in range(first, j + 1)):
                    country = self.kb.demonyms.get(doc[first:j + 1].text)
                    if country:
                        return first, country
            tok = doc[j]
            if tok.text in ("'s", "\u2019s"):
                j -= 1
            elif tok.pos_ == "ADJ" and skipped < MAX_ADJ_BEFORE_AGENT:
                skipped += 1
                j -= 1
            else:
                break
        return None

    def _possessor(self, doc: Doc, span: Span) -> Span | None:
        """"the group's" or "its"/"their" just before an agent word: the owner that names whose men they are."""
        i = span.start - 1
        if i >= 0 and doc[i].lower_ in POSSESSIVE_PRONOUNS:
            return doc[i:i + 1]
        if (i >= 2 and doc[i].text in ("'s", "\u2019s") and doc[i - 1].lower_ in self.kb.coref.heads
                and doc[i - 2].lower_ in self.kb.coref.determiners):
            return doc[i - 2:i]
        return None

    def _owner_antecedent(self, owner: Span, mentions: list[ActorMention], sent_of: list[int]) -> int | None:
        """The armed actor the owner points back to: the last compatible one for "the group's"; for "its" and
        "their" only one named in the same or the previous sentence."""
        sentence = sent_of[owner.start]
        i = descriptor_antecedent(self.kb, mentions, sentence, descriptor_tags(self.kb, owner))
        if i is not None and len(owner) == 1 and sentence - mentions[i].sentence > 1:
            return None
        return i

    def _is_coref_candidate(self, chunk: Span, covered: set[int], tag_words: set[str]) -> bool:
        """A definite noun phrase headed by "group", "militants", ... that names no actor itself.
        `tag_words`: every word of the descriptors' tags."""
        rules = self.kb.coref
        table = token_table(chunk.doc)
        # the determiner first: most chunks have none of these, and the test needs no Token object
        if table.lower[chunk.start] not in rules.determiners or chunk.root.lower_ not in rules.heads:
            return False
        # A proper name we do not know ("the PYD militant group") names some other actor.
        names_other = any(table.pos[k] == "PROPN" and table.lower[k] not in tag_words
                          for k in range(chunk.start, chunk.end))
        return not names_other and not any(i in covered for i in range(chunk.start, chunk.end))

def _mention(span: Span, sent_of: Any, actor: Actor | None, kind: str,
             antecedent: int | None = None) -> ActorMention:
    start = span.start_char
    end = span.end_char
    return ActorMention(start=start, end=end, text=doc_text(span.doc)[start:end], sentence=sent_of[span.start],
                        actor=actor, kind=kind, head=span.root.idx, antecedent=antecedent)


def _nearer_namesake(descriptor: Span, antecedent: ActorMention, covered: set[int]) -> bool:
    """True when a noun phrase with the descriptor's head word, naming no actor, stands between it and the
    antecedent: "the group" then means that nearer group."""
    doc = descriptor.doc
    lemma = descriptor.root.lemma_.lower()
    return any(c.root.lemma_.lower() == lemma and antecedent.end <= c.start_char and c.end <= descriptor.start
               and not any(i in covered for i in range(c.start, c.end)) for c in noun_chunks(doc))


def _whole_noun_phrase(span: Span, taken: list[Span]) -> Span:
    """A descriptor phrase grown to its noun phrase: "an alliance of ... backed by the United States"."""
    root = span.root
    start, end = root.left_edge.i, root.right_edge.i + 1
    others = [t for t in taken if t.start >= end or t.end <= start or (t.start, t.end) == (span.start, span.end)]
    if (root.pos_ not in ("NOUN", "PROPN") or end - start > MAX_DESCRIPTOR_TOKENS
            or start < root.sent.start or len(others) != len(taken)):
        return span
    return span.doc[min(start, span.start):max(end, span.end)]


def _is_modifier(span: Span) -> bool:
    """"army offensive", "government-held": the agent word modifies another word, naming no agent."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].text == "-" and not doc[span.end - 1].whitespace_:
        return True
    return span.root.dep_ in ("compound", "amod") and span.root.head.i >= span.end


def _is_all_caps(sent: Span) -> bool:
    table = token_table(sent.doc)
    words = [table.text[k] for k in range(sent.start, sent.end) if table.is_alpha[k] and len(table.text[k]) > 1]
    return len(words) >= 3 and sum(w.isupper() for w in words) >= 0.6 * len(words)
