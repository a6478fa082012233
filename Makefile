# The two commands of README.md: `make run` and `make test`. Each works on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
# MODELS=demo runs the worker on tiny random models built locally (no network needed).
MODELS ?=
# How long `make run` waits for `manage.py check_models` before starting the worker anyway.
MODELS_CHECK_SECONDS ?= 30
# How long `make run` waits for the worker to load its models before printing the address.
MODELS_WAIT_SECONDS ?= 60
PORT ?= 8000

export DEBUG ?= true

.PHONY: install run serve test lint system-packages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Local settings for manage.py commands run by hand (DEBUG=true); production has no such file.
.env:
	printf '# Written by make install for local development. Never copy it to production.\nDEBUG=true\n' > .env

install: $(STAMP) .env

# Links in e-mails and feeds use SITE_URL: follow HOST and PORT unless SITE_URL is set.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	@if [ "$(MODELS)" = demo ]; then \
		$(BIN)/python manage.py build_demo_models > var/demo-models.env 2>/dev/null; \
		. var/demo-models.env; \
		echo "MODELS=demo: a random-weight toxicity model from var/models (its scores mean nothing) and the English MiniLM for relevance."; \
	else \
		echo "Checking the moderation models (manage.py check_models, up to $(MODELS_CHECK_SECONDS)s)..."; \
		timeout $(MODELS_CHECK_SECONDS) $(BIN)/python manage.py check_models > var/check-models.log 2>&1; \
		checked=$$?; \
		if [ $$checked = 124 ]; then \
			echo "The models are still downloading or loading; the worker goes on with it (var/check-models.log)."; \
		elif [ $$checked != 0 ]; then \
			echo; echo "WARNING: the moderation models cannot be loaded or downloaded:"; \
			sed 's/^CommandError: //' var/check-models.log | tail -n 2; \
			echo "To run without network access: make run MODELS=demo"; echo; \
		fi; \
	fi; \
	trap 'kill 0' EXIT; \
	: > var/worker.log; \
	$(BIN)/celery -A config worker --beat --concurrency 1 --loglevel INFO \
		--schedule var/celerybeat-schedule 2>&1 | tee -a var/worker.log & \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT) & \
	for _ in $$(seq $$(( $(MODELS_WAIT_SECONDS) * 2 ))); do \
		grep -qE "Moderation models loaded|moderation models cannot be loaded" var/worker.log && break; \
		sleep 0.5; \
	done; \
	grep -q "Moderation models loaded" var/worker.log \
		|| echo "The worker is still loading its models; comments wait as pending until it has them."; \
	for _ in $$(seq 60); do \
		$(BIN)/python -c "import urllib.request as u; u.urlopen('http://$(HOST):$(PORT)/healthz', timeout=1)" \
			2>/dev/null && break; \
		sleep 0.5; \
	done; \
	echo; \
	echo "Agora is running at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"; \
	echo "Demo logins, password agora-demo-2026:"; \
	echo "  reader     reader@example.org"; \
	echo "  moderator  moderator@example.org"; \
	echo "  site owner owner@example.org"; \
	echo "E-mails are written to var/mail/. Stop with Ctrl-C."; \
	wait

# Production serving: gunicorn with DEBUG off. It needs the production variables (README,
# "Configuration"); workers and threads come from WEB_CONCURRENCY and GUNICORN_THREADS. It writes
# no .env: a production host reads only its own environment.
serve: $(STAMP)
	DEBUG=false $(BIN)/python manage.py migrate --no-input
	DEBUG=false $(BIN)/python manage.py collectstatic --no-input -v0
	DEBUG=false $(BIN)/gunicorn config.wsgi:application

# The tests drive Debian's Chromium and check the catalogue with GNU gettext; install both when
# they are missing and we may.
system-packages:
	@if { [ ! -x /usr/bin/chromium ] || ! command -v msgcmp >/dev/null; } \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; \
	fi

test: install system-packages
	$(BIN)/pytest $(PYTEST_ARGS)

# mypy checks articles, moderation, notifications and config ([tool.mypy] in pyproject.toml); its
# Django plugin imports the settings, which DEBUG=true (exported above) lets load without secrets.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
