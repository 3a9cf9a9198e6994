# `make run`: set up and serve the app with demo data on SQLite (tasks run in-process, no services needed).
# `make test`: set up and run lint, the migrations check and the whole test suite.
# `make demo-reset`: empty the development database and its files, and load the demo data afresh.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test setup setup-dev migrate lint worker beat bench bench-quick bench-pdf clean demo-reset locale

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

run: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py demodata
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

demo-reset: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py demodata --nullstill

# `make locale`: compile the project's Norwegian catalog (locale/nb) after editing a .po; commit the .mo too, so a
# fresh machine needs no gettext.
locale:
	cd locale/nb/LC_MESSAGES && msgfmt --check -o django.mo django.po && msgfmt --check -o djangojs.mo djangojs.po

lint: setup-dev
	$(VENV)/bin/ruff check .

test: setup-dev lint
	DJANGO_SETTINGS_MODULE=overgang.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest ran no tests"; exit 1; fi; exit $$rc

worker: setup
	$(VENV)/bin/celery -A overgang worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A overgang beat --loglevel=INFO

# `make bench`: seeds N cases per run on PostgreSQL (127.0.0.1:5432, user postgres), serves the app with gunicorn
# and drives each page with locust; BENCH_SEKUNDER=5 for a quick run. See bench/README.md.
N ?= 1000 10000 100000
bench: setup-dev
	BENCH_N="$(N)" BENCH_KOMMANDO='make bench N="$(N)"$(if $(BENCH_SEKUNDER), BENCH_SEKUNDER=$(BENCH_SEKUNDER))' \
		$(PY) -W ignore::UserWarning bench/run.py

# `make bench-quick`: the old in-process bench, 1,000 cases in a throwaway SQLite (or DATABASE_URL's test) database.
bench-quick: setup-dev
	$(PY) -W ignore::UserWarning bench/quick.py

# `make bench-pdf`: seconds to convert one vedtaksbrev to PDF/A and to build the møtebok of a 100-case agenda
# with the real LibreOffice, in a throwaway SQLite database (BENCH_SAKER=20 for fewer cases).
bench-pdf: setup-dev
	$(PY) -W ignore::UserWarning bench/pdf.py

clean:
	rm -rf $(VENV) var/test-media
