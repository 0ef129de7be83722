"""Where the map page's files are: our own under static/, the npm-installed libraries under node_modules/.

The browser libraries (Leaflet, its cluster plugin) are never committed: `npm ci` in warmonitor/web installs
the versions package-lock.json pins, and the app serves them under /vendor. `missing_assets()` says what a
page would fail to load, so `serve` and the tests can tell the user what to install.
"""
from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
VENDOR_DIR = WEB_DIR / "node_modules"
WORLD_OUTLINE = STATIC_DIR / "world.geojson"  # built by scripts/build_world.mjs

# the files index.html loads from /vendor, relative to VENDOR_DIR
VENDOR_FILES = (
    "leaflet/dist/leaflet.js",
    "leaflet/dist/leaflet.css",
    "leaflet.markercluster/dist/leaflet.markercluster.js",
    "leaflet.markercluster/dist/MarkerCluster.css",
    "leaflet.markercluster/dist/MarkerCluster.Default.css",
)

PAGE_FILES = ("index.html", "app.js", "app.css")

INSTALL_HINT = "run 'npm ci' in warmonitor/web (or 'make install')"


def missing_assets(vendor_dir: Path = VENDOR_DIR, static_dir: Path = STATIC_DIR) -> list[str]:
    """The page's files that are not on disk, as paths relative to the web folder; empty when all are there."""
    missing = [f"static/{name}" for name in PAGE_FILES if not (static_dir / name).is_file()]
    missing += [f"node_modules/{name}" for name in VENDOR_FILES if not (vendor_dir / name).is_file()]
    return missing
