"""The article-to-events pipeline: models and indexes loaded once, then any number of articles."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from warmonitor.extract.control import control_statements
from warmonitor.extract.clusters import MentionClusterer
from warmonitor.extract.events import EventCoder, report_window
from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.mentions import read_mentions, sentence_contexts
from warmonitor.extract.roles import CIVILIANS, ActorIndex
from warmonitor.extract.syntax import sentences
from warmonitor.extract.triggers import TriggerMatcher
from warmonitor.ingest.boilerplate import story_end
from warmonitor.model import ActorMention, Article, ControlStatement, Event, PlaceMention
from warmonitor.nlp import load_nlp
from warmonitor.nlp.prefilter import build_prefilter, might_report_conflict
from warmonitor.resolve.actors import ActorKB, ActorResolver
from warmonitor.resolve.victim_groups import VictimGroups
from warmonitor.resolve.modifiers import ModifierActors
from warmonitor.resolve.places import Gazetteer, PlaceResolver


@dataclass
class ArticleResult:
    article: Article
    events: list[Event] = field(default_factory=list)
    control: list[ControlStatement] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    rejected: list[tuple[str, int, str]] = field(default_factory=list)  # trigger, offset, why it is no event
    skipped: str | None = None  # why the article was not parsed at all


class Pipeline:
    def __init__(self, nlp: Language, lexicon: Lexicon, places: PlaceResolver, actors: ActorResolver,
                 actor_kb: ActorKB, victims: VictimGroups | None = None):
        self.nlp = nlp
        self.victims = victims or VictimGroups.load()
        self.lexicon = lexicon
        self.places = places
        self.actors = actors
        self.actor_kb = actor_kb
        self.matcher = TriggerMatcher(lexicon)
        self.prefilter = build_prefilter(self.matcher.first_words)

    @classmethod
    def load(cls, actor_files: Sequence[Path] = (), actor_kb: ActorKB | None = None) -> "Pipeline":
        """The models and indexes; `actor_kb` if the caller has already loaded it (with the same files)."""
        kb = actor_kb or ActorKB.load(extra_files=actor_files)
        return cls(load_nlp(), Lexicon.load(), PlaceResolver(Gazetteer.load()), ActorResolver(kb), kb)

    def process(self, article: Article) -> ArticleResult:
        return next(self.process_many([article]))

    def process_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[ArticleResult]:
        """Results in input order. Articles without any conflict vocabulary are not parsed."""
        def texts():
            for a in articles:
                if might_report_conflict(a.text, self.prefilter) or might_report_conflict(a.title or "", self.prefilter):
                    yield a.text, (a, True)
                else:
                    yield "", (a, False)

        for doc, (article, parse) in self.nlp.pipe(texts(), as_tuples=True, batch_size=batch_size):
            if not parse:
                yield ArticleResult(article, skipped="no conflict vocabulary")
                continue
            try:
                yield self._extract(doc, article)
            except Exception as exc:  # one bad article must not stop a batch; it is reported, not lost
                yield ArticleResult(article, skipped=f"could not be coded ({type(exc).__name__}: {exc})")

    def _extract(self, doc, article: Article) -> ArticleResult:
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
        title_types = self._title_types(article.title)
        events = coder.code(article, clusters, title_types, geo.focus,
                            [p for p in geo.event_places() if p.start < end],
                            self.actor_kb.country_actor, [cl for ctx in contexts for cl in ctx.claims], actor_mentions)
        control = []
        for i, sent in enumerate(sentences(doc)):
            if sent.start_char >= end:
                break
            control += control_statements(sent, i, index, contexts[i].places, article.published, self.lexicon,
                                          article.id)
        return ArticleResult(
            article=article, events=events, control=control, places=geo.mentions, actors=actor_mentions,
            rejected=[(h.anchor.text, h.anchor.idx, why) for h, why in rejected],
        )

    def _title_types(self, title: str | None) -> set[str]:
        """Sub-event types the headline names; a headline's 'takes' may be either side's gain."""
        if not title:
            return set()
        types = set()
        hits = self.matcher.find(self.nlp(title))
        strong = [h for h in hits if not h.entry.weak]
        for hit in strong or hits:  # "Roadside bomb kills two": the bomb says more than "kills"
            types.add(hit.entry.nominal_type)
            if hit.entry.rule == "territory_gain":
                types.add("Government regains territory")
            if hit.entry.rule == "violence":
                types.add("Attack")
        return types
