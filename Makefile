# PCMT — two commands do all set-up: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve worker test bench install migrate seed lint typecheck check-deploy clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PY))"; exit 1; }
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/base.txt requirements/dev.txt pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_admin_units
	$(BIN)/python manage.py load_programme
	$(BIN)/python manage.py load_reporting_catalogue
	$(BIN)/python manage.py load_indicators
	$(BIN)/python manage.py load_legal_rules
	$(BIN)/python manage.py load_holidays
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_content

run: seed
	@echo ""
	@echo "PCMT đang chạy tại http://127.0.0.1:8000 (Ctrl+C để dừng)."
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production: gunicorn with production settings (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL
# from the environment; README "Production"). Static files are gathered, hashed and compressed first.
serve: install
	PCMT_ENV=$${PCMT_ENV:-production} $(BIN)/python manage.py migrate --noinput
	PCMT_ENV=$${PCMT_ENV:-production} $(BIN)/python manage.py collectstatic --noinput -v 0
	PCMT_ENV=$${PCMT_ENV:-production} exec $(BIN)/gunicorn -c pcmt/gunicorn.conf.py

# The background-job worker that production runs beside `make serve` (jobs/).
worker: install
	PCMT_ENV=$${PCMT_ENV:-production} exec $(BIN)/celery -A pcmt worker --concurrency $${PCMT_JOB_WORKERS:-2} --loglevel INFO

# In parallel (pytest-xdist, one database per process); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS)

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

check-deploy: install
	PCMT_ENV=production PCMT_ALLOW_SQLITE=$${PCMT_ALLOW_SQLITE:-1} SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=pcmt.example.gov.vn $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm
