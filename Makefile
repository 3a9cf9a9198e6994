# `make run`: set up and serve the app with demo data on SQLite (tasks run in-process, no services needed).
# `make test`: set up and run lint, the migrations check and the whole test suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test setup setup-dev migrate lint worker beat bench clean

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

lint: setup-dev
	$(VENV)/bin/ruff check .

test: setup-dev lint
	DJANGO_SETTINGS_MODULE=overgang.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest ran no tests"; exit 1; fi; exit $$rc

worker: setup
	$(VENV)/bin/celery -A overgang worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A overgang beat --loglevel=INFO

bench: setup-dev
	$(PY) -W ignore::UserWarning bench/run.py

clean:
	rm -rf $(VENV) var/test-media
