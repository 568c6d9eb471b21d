#!/usr/bin/env bash
# Install, migrate, load the demo data into an empty database, and serve on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/flask --app app db upgrade
.venv/bin/flask --app app seed-demo --if-empty
exec .venv/bin/flask --app app run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
