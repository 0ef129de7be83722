"""`warmonitor actors list|show|explain` (the actor knowledge base, and why a mention resolved as it did)
and `warmonitor eval actors` (scoring actor resolution)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ACTORS_EPILOG = """examples:
  warmonitor actors list --country Syria --kind armed
  warmonitor actors show Daesh
  warmonitor actors show "Nusra Front" --year 2018
  warmonitor actors explain "Islamic State fighters stormed the town. The jihadists killed 12 soldiers."
  warmonitor actors explain --file report.txt --date 2018-03-20 --actors my_actors.json
  warmonitor eval actors evaluation/actors_dev.jsonl --errors
"""
BUNDLED = "bundled actors.json"


def _actor_files_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actors", action="append", type=Path, default=[], metavar="FILE",
                        help="extra actors file (same format as the bundled actors.json); may repeat")


def add_commands(sub, ev_sub) -> None:
    from warmonitor.cli import _date
    from warmonitor.resolve.actor_kb import KINDS

    act = sub.add_parser("actors", help="list, look up and explain actors",
                         description="The actor knowledge base: which names map to an actor, and why a "
                                     "mention in a text resolved as it did.",
                         epilog=ACTORS_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    act.set_defaults(help_of=act)
    act_sub = act.add_subparsers(dest="actors_command", metavar="ACTION")

    ls = act_sub.add_parser("list", help="one line per actor: name, inter, kind, countries, aliases",
                            description="One line per named actor (sorted by name), then the generic "
                                        "templates (\"Military Forces of {country}\").")
    ls.add_argument("--country", metavar="C", help="only actors operating in this country (English short name)")
    ls.add_argument("--kind", choices=KINDS, help="only actors of this kind")
    _actor_files_option(ls)
    ls.set_defaults(run=run_list)

    show = act_sub.add_parser("show", help="everything known about one actor, by any of its names",
                              description="Look up NAME (canonical name, alias, abbreviation, descriptor "
                                          "phrase or a generic name like \"Military Forces of Nigeria\") and "
                                          "print the actor it resolves to; when several actors share the name, "
                                          "list them and say which one wins and why.")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--year", type=int, metavar="Y", help="resolve as of this year (follows name changes)")
    show.add_argument("--country", metavar="C", help="resolve as in a story about this country")
    _actor_files_option(show)
    show.set_defaults(run=run_show)

    exp = act_sub.add_parser("explain", help="every actor mention of a text, and why it resolved as it did",
                             description="Run the pipeline on TEXT (or - for standard input) or on --file "
                                         "PATH and print each actor mention in text order with the reason for "
                                         "its actor, then each event's actors and their evidence.")
    exp.add_argument("text", nargs="?", metavar="TEXT", help="the text itself, or - for standard input")
    exp.add_argument("--file", type=Path, metavar="PATH", help="read the article from this file instead")
    exp.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                     help="publication date (name changes and relative dates are resolved against it)")
    _actor_files_option(exp)
    exp.set_defaults(run=run_explain)

    ev = ev_sub.add_parser("actors", help="actor resolution on labelled mentions",
                           description="Score actor recognition and resolution against a labelled file; "
                                       "with --re3d, also the recall of re3d's armed organisations.")
    ev.add_argument("file", type=Path, help="labelled file")
    ev.add_argument("--errors", action="store_true", help="list every miss and wrong actor")
    _actor_files_option(ev)
    ev.add_argument("--re3d", type=Path, metavar="DIR", help="also measure recall on the re3d corpus in DIR")
    ev.add_argument("--re3d-expected", type=Path, metavar="TSV",
                    help="armed organisations expected in re3d (default evaluation/re3d_armed_orgs.tsv)")
    ev.set_defaults(run=run_eval_actors)


# -- shared helpers --------------------------------------------------------------------------------
def _load_kb(actor_files: list[Path]):
    """The knowledge base with the user's files, or one line saying what is wrong with them."""
    from warmonitor.cli import _check_actor_files

    return _check_actor_files(actor_files)


def _sources(actor_files: list[Path]) -> dict[str, str]:
    """Which user file each actor name comes from (the last file naming it wins, as in ActorKB)."""
    out: dict[str, str] = {}
    for path in actor_files:  # already checked by _load_kb: readable JSON in the documented format
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("actors") if isinstance(data, dict) else data:
            out[entry["name"].strip()] = str(path)
    return out


def _known_country(kb, country: str | None) -> str | None:
    """The knowledge base's spelling of a country name, or a one-line usage error."""
    from warmonitor.errors import EXIT_USAGE, UserError

    if country is None:
        return None
    match = next((c for c in kb.countries if c.casefold() == country.casefold()), None)
    if match is None:
        raise UserError(f"unknown country {country!r} (use an English short name, e.g. Syria)", EXIT_USAGE)
    return match


# -- list ------------------------------------------------------------------------------------------
def run_list(args: argparse.Namespace) -> int:
    kb = _load_kb(args.actors)
    country = _known_country(kb, args.country)
    records = sorted((r for r in kb.records()
                      if (country is None or country in r.countries) and (args.kind in (None, r.kind))),
                     key=lambda r: r.name.casefold())
    templates = [(t.name_for(country) if country else t.template, t) for t in kb.templates
                 if args.kind in (None, t.kind)]
    width = max((len(name) for name in [*(r.name for r in records), *(n for n, _ in templates)]), default=0)
    for r in records:
        aliases = len({a for a in r.aliases if a != r.name})
        print(f"{r.name:<{width}}  inter {r.inter if r.inter is not None else '-'}  {r.kind:<9}  "
              f"{', '.join(r.countries) or '-'}  ({aliases} alias{'es' if aliases != 1 else ''})")
    for name, t in templates:
        print(f"{name:<{width}}  inter {t.inter}  {t.kind:<9}  generic template ({len(t.words)} agent words)")
    return 0


# -- show ------------------------------------------------------------------------------------------
def run_show(args: argparse.Namespace) -> int:
    from warmonitor.cli import _warn
    from warmonitor.errors import EXIT_NOTHING_READ

    kb = _load_kb(args.actors)
    country = _known_country(kb, args.country)
    lines = show_lines(kb, args.name, args.year, country, _sources(args.actors))
    if lines is None:
        _warn(f"no actor known as {args.name!r}")
        return EXIT_NOTHING_READ
    print("\n".join(lines))
    return 0


def show_lines(kb, name: str, year: int | None, country: str | None,
               sources: dict[str, str]) -> list[str] | None:
    """What `actors show` prints, or None when no actor has that name."""
    from warmonitor.resolve.actor_explain import candidates, chain_text, choice_reason
    from warmonitor.resolve.actor_kb import alias_key

    text = " ".join(name.split())
    template = next((t for t in kb.templates if t.template == text), None)
    if template is not None:
        return _template_lines(template)
    if text.lower().startswith("the "):
        text = text[4:]
    # The same order as ActorKB.lookup_record: as written, then folded, then descriptor phrases.
    names = kb.candidates(text, True) or kb.candidates(text, False)
    how = "name"
    if not names:
        names, how = kb.descriptor_candidates(text), "descriptor"
    if not names:
        rec = kb.record(text)  # a name made from a generic template
        if rec is None:
            return None
        t = next(t for t in kb.templates if t.country_of(rec.name) is not False)
        return _record_lines(kb, rec, sources) + [f"generic:      made from the template {t.template!r}"]
    rec = kb.choose(names, year, country)
    lines = []
    cands = candidates(kb, names, year, country)
    if len(cands) > 1:
        lines.append(f"{name!r} is a {how} of {len(cands)} actors:")
        for c in cands:
            facts = [f"years {_years(kb.record(c.name))}", f"countries {', '.join(c.resolved.countries) or '-'}"]
            if c.name in sources:
                facts.append(f"from {sources[c.name]}")
            followed = f" -> {c.resolved.name}" if c.resolved.name != c.name else ""
            lines.append(f"  {c.name}{followed} ({'; '.join(facts)})")
        context = ", ".join(x for x in (f"year {year}" if year else "", country or "") if x) or "no year or country"
        lines.append(f"for {context}: {rec.name} ({choice_reason(kb, names, year, country)})")
        lines.append("")
    elif rec.name != names[0]:
        chain = cands[0].chain if cands else (names[0], rec.name)
        lines.append(f"{name!r}: {chain_text(kb, chain, year)}")
        lines.append("")
    elif how == "descriptor" or alias_key(text) != alias_key(rec.name):
        lines.append(f"{name!r} is {'a name' if how == 'name' else 'a descriptor phrase'} of {rec.name}")
        lines.append("")
    return lines + _record_lines(kb, rec, sources)


def _years(rec) -> str:
    from warmonitor.resolve.actor_explain import years_text

    return years_text(rec) if rec is not None else "any"


def _record_lines(kb, rec, sources: dict[str, str]) -> list[str]:
    from warmonitor.resolve.actor_explain import inter_label
    from warmonitor.resolve.actor_kb import is_case_sensitive

    predecessors = [r.name for r in kb.records() if r.successor == rec.name]
    aliases = [f"{a} (case-sensitive)" if is_case_sensitive(a, rec) else a
               for a in dict.fromkeys(rec.aliases) if a != rec.name]
    rows = [
        ("name", rec.name), ("kind", rec.kind), ("inter", inter_label(rec.inter)),
        ("countries", ", ".join(rec.countries) or "-"), ("parent", rec.parent or "-"),
        ("years", _years(rec)), ("successor", rec.successor or "-"),
        ("predecessors", ", ".join(predecessors) or "-"), ("aliases", "; ".join(aliases) or "-"),
        ("descriptors", "; ".join(rec.descriptors) or "-"), ("tags", ", ".join(rec.tags) or "-"),
    ]
    if rec.name in sources:
        rows.append(("source", sources[rec.name]))
    elif rec.name in {r.name for r in kb.records()}:
        rows.append(("source", BUNDLED))
    return [f"{label + ':':<13} {value}" for label, value in rows]


def _template_lines(t) -> list[str]:
    from warmonitor.resolve.actor_explain import inter_label

    return [f"{'template:':<13} {t.template}", f"{'kind:':<13} {t.kind}", f"{'inter:':<13} {inter_label(t.inter)}",
            f"{'agent words:':<13} {'; '.join(t.words)}",
            f"{'needs nation:':<13} {'; '.join(sorted(t.needs_nationality)) or '-'}"]


# -- explain ---------------------------------------------------------------------------------------
def _articles_to_explain(args: argparse.Namespace):
    from warmonitor.cli import _problem_line, _warn
    from warmonitor.errors import EXIT_USAGE, UserError
    from warmonitor.ingest import ReadProblem, read_articles
    from warmonitor.model import Article

    if (args.text is None) == (args.file is None):
        raise UserError("give either TEXT or --file PATH", EXIT_USAGE)
    if args.text is not None and args.text != "-":
        if not args.text.strip():
            raise UserError("the text is empty", EXIT_USAGE)
        return [Article(id="text", text=args.text, published=args.date, origin="argument")]
    articles, problems = [], []
    for item in read_articles([str(args.file) if args.file is not None else "-"], date=args.date):
        (problems if isinstance(item, ReadProblem) else articles).append(item)
    if not articles:
        first = problems[0] if problems else None
        raise UserError(_problem_line(first.origin, first.message) if first else "no article could be read")
    for p in problems:
        _warn(f"error: {_problem_line(p.origin, p.message)}")
    return articles


def run_explain(args: argparse.Namespace) -> int:
    from warmonitor.cli import _load_pipeline

    articles = _articles_to_explain(args)  # read before the models load
    pipeline = _load_pipeline(args.actors)
    for n, article in enumerate(articles):
        if len(articles) > 1:  # a JSONL file or a directory: one block per article
            print(("\n" if n else "") + f"== {article.id} ==")
        print("\n".join(explain_article(pipeline, article)))
    return 0


def explain_article(pipeline, article) -> list[str]:
    """The lines `actors explain` prints for one article."""
    from warmonitor.resolve.actor_explain import explain_mentions

    # The focus country is what the pipeline passes to the actor resolver; it is not in the result.
    doc = pipeline.nlp(article.text)
    geo = pipeline.places.resolve(doc, article)
    focus = geo.focus.country if geo.focus is not None else None
    year = article.published.year if article.published else None
    result = pipeline.process(article)
    mentions = result.actors
    lines = [f"year: {year if year else 'unknown (give --date to apply name changes)'}; "
             f"focus country: {focus or 'none'}"]
    if result.skipped:
        lines.append(f"no events: {result.skipped}")
        if not mentions:  # the mentions are still worth explaining: find them as the pipeline would
            try:
                mentions = pipeline.actors.find(doc, article, country=focus)
            except Exception as exc:  # reported like the pipeline reports it, never as a traceback
                lines.append(f"actor mentions could not be found ({type(exc).__name__}: {exc})")
    lines.append(f"{len(mentions)} actor mention(s):")
    lines += ["  " + line for line in explain_mentions(pipeline.actor_kb, mentions, year, focus)]
    lines.append(f"{len(result.events)} event(s):")
    for i, e in enumerate(result.events, start=1):
        lines.append(f"  event {i}: {e.event_type} / {e.sub_event_type}")
        for label, value in (("actor1", e.actor1), ("assoc_actor_1", e.assoc_actor_1), ("actor2", e.actor2),
                             ("assoc_actor_2", e.assoc_actor_2), ("interaction", e.interaction),
                             ("civilian_targeting", e.civilian_targeting)):
            line = f"    {label}: {value if value is not None else '-'}"
            for ev in e.evidence:
                if ev.field == label:
                    line += f"  <- [{ev.start}:{ev.end}] sentence {ev.sentence + 1} '{ev.text}'"
            lines.append(line)
        for c in e.claims:
            lines.append(f"    claimed by: {c.actor or c.claimant} ({c.verb})")
    return lines


# -- eval actors -----------------------------------------------------------------------------------
def default_re3d_expected() -> Path:
    import warmonitor

    return Path(warmonitor.__file__).resolve().parents[1] / "evaluation" / "re3d_armed_orgs.tsv"


def run_eval_actors(args: argparse.Namespace) -> int:
    from warmonitor import evaluate_actors  # imported here: the command line loads without it
    from warmonitor.cli import _check_actor_files, _check_input
    from warmonitor.errors import EXIT_USAGE, UserError
    from warmonitor.pipeline import Pipeline

    _check_input(args.file)
    actor_kb = _check_actor_files(args.actors)
    expected = None
    if args.re3d is not None:
        expected = args.re3d_expected or default_re3d_expected()
        if not args.re3d.is_dir():
            raise UserError(f"no such directory: {args.re3d}", EXIT_USAGE)
        if not expected.is_file():
            raise UserError(f"expected re3d organisations not found: {expected} (give --re3d-expected TSV)",
                            EXIT_USAGE)
    elif args.re3d_expected is not None:
        raise UserError("--re3d-expected needs --re3d DIR", EXIT_USAGE)
    # evaluate() checks its file before loading the models; with re3d too, they are loaded once for both
    pipeline = Pipeline.load(actor_kb=actor_kb) if expected is not None else None
    print(evaluate_actors.evaluate(args.file, args.actors, pipeline=pipeline).text(args.errors))
    if expected is not None:
        sys.stdout.flush()
        print(evaluate_actors.re3d_recall(args.re3d, expected, args.actors, pipeline=pipeline).text(args.errors))
    return 0
