#!/usr/bin/env bash
# Install the dev requirements and run the whole suite (SQLite unless TEST_DATABASE_URL is set).
# The browser tests need Debian's chromium; it is installed here when missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: install Debian's 'chromium' package (the browser tests need it)." >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
