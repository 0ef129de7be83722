"""Datelines: the "BEIRUT (Reuters) -" that opens a wire story, naming where it was filed and by whom."""
from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_UPPER_WORD = r"[A-Z][A-Z'’.\-]+"
_TITLE_WORD = r"[A-Z][a-z'’\-]+"
_ANY_WORD = r"[A-Z][A-Za-z'’.\-]+"
_DATELINE = re.compile(
    rf"""[ \t]*
    (?P<place>{_UPPER_WORD}(?:[ \t]+{_UPPER_WORD}){{0,3}}|{_TITLE_WORD}(?:[ \t]+{_TITLE_WORD}){{0,2}})
    (?:,[ \t]*(?P<region>{_ANY_WORD}(?:[ \t]+{_ANY_WORD}){{0,2}}))?
    (?:,[ \t]*(?P<when>{_MONTH}[ \t]+\d{{1,2}}|\d{{1,2}}[ \t]+{_MONTH})(?:,?[ \t]+\d{{4}})?)?
    (?:[ \t]*\((?P<agency>[A-Za-z][A-Za-z .&'’/\-]{{0,40}})\))?
    (?P<sep>[ \t]*(?:--|[–—])[ \t]*|[ \t]+-[ \t]*|[ \t]*-[ \t]+|:[ \t]+)
    (?=\S)""",
    re.VERBOSE,
)
_MONTH_ONLY = re.compile(rf"^{_MONTH}$")
# Short all-capital agency names are acronyms (AP, AFP, DPA, SANA); longer ones are words (REUTERS).
_ACRONYM_MAX = 4


@dataclass
class Dateline:
    place: str  # as written, with its region if one follows ("KABUL, Afghanistan")
    agency: str | None
    end: int  # offset where the story proper begins


def normalise_agency(name: str) -> str:
    """"REUTERS" -> "Reuters", "AFP" stays "AFP", mixed case is kept as written."""
    name = " ".join(name.split())
    if name.isupper() and len(name.replace(" ", "")) > _ACRONYM_MAX:
        return name.title()
    return name


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline at the start of `paragraph`, or None.

    Forms: "BEIRUT -", "BEIRUT (Reuters) -", "KABUL, Afghanistan (AP) —",
    "DAMASCUS, March 5 (Reuters) -", "MOGADISHU:". A place in Title Case only counts when an
    agency or a date follows it, since "Officials said: ..." must not read as a dateline.
    """
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    place = m["place"]
    if _MONTH_ONLY.match(place):
        return None
    if not place.isupper() and not (m["agency"] or m["when"]):
        return None
    if m["region"]:
        place = f"{place}, {m['region']}"
    agency = normalise_agency(m["agency"]) if m["agency"] else None
    return Dateline(place=place, agency=agency, end=m.end())
