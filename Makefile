# Balcão Digital — the commands a new user and CI need.
#   make run    install, migrate, load the demo utility and serve it
#   make serve  production settings under gunicorn, static files, the task worker (README)
#   make test   the whole test suite, offline
#   make check  what CI runs: format, lint, import layers, types, security (bandit), migrations,
#               deploy checks, tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export SITE_URL ?= http://127.0.0.1:$(PORT)
STAMP := $(VENV)/.installed

.PHONY: serve smoke run test check lint typecheck security format messages messages-update demo install clean bench bench-pdf bench-billing bench-import bench-returns

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v0

# Refresh the catalogues after changing texts. The msgids are the manual's Portuguese;
# pt_PT is rebuilt from scratch as the identity (msgen), so that the manual's words win over
# Django's own Portuguese ("Password", not "Palavra-passe") and no fuzzy guess ever ships.
# English keeps its translations; new or changed texts are left for a translator.
messages-update: $(STAMP)
	rm -f locale/pt_PT/LC_MESSAGES/django.po
	DEBUG=1 $(PY) manage.py makemessages -l pt_PT -l en --ignore=.venv --ignore=var \
		--ignore=bench --no-obsolete -v0
	msgen --force-po locale/pt_PT/LC_MESSAGES/django.po \
		| msgattrib --clear-fuzzy --no-location -o locale/pt_PT/LC_MESSAGES/django.po -
	sed -i -e 's/^"Language: \\n"/"Language: pt_PT\\n"/' \
		-e 's/^"Plural-Forms: .*"/"Plural-Forms: nplurals=2; plural=(n != 1);\\n"/' \
		-e 's/^"Project-Id-Version: .*"/"Project-Id-Version: Balcão Digital\\n"/' \
		locale/pt_PT/LC_MESSAGES/django.po
	@printf "en: "; msgfmt --statistics -o /dev/null locale/en/LC_MESSAGES/django.po

demo: install messages
	DEBUG=1 $(PY) manage.py migrate --no-input -v0
	DEBUG=1 $(PY) manage.py create_signing_key
	DEBUG=1 $(PY) manage.py seed_demo

run: demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production settings (DEBUG=0) on DATABASE_URL under gunicorn (gunicorn.conf.py), static
# files by WhiteNoise, db_worker beside it: scripts/serve.sh says what a local serve changes.
serve: install messages
	PY=$(PY) scripts/serve.sh

# Two `make serve` on PostgreSQL + Redis, one session across both, a task run by the worker
# (scripts/smoke.sh; CI runs it after the PostgreSQL tests).
smoke: install messages
	scripts/smoke.sh

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

# mypy with django-stubs (pyproject.toml): services and selectors fully typed. The plugin
# loads the settings, which need DEBUG=1 to run without a SECRET_KEY.
typecheck: install
	DEBUG=1 $(PY) -m mypy

# bandit on the shipped code (tests and migrations skipped, see pyproject.toml): no medium or
# high finding may stay without a `# nosec <code>` that says why.
security: install
	$(PY) -m bandit -c pyproject.toml -r balcao -ll -q

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check: lint typecheck security messages
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=balcao.example.pt $(PY) manage.py check --deploy --fail-level WARNING
	$(MAKE) test

# What users feel: gunicorn with the production settings on PostgreSQL + Redis, 10^5
# generated contracts, wrk at 20 signed-in customers (bench/run.py). Needs wrk:
#   apt-get install wrk
bench: install messages
	@command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install wrk"; exit 1; }
	$(PY) bench/run.py $(BENCH_ARGS)

# Milliseconds per kept invoice PDF (aim ≤ 10 ms) and the month's SAF-T, validated.
bench-pdf: install
	DEBUG=1 $(PY) bench/invoice_pdf.py --validate

# The billing run's invoices per second on a generated utility of 10^4 contracts, without
# PDFs (BILLING_RENDER_PDF=False). PostgreSQL: DATABASE_URL=postgres://…/a_throwaway_db.
bench-billing: install
	DEBUG=1 $(PY) bench/billing.py --contracts $(or $(CONTRACTS),10000)

# The Multibanco import's lines per second: a generated file of 10^5 lines against 10^5 open
# invoices (docs/payments.md). PostgreSQL: DATABASE_URL=postgres://…/a_throwaway_db.
bench-import: install
	DEBUG=1 $(PY) bench/import_payments.py --lines $(or $(LINES),100000) $(BENCH_ARGS)

# The direct debit returns import's lines per second: a generated camt.054 of 10^4 lines
# (90 % settled, 10 % returned) against as many debits sent (docs/payments.md, "Débito
# direto"). PostgreSQL: DATABASE_URL=postgres://…/a_throwaway_db.
bench-returns: install
	DEBUG=1 $(PY) bench/sepa_returns.py --lines $(or $(LINES),10000)

clean:
	rm -rf $(VENV) var
