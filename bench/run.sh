#!/usr/bin/env bash
# All benchmarks, one command; each prints its own figures. Speed and memory targets live
# here, not in timed unit tests. PostgreSQL on 127.0.0.1 for the ledger bench (it creates
# and drops its own scratch database); the library bench uses a scratch SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== project library"
.venv/bin/python bench/projects_bench.py
echo
echo "== contract ledgers"
DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qhprojects}" \
  .venv/bin/python bench/contracts_bench.py "$@"
