"""Language identification, so that a non-English story is skipped instead of mis-coded."""
from __future__ import annotations

import re
from importlib import resources

# Below this many letters the identifier is little better than a coin toss.
MIN_LETTERS = 40
# The opening of a story shows its language; classifying megabytes of JSONL in full would be slow.
SAMPLE_CHARS = 5000
# Plain English is told by its function words alone; only other text needs the identifier, whose model
# costs about 80 MB of memory once loaded.
# (one word in ten; text in other languages scores near zero, English news 0.07-0.3, whole stories 0.12 and up)
ENGLISH_SHARE = 0.1
MIN_FUNCTION_WORDS = 3
OPENING_WORDS = 300


def _read_words(name: str) -> frozenset[str]:
    text = (resources.files("warmonitor") / "data" / "lexicon" / name).read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


ENGLISH_FUNCTION_WORDS = _read_words("english_function_words.txt")


def plainly_english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text[:SAMPLE_CHARS].lower())[:OPENING_WORDS]
    hits = sum(w in ENGLISH_FUNCTION_WORDS for w in words)
    return hits >= max(MIN_FUNCTION_WORDS, ENGLISH_SHARE * len(words))


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to judge."""
    text = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    if plainly_english(text):
        return "en"
    import py3langid  # loaded only for text that is not plainly English

    # py3langid caches its model inside the library after the first call (about half a second).
    lang, _score = py3langid.classify(text)
    return lang
