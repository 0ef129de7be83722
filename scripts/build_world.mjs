// Build the map page's offline base layer: country outlines as a compact GeoJSON file.
//
// Source: Natural Earth's Admin 0 country boundaries (public domain), as redistributed in TopoJSON by the
// npm package world-atlas (ISC licence); topojson-client (ISC licence) turns the topology into GeoJSON.
// Both come from warmonitor/web/node_modules (run `npm ci` in warmonitor/web first). Coordinates are rounded
// to PRECISION decimals: at the scales the offline map is read at, 0.01 degree (about 1 km) is invisible, and
// rounding keeps the committed file small.
//
// Run: node scripts/build_world.mjs [--scale 110m|50m] [--out warmonitor/web/static/world.geojson]
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const webDir = join(root, "warmonitor", "web");
// resolve the npm packages from warmonitor/web, where package.json pins them
const require = createRequire(join(webDir, "package.json"));
const { feature } = require("topojson-client");

const PRECISION = 2;

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const scale = option("--scale", "110m");
if (!["110m", "50m"].includes(scale)) {
  console.error(`build_world: error: --scale must be 110m or 50m, not ${scale}`);
  process.exit(2);
}
const out = resolve(option("--out", join(webDir, "static", "world.geojson")));

let topology;
try {
  topology = JSON.parse(readFileSync(require.resolve(`world-atlas/countries-${scale}.json`), "utf8"));
} catch (err) {
  console.error(`build_world: error: cannot read world-atlas (run 'npm ci' in warmonitor/web): ${err.message}`);
  process.exit(1);
}

const round = (x) => Math.round(x * 10 ** PRECISION) / 10 ** PRECISION;

// Drop points that rounding made equal to their neighbour; a ring keeps at least its 4 closing points.
function roundRing(ring) {
  const kept = [];
  for (const [lon, lat] of ring) {
    const p = [round(lon), round(lat)];
    const last = kept[kept.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) kept.push(p);
  }
  return kept.length >= 4 ? kept : null;
}

function roundPolygon(rings) {
  const kept = rings.map(roundRing).filter(Boolean);
  return kept.length ? kept : null;
}

function roundGeometry(geometry) {
  if (!geometry) return null;
  if (geometry.type === "Polygon") {
    const rings = roundPolygon(geometry.coordinates);
    return rings && { type: "Polygon", coordinates: rings };
  }
  if (geometry.type === "MultiPolygon") {
    const polygons = geometry.coordinates.map(roundPolygon).filter(Boolean);
    return polygons.length ? { type: "MultiPolygon", coordinates: polygons } : null;
  }
  return geometry;
}

const countries = feature(topology, topology.objects.countries);
const features = [];
for (const f of countries.features) {
  const geometry = roundGeometry(f.geometry);
  if (geometry) features.push({ type: "Feature", id: f.id, properties: { name: f.properties.name }, geometry });
}

const collection = {
  type: "FeatureCollection",
  _provenance: `Natural Earth ${scale} Admin 0 countries (public domain), via the npm package world-atlas ` +
    "(ISC); converted by scripts/build_world.mjs with topojson-client, coordinates rounded to " +
    `${PRECISION} decimals.`,
  features,
};
writeFileSync(out, JSON.stringify(collection));
const kb = Math.round(JSON.stringify(collection).length / 1024);
console.log(`build_world: ${features.length} countries written to ${out} (${kb} KB)`);
