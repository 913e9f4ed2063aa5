# Two commands do all set-up on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint format bench

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed

# One staleness check after seeding, so the inbox holds digests, managers have escalations
# and the overview shows a last run. Its emails (the console backend, one per digest and
# reminder) go to a log instead of burying the demo logins printed just before.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@mkdir -p artifacts
	DEBUG=1 $(BIN)/python manage.py check_staleness > artifacts/check_staleness.log
	@tail -n 1 artifacts/check_staleness.log
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	DEBUG=0 ALLOWED_HOSTS=tl.example.com SECRET_KEY=check-deploy-only-$$(printf '%040d' 0)-not-a-secret \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/bandit -q -r departments techleads sops continuity dashboard config integrations \
		-x '*/tests/*,*/migrations/*' -ll

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmarks (README, Benchmarks) need PostgreSQL at BENCH_PG_BASE and its psql client;
# each creates and drops its own database (the load run reuses the page bench's large
# organisation). The default sizes take about half an hour; the README's figures:
# make bench BENCH_REQUESTS=300 BENCH_DOCUMENTS="100000 1000000"
BENCH_PG_BASE ?= postgres://postgres@127.0.0.1:5432
BENCH_REQUESTS ?= 100
BENCH_DOCUMENTS ?= 100000
BENCH_PAGE_REQUESTS ?= 15
BENCH_LOAD_CLIENTS ?= 16
BENCH_LOAD_SECONDS ?= 60

bench: install
	@command -v psql >/dev/null || { echo "make bench needs psql, the PostgreSQL client"; exit 1; }
	@psql "$(BENCH_PG_BASE)/postgres" -qtAc "SELECT 1" >/dev/null || \
		{ echo "make bench needs PostgreSQL at $(BENCH_PG_BASE) (set BENCH_PG_BASE)"; exit 1; }
	BENCH_PG_BASE=$(BENCH_PG_BASE) $(BIN)/python -m bench.api_bench --requests $(BENCH_REQUESTS)
	BENCH_PG_BASE=$(BENCH_PG_BASE) $(BIN)/python -m bench.staleness_bench $(BENCH_DOCUMENTS)
	BENCH_PG_BASE=$(BENCH_PG_BASE) $(BIN)/python -m bench.preview_bench
	BENCH_PG_BASE=$(BENCH_PG_BASE) $(BIN)/python -m bench.pages_bench \
		--requests $(BENCH_PAGE_REQUESTS) --database techleads_bench_pages
	BENCH_PG_BASE=$(BENCH_PG_BASE) $(BIN)/python -m bench.load_run --reuse \
		--database techleads_bench_pages \
		--clients $(BENCH_LOAD_CLIENTS) --seconds $(BENCH_LOAD_SECONDS)
