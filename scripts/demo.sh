#!/usr/bin/env bash
# Quick start, command 1: install everything, create the demo organisation on
# SQLite and serve Peerwork at http://127.0.0.1:8000 (gunicorn, two workers)
# with a background worker for PDFs. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PEERWORK_DATA_DIR="${PEERWORK_DATA_DIR:-$PWD/var}"
PORT="${PORT:-8000}"
# Links in emails point here; DEBUG stays off so visitors see Peerwork's own error pages.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}" DEBUG="${DEBUG:-0}"
.venv/bin/python -m peerwork migrate -v0
.venv/bin/python -m peerwork demo
.venv/bin/python -m peerwork db_worker --no-reload --interval 0.5 -v0 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo
echo "Peerwork is running at http://127.0.0.1:${PORT}/  (Ctrl-C to stop)"
.venv/bin/gunicorn peerwork.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --log-level warning
