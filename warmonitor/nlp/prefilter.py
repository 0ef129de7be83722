"""A cheap test run before parsing: does the text contain any word that could start a trigger?

Parsing is the costly step; most of a general news feed has no conflict vocabulary at all."""
from __future__ import annotations

import re
from collections.abc import Iterable

# Past forms the lemma prefixes below don't cover.
IRREGULAR = ("fought", "took", "taken", "shot", "struck", "fell", "drove", "driven", "blew", "withdrew", "withdrawn",
             "overran", "hit", "dead", "seiz", "bomb", "mortar", "shell", "sarin", "ied", "kidnap", "riot",
             # control statements are kept too
             "control", "held", "hold", "besieg", "occup")


def build_prefilter(first_words: Iterable[str]) -> re.Pattern[str]:
    stems = set(IRREGULAR)
    for w in first_words:
        stems.add(w if len(w) <= 4 else w[: max(4, len(w) - 2)])
    alternatives = "|".join(sorted((re.escape(s) for s in stems), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)


def might_report_conflict(text: str, prefilter: re.Pattern[str]) -> bool:
    return prefilter.search(text) is not None
