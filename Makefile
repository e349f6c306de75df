# Zhuanban — the two commands a newcomer needs:
#   make demo   set everything up, load the public cases, serve on http://127.0.0.1:8000
#   make test   install what the tests need, run the suite on SQLite and on a throwaway PostgreSQL
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := ZHUANBAN_VAR_DIR=$(CURDIR)/var ZHUANBAN_DEMO=1 ZHUANBAN_HTTPS=0 ZHUANBAN_ALLOWED_HOSTS=127.0.0.1,localhost \
	ZHUANBAN_SECRET_KEY=$$(cat var/secret_key) ZHUANBAN_CRYPTO_KEY_FILE=$(CURDIR)/var/crypto_keys
# Two workers (pytest-xdist): the suite spends much of its time waiting on browsers and databases.
PYTEST_ARGS ?= -n 2

.PHONY: demo test deps assets system-deps lint security bandit pip-audit test-sqlite test-postgres secret clean

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(BIN)/.installed

assets: node_modules/.installed $(BIN)/.installed
	$(BIN)/python scripts/build_assets.py

var/secret_key:
	mkdir -p var
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# The key that encrypts personal data at rest (ID-card and phone numbers), made once per checkout.
var/crypto_keys:
	mkdir -p var
	$(BIN)/python -c 'import base64, os; print("k1:" + base64.b64encode(os.urandom(32)).decode())' > $@
	chmod 600 $@

secret: var/secret_key var/crypto_keys

demo: deps assets secret
	$(DEMO_ENV) $(BIN)/zhuanban collectstatic --noinput -v 0
	$(DEMO_ENV) $(BIN)/zhuanban migrate --noinput -v 0
	$(DEMO_ENV) $(BIN)/zhuanban demo
	@echo "serving on http://$(HOST):$(PORT)  (background jobs: zhuanban db_worker and zhuanban scheduler run alongside)"
	$(DEMO_ENV) $(BIN)/zhuanban db_worker & worker=$$!; $(DEMO_ENV) $(BIN)/zhuanban scheduler & sched=$$!; \
	trap 'kill $$worker $$sched 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/zhuanban serve --noreload $(HOST):$(PORT)

# Debian packages the tests need: a PostgreSQL server and Chromium (plus CJK fonts for screenshots).
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

lint: deps
	$(BIN)/ruff check zhuanban tests scripts
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=zhuanban.settings_test >/dev/null

# Security checks that fail `make test`: bandit (high severity, high confidence) on the code, pip-audit on
# the locked dependencies.  pip-audit needs PyPI's vulnerability service; where it cannot be reached the
# script says so in a banner; with PIP_AUDIT_UNAVAILABLE=fail that fails the target.  The default is warn
# because this project's build machines reach a PyPI mirror without vulnerability data: set
# PIP_AUDIT_UNAVAILABLE=fail wherever the real service is reachable.  Findings always fail the target.
PIP_AUDIT_UNAVAILABLE ?= warn
security: bandit pip-audit

bandit: deps
	$(BIN)/bandit -q -r zhuanban -x '*/migrations/*' --severity-level high --confidence-level high

pip-audit: deps
	PIP_AUDIT_UNAVAILABLE=$(PIP_AUDIT_UNAVAILABLE) $(BIN)/python scripts/pip_audit.py

test-sqlite: deps assets
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: deps assets
	scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

test: system-deps deps assets lint security
	@echo "== test suite on SQLite =="
	$(BIN)/pytest $(PYTEST_ARGS)
	@echo "== test suite on PostgreSQL =="
	scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf var test-artifacts zhuanban/web/static/vendor

# ---- production profile and load run (#4) — docs/operations.md "Production profile" and "Load run" ----------
# make prod-up [DATA=demo|none|scale SCALE=… WORKERS=4]   PostgreSQL + Redis + gunicorn + RQ worker + scheduler,
#                                                          on loopback under var/prod/ (URLs in var/prod/env)
# make loadrun [DURATION=5m USERS=50]                      locust headless against it; prints the figures
# make prod-down                                           stop it, remove its database
.PHONY: prod-up prod-down loadrun

prod-up: deps assets
	scripts/prod/up.sh

prod-down:
	scripts/prod/down.sh

loadrun: deps
	scripts/prod/loadrun.sh

# ---- synthetic data and the benchmark (#4) — docs/operations.md "Benchmark" ------------------------------------
# make bench [DB=sqlite|postgres] [SCALE=province|city|demo] [ONLY=name,…] [REPS=20] [JSON=1]
#   loads the scale once (var/bench-SCALE.sqlite3, or a database in the loopback cluster of
#   scripts/bench-postgres.sh), then times every scenario through the HTTP stack.
DB ?= sqlite
SCALE ?= province
REPS ?= 20
BENCH_ENV := ZHUANBAN_VAR_DIR=$(CURDIR)/var ZHUANBAN_DEMO=1 ZHUANBAN_HTTPS=0 ZHUANBAN_ALLOWED_HOSTS=127.0.0.1,localhost \
	ZHUANBAN_SECRET_KEY=$$(cat var/secret_key) ZHUANBAN_CRYPTO_KEY_FILE=$(CURDIR)/var/crypto_keys
.PHONY: bench
bench: deps assets secret
	@set -e; \
	if [ "$(DB)" = "postgres" ]; then url=$$(scripts/bench-postgres.sh start zhuanban_bench_$(SCALE)); \
	else url=sqlite:///$(CURDIR)/var/bench-$(SCALE).sqlite3; fi; \
	export ZHUANBAN_DATABASE_URL=$$url $(BENCH_ENV); \
	echo "benchmark database: $$url"; \
	$(BIN)/zhuanban collectstatic --noinput -v 0; \
	$(BIN)/zhuanban migrate --noinput -v 0; \
	$(BIN)/zhuanban generate --scale $(SCALE) --skip-if-loaded; \
	$(BIN)/zhuanban bench --scale $(SCALE) --reps $(REPS) $(if $(ONLY),--only $(ONLY)) $(if $(JSON),--json)
