"""The article-to-events pipeline: models and indexes loaded once, then any number of articles."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Token

from warmonitor.extract.control import control_statements
from warmonitor.extract.clusters import MentionClusterer
from warmonitor.extract.events import EventCoder, report_window
from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.mentions import model_mention, read_mentions, sentence_contexts
from warmonitor.extract.ontologies import OntologyMap
from warmonitor.extract.roles import CIVILIANS, ActorIndex
from warmonitor.extract.syntax import sentence_index, sentences
from warmonitor.extract.triggers import TriggerMatcher
from warmonitor.extract.type_features import rule_features, sentence_features, text_features, text_vector
from warmonitor.extract.type_model import SNIPPET_SENTENCES, TypeDecision, TypeModel, decide
from warmonitor.ingest.boilerplate import story_end
from warmonitor.model import ActorMention, Article, ControlStatement, Event, PlaceMention
from warmonitor.nlp import load_nlp
from warmonitor.nlp.docs import forget_caches, mark_gated
from warmonitor.nlp.gate import GateDecision, SentenceGate
from warmonitor.nlp.prefilter import build_prefilter, might_report_conflict
from warmonitor.nlp.relevance import RelevanceModel
from warmonitor.resolve.actors import ActorKB, ActorResolver
from warmonitor.resolve.victim_groups import VictimGroups
from warmonitor.resolve.modifiers import ModifierActors
from warmonitor.resolve.places import Gazetteer, PlaceResolver


# Articles parsed together. spaCy's working arrays grow with the batch: at 32 a run over whole articles peaked
# near 500 MB, at 8 near 370 MB, with the same output and no loss of speed (measured on FA-KES).
PARSE_BATCH = 8


@dataclass
class ArticleResult:
    article: Article
    events: list[Event] = field(default_factory=list)
    control: list[ControlStatement] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    rejected: list[tuple[str, int, str]] = field(default_factory=list)  # trigger, offset, why it is no event
    skipped: str | None = None  # why the article was not parsed at all
    type_features: set[str] = field(default_factory=set)  # what the event-type classifier reads
    type_vector: Any = None  # and the report's mean token vector (numpy), beside the features
    sentences_skipped: int = 0  # sentences the gate kept from the parser (nlp/gate.py)


class Pipeline:
    def __init__(self, nlp: Language, lexicon: Lexicon, places: PlaceResolver, actors: ActorResolver,
                 actor_kb: ActorKB, victims: VictimGroups | None = None, type_model: TypeModel | None = None,
                 gate: bool = False, relevance: RelevanceModel | None = None):
        self.nlp = nlp
        self.type_model = type_model
        self.victims = victims or VictimGroups.load()
        self.lexicon = lexicon
        self.places = places
        self.actors = actors
        self.actor_kb = actor_kb
        self.matcher = TriggerMatcher(lexicon)
        self.prefilter = build_prefilter(self.matcher.first_words)
        # gate=True parses only the sentences that can hold an event, and their context: faster on long
        # reports, at a small measured cost in recall (bench/gate_recall.py), so it is asked for, not default
        self.gate = SentenceGate.build(nlp, lexicon) if gate else None
        # the relevance gate skips ordinary news before the parse; None codes every article with trigger words
        self.relevance = relevance
        self.ontologies = OntologyMap.load()

    @classmethod
    def load(cls, actor_files: Sequence[Path] = (), actor_kb: ActorKB | None = None,
             type_model: TypeModel | None | str = "bundled", gate: bool = False,
             every_article: bool = False) -> "Pipeline":
        """The models and indexes; `actor_kb` if the caller has already loaded it (with the same files);
        `type_model=None` codes event types by the rules alone; `every_article` turns the relevance gate off."""
        kb = actor_kb or ActorKB.load(extra_files=actor_files)
        model = TypeModel.load() if type_model == "bundled" else type_model
        return cls(load_nlp(), Lexicon.load(), PlaceResolver(Gazetteer.load()), ActorResolver(kb), kb,
                   type_model=model, gate=gate, relevance=None if every_article else RelevanceModel.load())

    def process(self, article: Article) -> ArticleResult:
        return next(self.process_many([article]))

    def process_many(self, articles: Iterable[Article], batch_size: int = PARSE_BATCH) -> Iterator[ArticleResult]:
        """Results in input order. Articles without any conflict vocabulary, or that the relevance gate finds
        ordinary news, are not parsed; of the others, only the sentences the sentence gate (if on) selects."""
        stream = iter(articles)
        while chunk := list(islice(stream, batch_size)):
            yield from self._process_chunk(chunk)

    def _process_chunk(self, chunk: list[Article]) -> Iterator[ArticleResult]:
        """One parse batch: the articles' texts in one nlp.pipe call, and their headlines in another (a
        headline parsed on its own pays the pipeline's whole fixed cost for a dozen words)."""
        plans = [self._plan(a) for a in chunk]
        todo = [(a, gate) for a, (why, gate) in zip(chunk, plans) if why is None]
        docs = iter(self.nlp.pipe([gate.blanked(a.text) if gate is not None else a.text for a, gate in todo],
                                  batch_size=max(1, len(todo))))
        headlines = iter(self._headline_docs([a.title for a, _ in todo]))
        for article, (why, gate) in zip(chunk, plans):
            if why is not None:
                yield ArticleResult(article, skipped=why)
                continue
            doc, headline = next(docs), next(headlines)
            try:
                skipped = gate.skipped if gate is not None else 0
                if skipped:
                    mark_gated(doc, article.text)
                result = self._extract(doc, article, headline, skipped_sentences=skipped)
                if skipped:
                    _renumber_sentences(result, doc, gate)
                yield result
            except Exception as exc:  # one bad article must not stop a batch; it is reported, not lost
                yield ArticleResult(article, skipped=f"could not be coded ({type(exc).__name__}: {exc})")

    def _plan(self, article: Article) -> tuple[str | None, GateDecision | None]:
        """Why the article need not be parsed at all (None when it must be), and which of its sentences to
        parse (None: all). The relevance gate picks the runs of sentences that can tell of an event; the
        opt-in trigger-word gate (--sentence-gate) picks trigger sentences in its place."""
        if not (might_report_conflict(article.text, self.prefilter)
                or might_report_conflict(article.title or "", self.prefilter)):
            return "no conflict vocabulary", None
        if self.relevance is None:
            return None, self.gate.decide(article.text) if self.gate is not None else None
        if self.gate is not None:  # the trigger-word gate picks the sentences; relevance only says yes or no
            relevant = self.relevance.relevant(article.text, article.title)
            gate = self.gate.decide(article.text) if relevant else None
        else:
            gate = self.relevance.assess(article.text, article.title)
            relevant = gate is not None
        return (None, gate) if relevant else ("not about political violence or protest (relevance gate)", None)

    def _extract(self, doc, article: Article, headline=None, skipped_sentences: int = 0) -> ArticleResult:
        names = self.actors.name_matches(doc)  # once: places keep out of them, actors resolve them
        geo = self.places.resolve(doc, article, self.actors.alias_char_spans(names))
        country = geo.focus.country if geo.focus is not None else None
        actor_mentions = self.actors.find(doc, article, country=country, names=names)
        civilians = self.actor_kb.country_actor(CIVILIANS, country) if country else None
        index = ActorIndex(doc, actor_mentions, modifier=ModifierActors(self.actor_kb, country), civilians=civilians,
                           person_nouns=self.lexicon.person_nouns, military_assets=self.lexicon.military_assets,
                           symmetric_lemmas=self.lexicon.symmetric_lemmas)
        contexts = sentence_contexts(doc, article.published, geo.mentions, actor_mentions, index, self.lexicon)
        # the headlines of other stories a copied page lists after this one are not its events
        end = story_end(article.text)
        hits = [h for h in self.matcher.find(doc) if h.anchor.idx < end]
        mentions, rejected = read_mentions(doc, hits, contexts, index, self.lexicon,
                                           geo.focus.iso if geo.focus is not None else None)
        clusterer = MentionClusterer(self.lexicon, geo.within)
        coder = EventCoder(self.lexicon, clusterer, self.places.gaz.region_of, self.places.gaz.admin1_place,
                           self.victims)
        clusters = clusterer.cluster(mentions, report_window(article))
        title_types = self._title_types(headline)
        event_places = [p for p in geo.event_places() if p.start < end]
        all_claims = [cl for ctx in contexts for cl in ctx.claims]

        def code(clusters_):
            return coder.code(article, clusters_, title_types, geo.focus, event_places, self.actor_kb.country_actor,
                              all_claims, actor_mentions)

        events = code(clusters)
        told = {m.sentence for m in mentions}
        background = {sentence_index(h.anchor) for h, why in rejected if why.startswith("background")} - told
        features = text_features(doc, background) | rule_features(
            [e.sub_event_type for e in events], [(h.entry.nominal_type, h.entry.rule, h.entry.weak) for h in hits],
            [(h.entry.nominal_type, why) for h, why in rejected])
        vector = text_vector(doc)
        vetoed = []
        if self.type_model is not None:
            decision = decide([e.sub_event_type for e in events], self.type_model.probabilities(features, vector),
                              long_report=len(sentences(doc)) + skipped_sentences > SNIPPET_SENTENCES)
            if decision.action == "create":
                anchor = self._anchor_for(doc, decision.sub_event_type, rejected)
                found = model_mention(doc, anchor, decision.sub_event_type, contexts, index, self.lexicon,
                                      geo.focus.iso if geo.focus is not None else None)
                events = code(clusterer.cluster([found], report_window(article)))
            else:
                events, vetoed = self._settle_types(article, events, decision, coder)
        sents = sentences(doc)
        for e in events:
            told_in = sorted({m.sentence for m in e.mentions if m.sentence < len(sents)})
            self.ontologies.apply(e, " ".join(sents[i].text for i in told_in))
        control = []
        for i, sent in enumerate(sents):
            if sent.start_char >= end:
                break
            control += control_statements(sent, i, index, contexts[i].places, article.published, self.lexicon,
                                          article.id)
        return ArticleResult(
            article=article, events=events, control=control, places=geo.mentions, actors=actor_mentions,
            rejected=[(h.anchor.text, h.anchor.idx, why) for h, why in rejected] + vetoed, type_features=features,
            type_vector=vector, sentences_skipped=skipped_sentences,
        )

    @staticmethod
    def _settle_types(article: Article, events: list[Event], decision: TypeDecision, coder: EventCoder
                      ) -> tuple[list[Event], list[tuple[str, int, str]]]:
        """The rules' events after the classifier's verdict, and what it vetoed (as rejected triggers)."""
        if decision.action == "veto":
            why = f"no political violence (type model, p={decision.probability:.2f})"
            return [], [(m.trigger, m.start, why) for e in events for m in e.mentions[:1]]
        if decision.action == "promote":
            events.sort(key=lambda e: e.sub_event_type != decision.sub_event_type)
            for n, e in enumerate(events, 1):
                e.event_id = f"{article.id}-{n}"
        elif decision.action == "retype":
            coder.retype(events[0], decision.sub_event_type)
        return events, []

    def _anchor_for(self, doc, sub_event_type: str, rejected) -> Token:
        """Where to read an event the rules missed: a trigger they set aside (of that type if any, the
        earliest first), else the head of the sentence the classifier finds most telling of that type."""
        set_aside = sorted((h for h, _ in rejected), key=lambda h: (h.entry.nominal_type != sub_event_type,
                                                                   h.anchor.i))
        if set_aside:
            return set_aside[0].anchor
        sents = sentences(doc)
        best = max(sents, key=lambda s: self.type_model.probabilities(sentence_features(s)).get(sub_event_type, 0))
        return best.root

    def _headline_docs(self, titles: list[str | None]) -> list:
        """Parsed headlines (None where there is none), without NER: see _title_types."""
        present = [t for t in titles if t]
        parsed = iter(self.nlp.pipe(present, disable=["ner"] if "ner" in self.nlp.pipe_names else []))
        return [next(parsed) if t else None for t in titles]

    def _title_types(self, headline) -> set[str]:
        """Sub-event types the headline (a doc parsed without NER) names; a headline's 'takes' may be either
        side's gain."""
        if headline is None:
            return set()
        types = set()
        # NER only ever drops a hit (a trigger inside a multi-word name) and no other component reads it, so a
        # headline without hits before NER has none after: NER, half a headline's cost, runs only if it can matter
        hits = self.matcher.find(headline)
        if hits and "ner" in self.nlp.pipe_names:
            headline = self.nlp.get_pipe("ner")(headline)
            forget_caches(headline)  # the token table the first look cached has no entities yet
            hits = self.matcher.find(headline)
        strong = [h for h in hits if not h.entry.weak]
        for hit in strong or hits:  # "Roadside bomb kills two": the bomb says more than "kills"
            types.add(hit.entry.nominal_type)
            if hit.entry.rule == "territory_gain":
                types.add("Government regains territory")
            if hit.entry.rule == "violence":
                types.add("Attack")
        return types


def _renumber_sentences(result: ArticleResult, doc, gate: GateDecision) -> None:
    """Sentence numbers of a gated doc count only the parsed sentences: make them count the article's.
    A skipped sentence's blanks trail the parsed sentence before it, so each parsed sentence moves on by
    the number of skipped sentences that start before it."""
    skipped = [start for (start, _), parse in zip(gate.sentences, gate.parsed) if not parse]
    shift, k = [], 0
    for sent in sentences(doc):
        while k < len(skipped) and skipped[k] < sent.start_char:
            k += 1
        shift.append(k)
    seen: set[int] = set()

    def walk(obj) -> None:
        if isinstance(obj, list):
            for item in obj:
                walk(item)
        elif is_dataclass(obj) and not isinstance(obj, type) and id(obj) not in seen:
            seen.add(id(obj))  # objects are shared (a place in the article's list and in an event): move once
            n = getattr(obj, "sentence", None)
            if isinstance(n, int) and 0 <= n < len(shift):
                obj.sentence = n + shift[n]
            for f in fields(obj):
                if f.name != "article":
                    walk(getattr(obj, f.name))

    walk([result.events, result.control, result.places, result.actors])
