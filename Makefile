# The two commands: `make run` installs and starts GradeGrad, `make test` installs and runs the tests.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(PY):
	python3 -m venv $(VENV)

# Reinstall whenever the project's metadata changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/gradegrad grade mse_grad examples/mse_grad_wrong.py

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(VENV)
