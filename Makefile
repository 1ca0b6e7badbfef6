# The two commands a newcomer runs: `make` (every edition into build/) and `make test`.
# Everything a target needs is installed on first use (scripts/install-*.sh); nothing by hand.
VENV    ?= .venv
PUBLISH := $(VENV)/bin/publish
PYTHON  := $(VENV)/bin/python
BOOK    ?= .
# test workers: one per core (pytest-xdist); each test file runs whole in one worker
TEST_JOBS ?= auto

.PHONY: all html pdf print epub check check-manuscript test bench serve release deps referees clean
all: deps
	$(PUBLISH) build $(BOOK)

deps:
	@scripts/install-build.sh

referees: deps
	@scripts/install-referees.sh

html: deps
	$(PUBLISH) build $(BOOK) --format html

pdf: deps
	$(PUBLISH) build $(BOOK) --format pdf

print: deps
	$(PUBLISH) build $(BOOK) --format print

epub: deps
	$(PUBLISH) build $(BOOK) --format epub

check: referees all
	$(PYTHON) scripts/check_all.py $(BOOK)

check-manuscript: deps
	$(PUBLISH) check $(BOOK)

test: referees
	PUBLISH_REFEREES_REQUIRED=1 $(PYTHON) -m pytest -n $(TEST_JOBS) --dist loadfile

release: referees
	$(PYTHON) scripts/release.py $(BOOK)

bench: deps
	$(PYTHON) scripts/bench.py $(BOOK)

serve: deps
	$(PUBLISH) serve $(BOOK)

clean:
	rm -rf build dist
