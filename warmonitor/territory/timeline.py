"""Who held which place, and when: a per-place timeline from transfer events and control statements.

Two kinds of evidence make it:
- events of the three transfer sub-event types: actor1 gains the place, actor2 loses it, on the first day the
  report allows (the start of "last week");
- statements of control ("It now controls only the small pocket in Qadam"): a present one confirms a period or
  opens one "since at least" its date; a past one with no date ("rebels that had held part of Qadam for years")
  opens a period of unknown start that the later transfer ends.

Places are keyed by name, admin1 and country, so "Al Qadam" in Damascus is one place however many reports name
it. A part of a place ("a small district in Damascus") gives a `partial` period, and two actors can hold parts of
one place at once. Two actors each said to hold the whole place on the same day are both kept, as `contested`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from warmonitor.model import ControlPeriod, ControlStatement, Event, Place

TRANSFER_TYPES = frozenset({
    "Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory",
})

# statuses that say an actor holds (some of) the place; `besieged` and `contested` lie over them
HOLDING = ("controls", "partial")

PlaceKey = tuple[str, str, str]


def place_key(place: Place) -> PlaceKey:
    return (place.name.casefold(), (place.admin1 or "").casefold(), (place.country or "").casefold())


@dataclass
class _Observation:
    """One piece of evidence about a place, in the form the timeline folds in."""

    kind: str  # gain (an event), holds (a dated statement), held (a past statement with no date)
    day: date | None
    place: Place
    actor: str | None
    status: str  # controls, partial, contested, besieged
    evidence: dict
    loser: str | None = None  # for a gain: who lost the place


def observe_statement(statement: ControlStatement) -> _Observation | None:
    if statement.place is None or not statement.place.name:
        return None
    part = any(e.field == "part" for e in statement.evidence)
    status = {"controls": "partial" if part else "controls", "held": "partial" if part else "controls",
              "besieges": "besieged", "besieged": "besieged", "contested": "contested"}.get(statement.status)
    if status is None or (status != "contested" and not statement.actor):
        return None
    sentence = next((e.text for e in statement.evidence if e.field == "sentence"), None)
    text = sentence.strip() if sentence else " … ".join(e.text for e in statement.evidence)
    evidence = {"article_id": statement.article_id, "kind": "statement", "text": text,
                "date": statement.as_of.isoformat() if statement.as_of else None}
    # a past statement ("had held"), or one from an undated report, says nothing of when
    kind = "held" if statement.status == "held" or statement.as_of is None else "holds"
    if kind == "held" and status not in HOLDING:
        return None
    return _Observation(kind, statement.as_of if kind == "holds" else None, statement.place, statement.actor,
                        status, evidence)


def observe_event(event: Event) -> _Observation | None:
    day = event.event_date_start or event.event_date
    if event.sub_event_type not in TRANSFER_TYPES or not event.location or not event.actor1 or day is None:
        return None
    place = Place(name=event.location, country=event.country, iso=event.iso, admin1=event.admin1,
                  admin2=event.admin2, admin3=event.admin3, latitude=event.latitude, longitude=event.longitude,
                  geo_precision=event.geo_precision)
    text = event.notes or next((e.text for e in event.evidence if e.field == "event_type"), "")
    evidence = {"article_id": event.article_id, "kind": "event", "text": text.strip(),
                "sub_event_type": event.sub_event_type, "event_id": event.event_id, "date": day.isoformat()}
    return _Observation("gain", day, place, event.actor1, "controls", evidence, loser=event.actor2)


def build_timeline(statements: Iterable[ControlStatement], events: Iterable[Event]) -> list[ControlPeriod]:
    """Every place's periods of control, ordered by place (country, admin1, name) and then by start."""
    by_place: dict[PlaceKey, list[_Observation]] = {}
    for obs in [*map(observe_statement, statements), *map(observe_event, events)]:
        if obs is not None:
            by_place.setdefault(place_key(obs.place), []).append(obs)
    periods: list[ControlPeriod] = []
    for key in sorted(by_place, key=lambda k: (k[2], k[1], k[0])):
        periods += _place_timeline(by_place[key])
    return periods


def control_on(periods: Iterable[ControlPeriod], day: date, country: str | None = None) -> list[ControlPeriod]:
    """The periods in force on `day` (a period ends the day before its `end`), in one country if given."""
    wanted = country.casefold() if country else None
    return [p for p in periods
            if (p.start is None or p.start <= day) and (p.end is None or day < p.end)
            and (wanted is None or (p.place.country or "").casefold() == wanted)]


def _place_timeline(observations: list[_Observation]) -> list[ControlPeriod]:
    # undated past holdings first: they tell what was there before anything dated happened
    ordered = sorted(observations, key=lambda o: (o.day or date.min, o.kind != "held", o.kind != "gain"))
    place = next((o.place for o in ordered if o.kind != "gain"), ordered[0].place)  # statements know more
    periods: list[ControlPeriod] = []
    for obs in ordered:
        if obs.kind == "held":
            _held(periods, place, obs)
        elif obs.kind == "gain":
            _gain(periods, place, obs)
        else:
            _holds(periods, place, obs)
    return sorted(periods, key=lambda p: (p.start or date.min, p.actor or ""))


def _open(periods: list[ControlPeriod], actor: str | None, statuses: tuple[str, ...]) -> ControlPeriod | None:
    return next((p for p in periods if p.end is None and p.actor == actor and p.status in statuses), None)


def _held(periods: list[ControlPeriod], place: Place, obs: _Observation) -> None:
    same = next((p for p in periods if p.actor == obs.actor and p.start is None), None)
    if same is not None:
        same.evidence.append(obs.evidence)
        if obs.status == "partial":
            same.status = "partial"
    else:
        periods.append(ControlPeriod(place, obs.actor, obs.status, None, None, [obs.evidence]))


def _gain(periods: list[ControlPeriod], place: Place, obs: _Observation) -> None:
    day = obs.day
    lost_part = False
    if obs.loser and obs.loser != obs.actor:
        losing = [p for p in periods if p.end is None and p.actor == obs.loser and p.status in HOLDING + ("contested",)]
        if not losing:  # the event is the first word of the loser's holding: it held the place until then
            losing = [ControlPeriod(place, obs.loser, "controls", None, None, [])]
            periods.append(losing[0])
    else:  # who lost it is not said: whoever held it did
        losing = [p for p in periods if p.end is None and p.actor not in (obs.actor, None) and p.status in HOLDING]
    contested = False
    for p in losing:
        lost_part = lost_part or p.status == "partial"
        if p.start is not None and p.start == day and p.status == "controls":
            # two actors said to take the whole place on the same day: keep both, as contested
            p.status, contested = "contested", True
            p.evidence.append(obs.evidence)
        else:
            _close(p, day, obs.evidence)
    for p in periods:  # the fight for the place, or the gainer's siege of it, is over
        if p.end is None and (p.actor is None or (p.actor == obs.actor and p.status == "besieged")):
            _close(p, day, obs.evidence)
    mine = _open(periods, obs.actor, HOLDING + ("contested",))
    if mine is not None:
        mine.evidence.append(obs.evidence)
        return
    others = any(p.end is None and p.actor != obs.actor and p.status in HOLDING for p in periods)
    status = "contested" if contested else "partial" if lost_part or others else "controls"
    periods.append(ControlPeriod(place, obs.actor, status, day, None, [obs.evidence]))


def _holds(periods: list[ControlPeriod], place: Place, obs: _Observation) -> None:
    day = obs.day
    if obs.status in ("contested", "besieged"):  # these lie over whoever holds the place; they close nothing
        mine = _open(periods, obs.actor, (obs.status,))
        if mine is not None:
            mine.evidence.append(obs.evidence)
        else:
            periods.append(ControlPeriod(place, obs.actor, obs.status, day, None, [obs.evidence]))
        return
    mine = _open(periods, obs.actor, HOLDING + ("contested",))
    if mine is None:
        mine = ControlPeriod(place, obs.actor, obs.status, day, None, [])  # held since at least this day
        periods.append(mine)
    mine.evidence.append(obs.evidence)
    if obs.status != "controls":
        return  # a part held says nothing against the holders of the other parts
    for other in periods:
        if other is mine or other.end is not None or other.actor == obs.actor:
            continue
        if other.actor is not None and other.status not in HOLDING + ("contested",):
            continue  # a siege goes on
        if other.actor is not None and _said_on(other, day):
            # two reports give the whole place to two actors on the same day: keep both, as contested
            other.status = mine.status = "contested"
        else:
            _close(other, day, obs.evidence)


def _said_on(period: ControlPeriod, day: date | None) -> bool:
    return day is not None and any(e.get("date") == day.isoformat() for e in period.evidence)


def _close(period: ControlPeriod, day: date | None, evidence: dict) -> None:
    period.end = day
    period.evidence.append(evidence)
