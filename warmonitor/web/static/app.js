// warmonitor's map page: events from the JSON API on a Leaflet map, a per-day timeline whose brush picks the
// dates, filters, an evidence panel, and a territorial-control layer. Plain JS, no build step.
//
// Every value from the data is put into the page as text (textContent), never as HTML: article text is
// untrusted input.
"use strict";

(function () {
  // ACLED's six event types; anything else (or none) is drawn grey
  const TYPE_COLOURS = {
    "Battles": "#c62828",
    "Explosions/Remote violence": "#ef6c00",
    "Violence against civilians": "#6a1b9a",
    "Protests": "#1565c0",
    "Riots": "#f9a825",
    "Strategic developments": "#2e7d32",
  };
  const OTHER_COLOUR = "#757575";
  const CONTROL_COLOURS = { controls: "#00695c", partial: "#00897b", contested: "#b71c1c", besieged: "#4e342e" };
  const MAX_MARKERS = 5000; // the API's largest GeoJSON page: one request draws the whole map
  const DAY_MS = 86400000;

  const state = {
    filters: { event_type: "", actor: "", country: "" },
    brush: null, // [firstDay, lastDay] as day numbers, or null for every date
    days: [], // [{day, events}] for the timeline, under the current filters but not the brush
    load: 0, // generation of the latest marker request: older answers are dropped
    controlLoad: 0, // the same for the control layer
    selected: null,
  };

  // --- small helpers -------------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === "") continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    return node;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== "" && value !== null && value !== undefined) q.set(key, value);
    }
    return q.toString();
  }

  async function getJSON(url) {
    const response = await fetch(url);
    if (!response.ok) {
      let detail = `${response.status} ${response.statusText}`;
      try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
      throw new Error(`${url.split("?")[0]}: ${detail}`);
    }
    return response.json();
  }

  function showError(message) {
    const banner = document.getElementById("error-banner");
    banner.textContent = message;
    banner.hidden = false;
  }

  const dayOf = (iso) => Math.floor(Date.parse(iso + "T00:00:00Z") / DAY_MS);
  const isoOf = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);
  const colourOf = (type) => TYPE_COLOURS[type] || OTHER_COLOUR;
  // area grows with the toll, so a 100-death event does not hide a town
  const radiusOf = (fatalities) => Math.min(28, 5 + 2.5 * Math.sqrt(Math.max(0, fatalities || 0)));

  // --- the map -------------------------------------------------------------------------------------------

  const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 16 }).setView([25, 20], 2);
  map.attributionControl.setPrefix(false);

  const clusters = L.markerClusterGroup({
    maxClusterRadius: 40,
    showCoverageOnHover: false,
    animate: false, // clusters change at once: a filter's result is on the map when the counter says so
    spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon,
  });
  clusters.addTo(map);
  const controlLayer = L.layerGroup();

  // a cluster is a pie of its events' types, with the count in the middle
  function clusterIcon(cluster) {
    const counts = {};
    const children = cluster.getAllChildMarkers();
    for (const marker of children) counts[marker.options.eventType] = (counts[marker.options.eventType] || 0) + 1;
    let at = 0;
    const stops = Object.entries(counts).map(([type, n]) => {
      const from = at;
      at += (100 * n) / children.length;
      return `${colourOf(type)} ${from}% ${at}%`;
    });
    const size = children.length < 10 ? 30 : children.length < 100 ? 36 : 44;
    const icon = el("div", { class: "wm-cluster-pie" }, el("span", { class: "wm-cluster-count" }, children.length));
    icon.style.background = `conic-gradient(${stops.join(", ")})`;
    return L.divIcon({ html: icon, className: "wm-cluster", iconSize: [size, size] });
  }

  async function addBaseLayer(config) {
    if (config.tiles) {
      L.tileLayer(config.tiles, {
        maxZoom: 19,
        attribution: "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors",
      }).addTo(map);
      return;
    }
    const world = await getJSON("/world.geojson");
    map.getContainer().classList.add("offline");
    L.geoJSON(world, { interactive: false, style: { className: "wm-world", color: "#8d99a6", weight: 0.8, fillColor: "#eef0ea", fillOpacity: 1 } })
      .addTo(map);
    map.attributionControl.addAttribution("Outline: Natural Earth");
  }

  function addLegend() {
    const legend = L.control({ position: "bottomleft" });
    legend.onAdd = () => {
      const box = el("div", { class: "wm-legend", id: "legend" }, el("strong", {}, "Event type"));
      for (const [type, colour] of Object.entries(TYPE_COLOURS)) {
        const swatch = el("span", { class: "swatch" });
        swatch.style.background = colour;
        box.append(el("div", {}, swatch, type));
      }
      box.append(el("div", { class: "note" }, "Circle size: fatalities"));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);
  }

  function markerFor(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const marker = L.circleMarker([lat, lon], {
      radius: radiusOf(p.fatalities),
      color: "#263238",
      weight: 1,
      fillColor: colourOf(p.event_type),
      fillOpacity: 0.85,
      className: "wm-event",
      eventType: p.event_type,
      eventId: feature.id,
    });
    const toll = p.fatalities ? `, ${p.fatalities} killed` : "";
    // Leaflet reads tooltip text as HTML: escape the values first
    const label = `${p.event_date || "undated"} · ${p.location || p.country || "?"}: ${p.sub_event_type || p.event_type || "event"}${toll}`;
    marker.bindTooltip(escapeText(label), { direction: "top" });
    marker.on("click", () => openPanel(feature.id));
    return marker;
  }

  function escapeText(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // --- loading events ------------------------------------------------------------------------------------

  function filterParams(withBrush) {
    const params = { ...state.filters };
    if (withBrush && state.brush) {
      params.since = isoOf(state.brush[0]);
      params.until = isoOf(state.brush[1]);
    }
    return params;
  }

  async function refreshMarkers(fit) {
    const generation = ++state.load;
    const page = await getJSON(`/api/events.geojson?${query({ ...filterParams(true), limit: MAX_MARKERS })}`);
    if (generation !== state.load) return; // a newer filter has been asked for meanwhile
    const placed = page.features.filter((f) => f.geometry);
    clusters.clearLayers();
    clusters.addLayers(placed.map(markerFor));
    // no animation: the clusters are final before the counter changes
    if (fit && placed.length) map.fitBounds(clusters.getBounds(), { padding: [30, 30], maxZoom: 7, animate: false });
    const count = document.getElementById("event-count");
    const unplaced = page.features.length - placed.length;
    let text = `${page.total} event${page.total === 1 ? "" : "s"}`;
    if (unplaced) text += ` (${unplaced} without a place on the map)`;
    if (page.total > page.features.length) text += ` (first ${page.features.length} shown)`;
    count.textContent = text;
    count.dataset.total = page.total;
    count.dataset.onMap = placed.length;
  }

  async function refreshTimeline() {
    const stats = await getJSON(`/api/stats?${query(filterParams(false))}`);
    state.days = stats.by_day.filter((d) => d.date).map((d) => ({ day: dayOf(d.date), events: d.events }));
    drawTimeline();
  }

  // fill the selects from the data itself (the unfiltered store), so no choice leads to an empty map
  async function fillFilterChoices() {
    const stats = await getJSON("/api/stats");
    const typeSelect = document.getElementById("filter-type");
    for (const row of stats.by_type) {
      if (row.event_type) typeSelect.append(el("option", { value: row.event_type }, `${row.event_type} (${row.events})`));
    }
    const countries = {};
    for (const row of stats.by_admin1) {
      if (row.country) countries[row.country] = (countries[row.country] || 0) + row.events;
    }
    const countrySelect = document.getElementById("filter-country");
    for (const name of Object.keys(countries).sort()) {
      countrySelect.append(el("option", { value: name }, `${name} (${countries[name]})`));
    }
    // actor suggestions: the names on one page of the most recent events is plenty for a hint
    const recent = await getJSON(`/api/events?${query({ limit: 500 })}`);
    const names = new Set();
    for (const e of recent.events) {
      for (const name of [e.actor1, e.actor2]) if (name) names.add(name);
    }
    const list = document.getElementById("actor-names");
    for (const name of [...names].sort()) list.append(el("option", { value: name }));
    if (stats.by_day.length) {
      const dated = stats.by_day.filter((d) => d.date);
      if (dated.length) document.getElementById("control-date").value = dated[dated.length - 1].date;
    }
  }

  function onFilterChange() {
    state.filters.event_type = document.getElementById("filter-type").value;
    state.filters.actor = document.getElementById("filter-actor").value.trim();
    state.filters.country = document.getElementById("filter-country").value;
    Promise.all([refreshMarkers(true), refreshTimeline(), refreshControl()]).catch((err) => showError(err.message));
  }

  // --- the timeline and its brush ------------------------------------------------------------------------

  const timeline = document.getElementById("timeline");
  const PAD = { left: 8, right: 8, top: 6, bottom: 18 };
  let scale = null; // {first, last, x(day), day(x)}

  function drawTimeline() {
    timeline.replaceChildren();
    const width = timeline.clientWidth || 800;
    const height = timeline.clientHeight || 80;
    if (!state.days.length) {
      const note = svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" });
      note.textContent = "no dated events";
      timeline.append(note);
      scale = null;
      return;
    }
    const first = state.days[0].day - 1;
    const last = state.days[state.days.length - 1].day + 1;
    const span = Math.max(1, last - first + 1);
    const inner = width - PAD.left - PAD.right;
    scale = {
      first, last,
      x: (day) => PAD.left + ((day - first) / span) * inner,
      day: (x) => Math.min(last, Math.max(first, Math.floor(first + ((x - PAD.left) / inner) * span))),
    };
    const most = Math.max(...state.days.map((d) => d.events));
    const barWidth = Math.max(2, inner / span - 1);
    const base = height - PAD.bottom;
    for (const d of state.days) {
      const h = Math.max(2, ((base - PAD.top) * d.events) / most);
      const inBrush = !state.brush || (d.day >= state.brush[0] && d.day <= state.brush[1]);
      const bar = svg("rect", {
        x: scale.x(d.day), y: base - h, width: barWidth, height: h,
        class: inBrush ? "bar" : "bar outside", "data-date": isoOf(d.day), "data-events": d.events,
      });
      const title = svg("title");
      title.textContent = `${isoOf(d.day)}: ${d.events} event${d.events === 1 ? "" : "s"}`;
      bar.append(title);
      timeline.append(bar);
    }
    drawAxis(width, base);
    if (state.brush) drawBrush(scale.x(state.brush[0]), scale.x(state.brush[1] + 1), base);
    const range = document.getElementById("brush-range");
    range.textContent = state.brush ? `${isoOf(state.brush[0])} to ${isoOf(state.brush[1])}` : "";
    document.getElementById("brush-clear").hidden = !state.brush;
  }

  // year ticks, or month ticks when the data spans less than two years
  function drawAxis(width, base) {
    timeline.append(svg("line", { x1: PAD.left, x2: width - PAD.right, y1: base, y2: base, class: "axis" }));
    const start = new Date(scale.first * DAY_MS);
    const end = new Date(scale.last * DAY_MS);
    const monthly = scale.last - scale.first < 730;
    const tick = new Date(Date.UTC(start.getUTCFullYear(), monthly ? start.getUTCMonth() + 1 : 0, 1));
    if (!monthly && tick < start) tick.setUTCFullYear(tick.getUTCFullYear() + 1);
    let lastLabel = -Infinity;
    while (tick <= end) {
      const x = scale.x(Math.floor(tick.getTime() / DAY_MS));
      timeline.append(svg("line", { x1: x, x2: x, y1: base, y2: base + 4, class: "axis" }));
      if (x - lastLabel > 40) {
        const label = svg("text", { x, y: base + 15, "text-anchor": "middle", class: "tick" });
        label.textContent = monthly ? tick.toISOString().slice(0, 7) : String(tick.getUTCFullYear());
        timeline.append(label);
        lastLabel = x;
      }
      if (monthly) tick.setUTCMonth(tick.getUTCMonth() + 1);
      else tick.setUTCFullYear(tick.getUTCFullYear() + 1);
    }
  }

  function drawBrush(x0, x1, base) {
    let rect = timeline.querySelector("rect.brush");
    if (!rect) {
      rect = svg("rect", { class: "brush" });
      timeline.append(rect);
    }
    rect.setAttribute("x", Math.min(x0, x1));
    rect.setAttribute("width", Math.max(1, Math.abs(x1 - x0)));
    rect.setAttribute("y", PAD.top - 4);
    rect.setAttribute("height", base - PAD.top + 4);
  }

  function pointerX(event) {
    return event.clientX - timeline.getBoundingClientRect().left;
  }

  let dragFrom = null;
  timeline.addEventListener("pointerdown", (event) => {
    if (!scale) return;
    dragFrom = pointerX(event);
    timeline.setPointerCapture(event.pointerId);
  });
  timeline.addEventListener("pointermove", (event) => {
    if (dragFrom === null) return;
    drawBrush(dragFrom, pointerX(event), (timeline.clientHeight || 80) - PAD.bottom);
  });
  timeline.addEventListener("pointerup", (event) => {
    if (dragFrom === null) return;
    const x = pointerX(event);
    const from = dragFrom;
    dragFrom = null;
    // a click without a drag clears the brush
    state.brush = Math.abs(x - from) < 4 ? null : [scale.day(Math.min(from, x)), scale.day(Math.max(from, x))];
    drawTimeline();
    refreshMarkers(false).catch((err) => showError(err.message));
  });
  document.getElementById("brush-clear").addEventListener("click", () => {
    state.brush = null;
    drawTimeline();
    refreshMarkers(false).catch((err) => showError(err.message));
  });
  window.addEventListener("resize", () => drawTimeline());

  // --- the event panel -----------------------------------------------------------------------------------

  const panel = document.getElementById("panel");
  const panelBody = document.getElementById("panel-body");
  document.getElementById("panel-close").addEventListener("click", () => {
    panel.hidden = true;
    state.selected = null;
    history.replaceState(null, "", location.pathname + location.search);
  });

  // the open event is in the address (#event=WM000042), so a link can be shared
  async function openPanel(eventId) {
    state.selected = eventId;
    panel.hidden = false;
    history.replaceState(null, "", `#event=${encodeURIComponent(eventId)}`);
    panelBody.replaceChildren(el("p", { class: "muted" }, "loading…"));
    try {
      const detail = await getJSON(`/api/events/${encodeURIComponent(eventId)}`);
      if (state.selected !== eventId) return; // another marker was clicked meanwhile
      panelBody.replaceChildren(...renderDetail(detail));
      panel.dataset.eventId = eventId;
    } catch (err) {
      panelBody.replaceChildren(el("p", { class: "error" }, err.message));
    }
  }

  function field(label, ...value) {
    const shown = value.flat().filter((v) => v !== null && v !== undefined && v !== "");
    return shown.length ? [el("dt", {}, label), el("dd", {}, ...shown)] : [];
  }

  function actorLine(actor, associated) {
    if (!actor) return null;
    return associated ? `${actor} (with ${associated})` : actor;
  }

  function renderDetail(detail) {
    const e = detail.event;
    const dates = e.event_date_start && e.event_date_end && e.event_date_start !== e.event_date_end
      ? `${e.event_date} (between ${e.event_date_start} and ${e.event_date_end})` : e.event_date || "undated";
    const place = [e.location, e.admin2, e.admin1, e.country].filter((v, i, all) => v && all.indexOf(v) === i).join(", ");
    const range = e.fatalities_low !== null && e.fatalities_high !== null && e.fatalities_low !== undefined
      && e.fatalities_low !== e.fatalities_high ? ` (reports range ${e.fatalities_low}–${e.fatalities_high})` : "";
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colourOf(e.event_type);
    const parts = [
      el("h2", {}, swatch, e.event_type || "Event"),
      el("p", { class: "subtitle" }, e.sub_event_type, " · ", e.event_id),
      el("dl", { class: "record" },
        field("Date", dates),
        field("Actor 1", actorLine(e.actor1, e.assoc_actor_1)),
        field("Actor 2", actorLine(e.actor2, e.assoc_actor_2)),
        field("Place", place || "unknown", e.geo_precision ? ` (precision ${e.geo_precision})` : ""),
        field("Fatalities", String(e.fatalities ?? 0), range),
        field("Confidence", e.confidence ? e.confidence.toFixed(2) : null)),
      e.notes ? el("p", { class: "notes" }, e.notes) : null,
      el("h3", {}, "Evidence"),
      renderSentences(detail.sentences),
      el("h3", {}, "Sources"),
      renderSources(detail),
    ];
    if (detail.claims && detail.claims.length) {
      parts.push(el("h3", {}, "Claims"), el("ul", { class: "claims" },
        detail.claims.map((c) => el("li", {}, c.actor && c.actor !== c.claimant ? `${c.claimant} (${c.actor})` : c.claimant,
          el("span", { class: "muted" }, ` · ${c.verb}`)))));
    }
    parts.push(el("h3", {}, "History"), renderRevisions(detail.revisions, e));
    return parts.filter(Boolean);
  }

  // a sentence with its cited spans wrapped in <mark>; offsets count from the sentence's start
  function markedSentence(sentence) {
    const node = el("blockquote", { class: "evidence" });
    let at = 0;
    for (const cited of sentence.cited) {
      if (cited.start < at) continue; // overlapping spans: the first one wins
      node.append(sentence.text.slice(at, cited.start));
      node.append(el("mark", { title: cited.field }, sentence.text.slice(cited.start, cited.end)));
      at = cited.end;
    }
    node.append(sentence.text.slice(at));
    const fields = [...new Set(sentence.cited.map((c) => c.field))].join(", ");
    return el("li", {}, node, el("div", { class: "muted" }, `${sentence.article_id} · ${fields}`));
  }

  function renderSentences(sentences) {
    if (!sentences || !sentences.length) return el("p", { class: "muted" }, "No evidence sentences stored.");
    return el("ol", { class: "sentences" }, sentences.map(markedSentence));
  }

  function renderSources(detail) {
    const items = (detail.articles || []).map((a) => {
      const title = a.title || a.article_id;
      const name = a.url && /^https?:\/\//.test(a.url) ? el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer" }, title) : title;
      return el("li", {}, name, el("span", { class: "muted" }, ` — ${[a.source, a.published].filter(Boolean).join(", ") || "unknown outlet"}`));
    });
    if (!items.length) for (const s of detail.sources || []) items.push(el("li", {}, s));
    return items.length ? el("ul", { class: "sources" }, items) : el("p", { class: "muted" }, "No source recorded.");
  }

  // the toll's history first: that is what readers ask ("how did the count change?"), then other fields
  function renderRevisions(revisions, e) {
    if (!revisions || !revisions.length) {
      return el("p", { class: "muted" }, `No revisions: the record (toll ${e.fatalities ?? 0}) is as first reported.`);
    }
    const ordered = [...revisions.filter((r) => r.field === "fatalities"), ...revisions.filter((r) => r.field !== "fatalities")];
    return el("table", { class: "revisions" },
      el("thead", {}, el("tr", {}, el("th", {}, "Field"), el("th", {}, "Change"), el("th", {}, "Reported by"))),
      el("tbody", {}, ordered.map((r) => el("tr", { class: r.field === "fatalities" ? "toll" : null },
        el("td", {}, r.field),
        el("td", {}, `${show(r.old)} → ${show(r.new)}`, r.reason ? el("div", { class: "muted" }, r.reason) : null),
        el("td", {}, [r.source, r.published].filter(Boolean).join(", ") || r.article_id)))));
  }

  function show(value) {
    if (value === null || value === undefined) return "—";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  // --- territorial control -------------------------------------------------------------------------------

  const controlToggle = document.getElementById("control-toggle");
  const controlDate = document.getElementById("control-date");
  const controlList = L.control({ position: "bottomleft" });
  controlList.onAdd = () => {
    const box = el("div", { class: "wm-control-list", id: "control-list" });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };

  async function refreshControl() {
    const generation = ++state.controlLoad;
    if (!controlToggle.checked || !controlDate.value) {
      controlLayer.clearLayers();
      controlLayer.remove();
      controlList.remove();
      return;
    }
    const answer = await getJSON(`/api/control?${query({ date: controlDate.value, country: state.filters.country })}`);
    if (generation !== state.controlLoad) return; // the date or the toggle changed meanwhile
    controlLayer.clearLayers();
    controlLayer.addTo(map);
    controlList.addTo(map);
    const box = document.getElementById("control-list");
    box.replaceChildren(el("strong", {}, `Control on ${answer.date}`));
    if (!answer.periods.length) {
      box.append(el("div", { class: "muted" }, "No place's holder is known on this date."));
      return;
    }
    const list = el("ul", {});
    for (const period of answer.periods) {
      const where = [period.place.name, period.place.admin1, period.place.country].filter(Boolean).join(", ");
      const who = period.actor || "no single holder";
      const since = period.start ? ` since ${period.start}` : "";
      const line = `${where}: ${who} (${period.status}${since})`;
      list.append(el("li", { "data-status": period.status }, line));
      if (period.place.latitude !== null && period.place.longitude !== null && period.place.latitude !== undefined) {
        const colour = CONTROL_COLOURS[period.status] || OTHER_COLOUR;
        L.marker([period.place.latitude, period.place.longitude], {
          icon: L.divIcon({ className: "wm-control", html: controlBadge(who, colour), iconSize: null }),
          keyboard: false,
        }).bindTooltip(escapeText(line)).addTo(controlLayer);
      }
    }
    box.append(list);
  }

  function controlBadge(who, colour) {
    const badge = el("span", { class: "wm-control-badge" }, who);
    badge.style.borderColor = colour;
    return badge;
  }

  controlToggle.addEventListener("change", () => refreshControl().catch((err) => showError(err.message)));
  controlDate.addEventListener("change", () => refreshControl().catch((err) => showError(err.message)));

  // --- start ---------------------------------------------------------------------------------------------

  let actorTimer = null;
  document.getElementById("filter-type").addEventListener("change", onFilterChange);
  document.getElementById("filter-country").addEventListener("change", onFilterChange);
  document.getElementById("filter-actor").addEventListener("change", onFilterChange);
  // the API matches whole actor names: while typing, apply only a full suggested name (or an emptied box);
  // Enter or leaving the box applies whatever was typed
  document.getElementById("filter-actor").addEventListener("input", (event) => {
    clearTimeout(actorTimer);
    const typed = event.target.value.trim();
    const known = [...document.getElementById("actor-names").options].some((o) => o.value === typed);
    if (known || !typed) actorTimer = setTimeout(onFilterChange, 300);
  });

  async function start() {
    const config = await getJSON("/api/config");
    await addBaseLayer(config);
    addLegend();
    await fillFilterChoices();
    await Promise.all([refreshMarkers(true), refreshTimeline()]);
    document.body.dataset.ready = "true"; // for tests and scripts: the first data is drawn
    const linked = location.hash.match(/^#event=(.+)$/);
    if (linked) await openPanel(decodeURIComponent(linked[1]));
  }

  start().catch((err) => showError(`The map could not load: ${err.message}`));
})();
