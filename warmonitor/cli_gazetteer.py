"""`warmonitor gazetteer ...`: import GeoNames dumps into the user's gazetteer, list, remove, look names up."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warmonitor.errors import EXIT_USAGE, UserError

IMPORT_EPILOG = """examples:
  warmonitor gazetteer import SY.zip                       every village of Syria (download.geonames.org/export/dump/)
  warmonitor gazetteer import allCountries.zip --country IQ --country YE
  warmonitor gazetteer import alternateNamesV2.zip         more spellings of places already known
  warmonitor gazetteer lookup "Kafr Nabudah" --country SY

Imported files live in DIR/gazetteer/ (DIR: --data-dir, else $WARMONITOR_DATA, else ~/.local/share/warmonitor)
and are used by every command from then on. GeoNames data: CC BY 4.0, credit geonames.org.
"""


def _country(value: str) -> str:
    if len(value) != 2 or not value.isalpha():
        raise argparse.ArgumentTypeError(f"not a two-letter country code: {value!r}")
    return value.upper()


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}")
    return int(value)


def add_commands(sub) -> None:
    gz = sub.add_parser("gazetteer", help="add GeoNames places to the gazetteer; list, remove, look up",
                        description="Extend the bundled gazetteer with GeoNames dump files, so that every "
                                    "village of the countries you watch can be found.",
                        epilog=IMPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    gz.set_defaults(help_of=gz)
    gz_sub = gz.add_subparsers(dest="gazetteer_command", metavar="ACTION")
    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument("--data-dir", type=Path, metavar="DIR",
                          help="where imports live (default $WARMONITOR_DATA, else ~/.local/share/warmonitor)")

    imp = gz_sub.add_parser("import", parents=[data_dir], help="import a GeoNames dump (.zip or .txt)",
                            description="Import a GeoNames place file (XX.zip, allCountries.zip, cities500.zip) "
                                        "or alternate-names file (alternateNamesV2.zip, alternateNames.zip); the "
                                        "layout is read from the file. Re-importing a file replaces it.",
                            epilog=IMPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("file", type=Path, metavar="FILE", help="GeoNames dump, zipped or not")
    imp.add_argument("--country", type=_country, action="append", default=[], metavar="XX",
                     help="keep only this country's places (ISO 3166 two-letter code); may repeat")
    imp.add_argument("--min-population", type=_count, default=0, metavar="N",
                     help="skip populated places with fewer people (default: keep all; admin units and "
                          "regions are always kept)")
    imp.set_defaults(run=run_import)

    ls = gz_sub.add_parser("list", parents=[data_dir], help="list imported files",
                           description="List imported gazetteer files with their number of places.")
    ls.set_defaults(run=run_list)

    rm = gz_sub.add_parser("remove", parents=[data_dir], help="remove an imported file",
                           description="Remove an imported gazetteer file (by the name 'list' shows).")
    rm.add_argument("name", metavar="NAME", help="name of the import, e.g. SY")
    rm.set_defaults(run=run_remove)

    lk = gz_sub.add_parser("lookup", parents=[data_dir], help="show the places a name may mean",
                           description="Print the ranked places a name may mean (bundled and imported), "
                                       "best first: name, feature, country, admin1, lat, lon, geonameid, "
                                       "source.")
    lk.add_argument("name", metavar="NAME", help="place name, e.g. 'Kafr Nabudah' or 'Idlib province'")
    lk.add_argument("--country", metavar="XX", help="favour this country (ISO2 code or name)")
    lk.set_defaults(run=run_lookup)


def _data_dir(args: argparse.Namespace) -> Path:
    from warmonitor.resolve.gazetteer import user_data_dir

    return args.data_dir or user_data_dir()


def _say(message: str) -> None:
    print(f"warmonitor: {message}", file=sys.stderr)


def run_import(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from warmonitor.resolve.geonames_import import import_dump

    with tqdm(unit="B", unit_scale=True, disable=None, file=sys.stderr, leave=False,
              desc=args.file.name) as bar:
        try:
            summary = import_dump(args.file, _data_dir(args), args.country, args.min_population, progress=bar)
        except PermissionError as exc:
            raise UserError(f"cannot write to {exc.filename or _data_dir(args)}: permission denied") from None
    _say(summary.line())
    return 0


def run_list(args: argparse.Namespace) -> int:
    from warmonitor.resolve.gazetteer import imported_gazetteers
    from warmonitor.resolve.geonames_import import count_rows

    files = imported_gazetteers(_data_dir(args))
    for path in files:
        try:
            new, copies = count_rows(path)
        except (OSError, EOFError, UnicodeDecodeError, IndexError) as exc:
            raise UserError(f"cannot read {path}: {exc} (remove it and import again)") from None
        print(f"{path.name.split('.')[0]}\t{new:,} new place(s), {copies:,} known place(s) with new names\t{path}")
    if not files:
        _say(f"no imported gazetteer in {_data_dir(args) / 'gazetteer'}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from warmonitor.resolve.geonames_import import find_import

    path = find_import(_data_dir(args), args.name)
    path.unlink()
    _say(f"removed {path}")
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    from warmonitor.resolve.gazetteer import Gazetteer, GazetteerError, imported_gazetteers

    try:
        gaz = Gazetteer.load(extra=imported_gazetteers(_data_dir(args)))
    except GazetteerError as exc:
        raise UserError(str(exc)) from None
    if args.country and gaz.iso2_of(args.country) is None:
        raise UserError(f"unknown country: {args.country}", EXIT_USAGE)
    places = gaz.lookup(args.name, args.country)
    if not places:
        _say(f"no place named {args.name!r}")
        return 1
    print("name\tfeature\tcountry\tadmin1\tlat\tlon\tgeonameid\tsource")
    for p in places:
        cells = [p.name, p.feature, p.country, p.admin1, p.latitude, p.longitude, p.geonameid, p.source]
        print("\t".join("" if c is None else str(c) for c in cells))
    return 0
