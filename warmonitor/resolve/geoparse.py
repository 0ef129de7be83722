"""Geoparsing: every toponym of an article, with where it lies, as plain JSON-ready dicts.

This is the place resolver on its own, without event coding: every article is parsed (there is no conflict
pre-filter here), and every place mention is reported, whatever its role (dateline, observer's base, context).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language

from warmonitor.model import Article, PlaceMention
from warmonitor.resolve.places import Gazetteer, PlaceResolver

__all__ = ["PLACE_KEYS", "Geoparser"]

# The keys of each place in the output, in output order.
PLACE_KEYS = ("start", "end", "text", "name", "latitude", "longitude", "country", "iso2", "admin1", "admin2",
              "feature", "geo_precision", "geonameid", "source", "source_id", "role")


class Geoparser:
    """spaCy and the gazetteer, loaded once; then any number of articles."""

    def __init__(self, nlp: Language, resolver: PlaceResolver):
        self.nlp = nlp
        self.resolver = resolver

    @classmethod
    def load(cls) -> "Geoparser":
        from warmonitor.nlp import load_nlp

        return cls(load_nlp(), PlaceResolver(Gazetteer.load()))

    def parse(self, article: Article) -> dict[str, Any]:
        return next(self.parse_many([article]))

    def parse_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[dict[str, Any]]:
        """One dict per article, in input order: {"article_id", "places"}; an article whose parse failed gets
        "places": [] and an "error" saying why, so one bad article never stops a batch."""
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            try:
                if doc.text != article.text:  # offsets are into Article.text: they must be the doc's
                    raise ValueError("the parsed text differs from the article text")
                places = [self.place_dict(m) for m in self.resolver.resolve(doc, article).mentions]
            except Exception as exc:  # reported with the article, not raised: the batch goes on
                yield {"article_id": article.id, "places": [], "error": f"{type(exc).__name__}: {exc}"}
                continue
            places.sort(key=lambda p: (p["start"], p["end"]))
            yield {"article_id": article.id, "places": places}

    def place_dict(self, mention: PlaceMention) -> dict[str, Any]:
        out = dict.fromkeys(PLACE_KEYS)
        out.update(start=mention.start, end=mention.end, text=mention.text, role=mention.role)
        place = mention.place
        if place is None:  # nothing in the gazetteer fits: no name, no coordinates
            return out
        lat, lon = place.latitude, place.longitude
        if lat is None and place.feature == "country":
            # Events never get a country's point (it would look like a located event); a geoparser reports it.
            rec = self.resolver.gaz.by_id(place.source_id)
            if rec is not None and rec.lat is not None and rec.lon is not None:
                lat, lon = rec.lat, rec.lon
        out.update(name=place.name, latitude=lat, longitude=lon, country=place.country, iso2=place.iso2,
                   admin1=place.admin1, admin2=place.admin2, feature=place.feature,
                   geo_precision=place.geo_precision, geonameid=place.geonameid, source=place.source,
                   source_id=place.source_id)
        return out
