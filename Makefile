# The two commands a newcomer runs: `make` (every edition into build/) and `make test`.
# Everything a target needs is installed on first use (scripts/install-*.sh); nothing by hand.
VENV    ?= .venv
PUBLISH := $(VENV)/bin/publish
PYTHON  := $(VENV)/bin/python
BOOK    ?= .

.PHONY: all html pdf epub check-manuscript test bench deps referees clean
all: html

deps:
	@scripts/install-build.sh

referees: deps
	@scripts/install-referees.sh

html: deps
	$(PUBLISH) build $(BOOK) --format html

check-manuscript: deps
	$(PUBLISH) check $(BOOK)

test: referees
	PUBLISH_REFEREES_REQUIRED=1 $(PYTHON) -m pytest

bench: deps
	$(PYTHON) scripts/bench.py $(BOOK)

clean:
	rm -rf build dist
