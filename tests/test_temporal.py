"""Time expressions are resolved against the report's date, with ACLED's time precision."""
from datetime import date

import pytest

from warmonitor.extract.temporal import find_time_expressions, week_of

TUESDAY = date(2018, 3, 20)


def spans(text, published=TUESDAY):
    return [(t.kind, t.span) for t in find_time_expressions(text, published)]


def only(text, published=TUESDAY):
    found = find_time_expressions(text, published)
    assert len(found) == 1, found
    return found[0]


def test_last_week_is_the_previous_sunday_to_saturday_week_coded_on_its_middle():
    t = only("The rebels left the town last week.")
    assert (t.span.start, t.span.end) == (date(2018, 3, 11), date(2018, 3, 17))
    assert t.span.event_date == date(2018, 3, 14)
    assert t.span.precision == 2


def test_yesterday_and_named_weekdays_are_exact_days():
    assert only("Jets struck yesterday.").span.event_date == date(2018, 3, 19)
    assert only("Jets struck on Sunday.").span.event_date == date(2018, 3, 18)
    # the same weekday as the report is the report's own day
    assert only("Jets struck on Tuesday.").span.event_date == TUESDAY
    assert only("Jets struck on Sunday night.").span.precision == 1


def test_absolute_dates_without_a_year_take_the_reports_year_and_never_the_future():
    assert only("Fighting broke out on March 18.").span.event_date == date(2018, 3, 18)
    assert only("Fighting broke out on 18 March.").span.event_date == date(2018, 3, 18)
    # December, read in a March report, is last December
    assert only("The siege began on December 2.", date(2018, 3, 20)).kind == "background"


def test_month_expressions_have_month_precision():
    t = only("Shelling has intensified earlier this month.")
    assert t.span.precision == 3
    assert t.span.start == date(2018, 3, 1)
    last = only("Clashes killed dozens last month.")
    assert (last.span.start, last.span.end) == (date(2018, 2, 1), date(2018, 2, 28))


def test_a_duration_ending_now_spans_the_days_it_covers():
    t = only("In fighting that lasted 24 hours, the militants advanced.")
    assert (t.span.start, t.span.end, t.span.precision) == (date(2018, 3, 19), TUESDAY, 1)


@pytest.mark.parametrize("text", [
    "The camp saw heavy fighting early in the seven-year conflict.",
    "Two offensives last year pushed the group back.",
    "The town has been held by rebels since 2013.",
    "Government troops took the city five years ago.",
])
def test_background_expressions_are_marked_and_carry_no_date(text):
    t = only(text)
    assert t.kind == "background"
    assert t.span is None


def test_this_years_date_is_not_background():
    assert spans("Fighting resumed in 2018.") == []


def test_without_a_report_date_nothing_is_resolved():
    t = only("Jets struck yesterday.", published=None)
    assert t.span is None


def test_weeks_start_on_sunday():
    assert week_of(date(2018, 3, 14)) == (date(2018, 3, 11), date(2018, 3, 17))
    assert week_of(date(2018, 3, 11))[0] == date(2018, 3, 11)
