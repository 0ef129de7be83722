"""Derive alias candidates for the hand-curated actors from the UCDP actor list.

Source: ../shared/data/actors/ucdp-actor-221.csv (UCDP Actor Dataset v22.1, CC BY 4.0).
Output: warmonitor/data/actors/ucdp_alias_candidates.json: for each curated actor that a UCDP
actor row matches (by any shared name or alias), the UCDP names and former names that the
curated file does not list yet. It is a review aid for curators: the resolver does not load it,
and ``actors.json`` (edited by hand) stays the only source of aliases.

Also prints how many side names of UCDP GED Syria (../shared/data/actors/ged_syria_actor_names.csv)
the curated knowledge base resolves, weighted by their event counts, as a coverage check.

Run: .venv/bin/python scripts/build_actors.py [--shared PATH]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from warmonitor.resolve.actor_kb import DATA_DIR, ActorKB, alias_key

NAME_COLUMNS = ("NameData", "NameOrig", "NameOrigFull", "NameOrigFullEng")
LIST_COLUMNS = ("NewName", "NewNameFullMotherTongue", "NewNameFullEng")  # comma-separated name history


def ucdp_names(row: dict[str, str]) -> list[str]:
    names = [row[c] for c in NAME_COLUMNS]
    for c in LIST_COLUMNS:
        names += row[c].split(", ")
    cleaned = [" ".join(n.replace("\u2019", "'").split()) for n in names]
    return list(dict.fromkeys(n for n in cleaned if n and n.lower() != "n/a"))


def derive(kb: ActorKB, ucdp_csv: Path) -> dict[str, dict]:
    keys_of = {rec.name: {alias_key(a) for a in (rec.name, *rec.aliases)} for rec in kb.records()}
    out: dict[str, dict] = {}
    with ucdp_csv.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            names = ucdp_names(row)
            row_keys = {alias_key(n) for n in names}
            for rec_name, keys in keys_of.items():
                if not keys & row_keys:
                    continue
                new = [n for n in names if alias_key(n) not in keys]
                entry = out.setdefault(rec_name, {"ucdp_actor_ids": [], "candidates": []})
                entry["ucdp_actor_ids"].append(int(row["ActorId"]))
                entry["candidates"] = list(dict.fromkeys(entry["candidates"] + new))
    return dict(sorted(out.items()))


def ged_coverage(kb: ActorKB, ged_csv: Path) -> tuple[int, int, list[str]]:
    resolved = total = 0
    missing = []
    with ged_csv.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            n = int(row["n_event_sides"])
            total += n
            if kb.lookup(row["ged_actor_name"]) is not None:
                resolved += n
            else:
                missing.append(row["ged_actor_name"])
    return resolved, total, missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = ap.parse_args()
    src = args.shared / "data" / "actors"
    ucdp_csv = src / "ucdp-actor-221.csv"
    if not ucdp_csv.exists():
        print(f"build_actors: source not found: {ucdp_csv}", file=sys.stderr)
        return 1
    kb = ActorKB.load()
    derived = derive(kb, ucdp_csv)
    doc = {
        "about": "Alias candidates from the UCDP Actor Dataset v22.1 (CC BY 4.0) for curated actors; "
                 "not loaded by the resolver. Built by scripts/build_actors.py.",
        "actors": derived,
    }
    target = DATA_DIR / "ucdp_alias_candidates.json"
    target.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(derived)} curated actors matched UCDP rows)")
    ged_csv = src / "ged_syria_actor_names.csv"
    if ged_csv.exists():
        resolved, total, missing = ged_coverage(kb, ged_csv)
        print(f"GED Syria side names resolved: {resolved}/{total} event sides "
              f"({100 * resolved / max(total, 1):.1f}%); unresolved: {', '.join(missing[:15])}, ...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
