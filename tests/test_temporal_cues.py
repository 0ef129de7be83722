"""Each time pattern is tried only where one of its cue words is (extract/temporal.py): a cue must be in every
text the pattern matches, or a time expression would be missed."""
import re

import pytest

from warmonitor.extract.temporal import _PATTERNS, _cue_text, _may_match, find_time_expressions

EXAMPLES = [
    "Later in the long civil war the town fell.", "He was jailed last year and for decades before.",
    "Two decades ago rebels took it; since 2011 and during 1990 too.", "between 2011 and 2014, three years since",
    "in the 1990s, in the early days, since the beginning of the war", "Two days later, the next morning",
    "a day after the raid, the day before", "Later that day and hours later", "fighting that lasted 24 hours",
    "over the past two days", "a 48-hour truce", "On March 3, 2017 and 3rd of Sept. 2016", "in May 2016, mid-June",
    "earlier this week, last weekend, this month", "in the past few days", "three days ago",
    "on Monday night, late Friday", "yesterday, tonight, this afternoon, last night, overnight, on the day",
    "LAST WEEK, ON TUESDAY MORNING, THREE DAYS AGO", "Hours Later On Sunday",
]


@pytest.mark.parametrize("kind,pattern,cue", _PATTERNS)
def test_every_match_holds_a_cue(kind, pattern, cue):
    rx = re.compile(pattern, re.IGNORECASE)
    matched = [m.group(0) for text in EXAMPLES for m in rx.finditer(text)]
    assert matched, "no example exercises this pattern"
    for text in matched:
        assert _may_match(cue, _cue_text(text)), text


def test_a_text_with_a_letter_lower_cannot_fold_is_read_whole():
    # the long s is an "s" to re.IGNORECASE, but "\u017f".lower() stays itself: the cue "days" would be missed
    assert _cue_text("in the past few day\u017f") is None
    assert [t.text for t in find_time_expressions("in the past few day\u017f", None)] == ["in the past few day\u017f"]
