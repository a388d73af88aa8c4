#!/usr/bin/env bash
# One command: install and run the whole test suite against PostgreSQL and Redis.
# Defaults to the local services; override DATABASE_URL / CELERY_BROKER_URL to point elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system_deps.sh || echo "warning: could not install Chromium; browser tests will be skipped"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qhprojects}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/14}"
export DEBUG=1
# One pytest-xdist worker per core (QH_TEST_WORKERS=0 runs in this process, as does passing -n
# yourself); a module's tests stay on one worker, so its module-scoped data is built once, and each
# worker takes modules in collection order: suites that load a session seed (tests/tasks…) run after
# those that expect it absent (tests/api), as in one process.
workers="${QH_TEST_WORKERS:-auto}"
if [[ "$workers" == "0" || " $* " == *" -n "* || " $* " == *" -p no:xdist "* ]]; then
  exec .venv/bin/python -m pytest "$@"
fi
exec .venv/bin/python -m pytest -n "$workers" --dist loadscope --no-loadscope-reorder "$@"
