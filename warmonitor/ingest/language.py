"""Language identification, so that a non-English story is skipped instead of mis-coded."""
from __future__ import annotations

import py3langid

# Below this many letters the identifier is little better than a coin toss.
MIN_LETTERS = 40
# The opening of a story shows its language; classifying megabytes of JSONL in full would be slow.
SAMPLE_CHARS = 5000


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to judge."""
    text = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    # py3langid caches its model inside the library after the first call (about half a second).
    lang, _score = py3langid.classify(text)
    return lang
