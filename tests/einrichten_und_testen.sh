#!/usr/bin/env bash
# Richtet auf einem frischen Linux-Rechner alles für die Tests ein und führt sie aus:
# eine virtuelle Umgebung .venv mit dem Paket und seinen Testwerkzeugen, LibreOffice Calc
# (für die Nachrechnung der erzeugten Mappen in einer echten Tabellenkalkulation) und pytest.
# Aufruf aus dem Projektordner: bash tests/einrichten_und_testen.sh [pytest-Argumente]
set -euo pipefail
cd "$(dirname "$0")/.."

# LibreOffice Calc rechnet die erzeugten Mappen nach; python3-uno lässt die Tests die Makros
# der Steuerungsmappe in LibreOffice ausführen; pdftotext (poppler-utils) misst den Druck.
if ! command -v soffice >/dev/null 2>&1 || ! /usr/bin/python3 -c "import uno" >/dev/null 2>&1 \
  || ! command -v pdftotext >/dev/null 2>&1; then
  echo "LibreOffice Calc wird installiert (Debian-Pakete libreoffice-calc-nogui, python3-uno," \
    "poppler-utils) ..."
  als_root=""
  [ "$(id -u)" -ne 0 ] && als_root="sudo"
  # env, not a prefix: sudo's env_reset would drop DEBIAN_FRONTEND and apt could ask questions
  $als_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $als_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libreoffice-calc-nogui python3-uno poppler-utils >/dev/null
fi

# Debian's python3 makes virtual environments only with python3-venv (ensurepip).
if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
  echo "python3-venv wird installiert ..."
  als_root=""
  [ "$(id -u)" -ne 0 ] && als_root="sudo"
  $als_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $als_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi

# A venv that failed half-way (no python3-venv at the time) has a python but no pip: start anew.
if [ ! -x .venv/bin/pip ]; then
  rm -rf .venv
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e ".[test]"

.venv/bin/ruff check ikz_excel tests benchmarks
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest hat keinen Test gefunden: das gilt als Fehler." >&2
  exit 1
fi
exit "$status"
