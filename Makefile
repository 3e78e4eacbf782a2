# Partnership Records — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help venv install migrate demo run test e2e assets lint format check bench bench-quick backup restore clean mutate

help:
	@echo "make run     set up, migrate, load demo data and serve on http://$(HOST):$(PORT)/"
	@echo "make test    run the test suite (SQLite unless DATABASE_URL is set)"
	@echo "make e2e     real-browser and accessibility tests"
	@echo "make assets  rebuild static/govuk/ from npm (needs Node; the output is committed)"
	@echo "make lint    ruff check (with complexity), format check, import-graph contracts (import-linter)"
	@echo "make mutate  mutation testing of boards/permissions.py (mutmut; slow, not in make test or CI)"
	@echo "make bench   benchmarks on the 20 boards x 10 years dataset (built once into bench-data/); bench-quick: 2 x 2"

$(VENV)/.installed: requirements/base.txt requirements/dev.txt requirements/production.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements/dev.txt
	touch $@

venv install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

run: demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	@# pytest exits 5 when it collects no test: that is a failure here too, but say so plainly.
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no tests were collected"; fi; exit $$status

e2e: install
	$(PY) -m pytest -m e2e -p no:randomly tests/e2e $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make e2e: no tests were collected"; fi; exit $$status

# Benchmarks (tests/benchmarks/, never collected by make test): a table on stdout, bench-results/latest.json.
# The dataset is built once per seed and size (bench-data/, or the PostgreSQL database in DATABASE_URL).
BENCH_ARGS ?=
bench: install
	$(PY) -m tests.benchmarks.run $(BENCH_ARGS)

bench-quick: install
	$(PY) -m tests.benchmarks.run --quick $(BENCH_ARGS)

# GOV.UK Frontend, compiled with a system font stack into static/govuk/ (committed: run and test need no Node).
assets:
	npm ci --no-audit --no-fund
	sh assets/build.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	DJANGO_SETTINGS_MODULE=partnership.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=partnership.settings.test $(MANAGE) makemigrations --check --dry-run

# Mutation testing (docs/mutation.md): mutmut over boards/permissions.py against the tests in pyproject.toml's
# [tool.mutmut]. Never part of `make test` or CI. mutants/ is rebuilt each time (a merge may change any file it
# copies). Each of the MUTATE_CHILDREN mutants run at once takes a test database of its own (tests/mutation_slots.py),
# migrated once and reused for every later mutant.
MUTATE_CHILDREN ?= 2
mutate: install
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children $(MUTATE_CHILDREN)
	@echo "Surviving mutants (explain or kill each in docs/mutation.md; 'mutmut show NAME' shows one):"
	@$(VENV)/bin/mutmut results

# Database and uploaded files together, into backups/<timestamp>/ (partnership/backup.py).
backup: install
	$(PY) -m partnership.backup backup --into backups

# make restore BACKUP=backups/20260126T031500Z   (stop the web and worker processes first)
restore: install
	@test -n "$(BACKUP)" || { echo "make restore: say which backup, e.g. make restore BACKUP=backups/20260126T031500Z"; exit 2; }
	$(PY) -m partnership.backup restore "$(BACKUP)" $(if $(YES),--yes,)

clean:
	rm -rf $(VENV) db.sqlite3 test-media
