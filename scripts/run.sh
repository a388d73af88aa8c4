#!/usr/bin/env bash
# One command: install, migrate, load the seed data and demo users, serve on 127.0.0.1:8000.
# Embedded default: SQLite (db.sqlite3) and Celery tasks in-process; no services needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_seed_data
.venv/bin/python manage.py load_demo_users
.venv/bin/python manage.py load_contract_demo_reports
.venv/bin/python manage.py load_demo_present
.venv/bin/python manage.py setup_schedules
echo "青海省项目管理平台: http://127.0.0.1:8000  (demo users in README.md, password demo12345)"
exec .venv/bin/python manage.py runserver "${QH_ADDR:-127.0.0.1:8000}"
