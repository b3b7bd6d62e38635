# The two commands: `make run` installs and starts GradeGrad, `make test` installs and runs the tests.
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: the runtime (what `make run` needs) and, on top of it, the test tools (what `make test` needs).
# .venv/.installed keeps its old meaning, everything installed, so `make .venv/.installed` still readies the tests.
RUNTIME := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench clean editor

$(PY):
	python3 -m venv $(VENV)

# Reinstall whenever the project's metadata changes. The platform depends on the student's
# client, which is in client/: both are installed from here in one resolution.
$(RUNTIME): pyproject.toml client/pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ./client -e .
	@# Upgrading a .venv made before the client had its own distribution removes the script both shipped.
	test -x $(VENV)/bin/gradegrad || $(PY) -m pip install --quiet --no-deps --force-reinstall -e ./client
	touch $(RUNTIME)

# The test tools (pytest, Playwright, ruff, mypy, ...): the dev extra, added to the runtime.
$(STAMP): $(RUNTIME)
	$(PY) -m pip install --quiet -e ./client -e '.[dev]'
	touch $(STAMP)

# The exercise page's editor: CodeMirror 6 from npm, bundled by esbuild into web/static/editor/ (served by the
# app, never from a CDN). npm ci runs again when the package files change, the build when the bundle is missing,
# older than its sources, or the packages were installed anew. The statements' math font (STIX Two Math, from
# npm too) is copied into web/static/fonts/ the same way.
FRONTEND := web/frontend
NPM_STAMP := $(FRONTEND)/node_modules/.installed
BUNDLE := web/static/editor/editor.js
MATH_FONT := web/static/fonts/stix-two-math.woff2

$(NPM_STAMP): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	touch $(NPM_STAMP)

$(BUNDLE): $(NPM_STAMP) $(wildcard $(FRONTEND)/src/*.js)
	cd $(FRONTEND) && npm run build:editor

$(MATH_FONT): $(NPM_STAMP)
	cd $(FRONTEND) && npm run build:fonts

editor: $(BUNDLE) $(MATH_FONT)

# The embedded default: SQLite for the data and the queue, a real Celery worker, no servers needed.
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= gradegrad-demo

run: $(RUNTIME) $(BUNDLE) $(MATH_FONT)
	$(VENV)/bin/gradegrad db upgrade
	$(VENV)/bin/gradegrad create-user instructor --role instructor --password $(DEMO_PASSWORD) --if-missing
	$(VENV)/bin/gradegrad create-user student --role student --password $(DEMO_PASSWORD) --if-missing
	$(VENV)/bin/gradegrad serve --host $(HOST) --port $(PORT) \
		--welcome "Sign in as 'student' or 'instructor', password '$(DEMO_PASSWORD)'"

test: $(STAMP) $(BUNDLE) $(MATH_FONT) lint
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	$(PY) -m pytest

# The fast tier for the edit loop: the grading core, the exercises and the web views on SQLite. The tests that
# start a served stack, a process, PostgreSQL, Redis or a browser, fuzz the API, sweep many seeds or test the
# sandbox are marked slow by tests/conftest.py and left out.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

# The static checks, which `make test` runs before the tests: ruff and mypy, configured in pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(FRONTEND)/node_modules web/static/editor web/static/fonts
