# The two set-up commands: `make run` (install and run the bot) and `make test`.
# Both create ./.venv and install the project into it on first use.
VENV ?= .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed-stamp

.PHONY: run chat test lint bench prepare

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/tutorbot run

chat: $(STAMP)
	$(VENV)/bin/tutorbot chat

# The static checks first (`make lint`), then the tests on several workers: most tests wait on a bot, a
# database or the lab, so more workers than cores pay. The few that measure time run after, alone.
TEST_WORKERS ?= 0
TEST_TIMEOUT ?= 900

test: $(STAMP) lint
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) --dist loadscope --timeout $(TEST_TIMEOUT) -m "not serial"; first=$$?; \
	$(VENV)/bin/pytest -q --timeout $(TEST_TIMEOUT) -m serial; second=$$?; \
	test $$first -eq 0 && test $$second -eq 0

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

prepare: $(STAMP)
	$(VENV)/bin/tutorbot sandbox prepare

bench: $(STAMP)
	$(VENV)/bin/python bench/updates_bench.py
	$(VENV)/bin/python bench/sandbox_bench.py
	$(VENV)/bin/python bench/course_bench.py
	$(VENV)/bin/python bench/learner_lab_bench.py
	$(VENV)/bin/python bench/terminal_bench.py --keys 300
	$(VENV)/bin/python bench/lab_advice_bench.py --runs 20
	$(VENV)/bin/python bench/exercise_check_bench.py --exercise api-gateway --runs 5
	$(VENV)/bin/python bench/upload_check_bench.py --runs 30
	$(VENV)/bin/python bench/sweep_bench.py --learners 10000 100000
	$(VENV)/bin/python bench/stats_bench.py --learners 300 --days 100
	$(VENV)/bin/python bench/broadcast_bench.py --learners 3000 --talkers 5 --every 3
	$(VENV)/bin/python bench/outbox_crash_bench.py --learners 3000 --kill-at 0.4
