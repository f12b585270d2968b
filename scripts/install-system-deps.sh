#!/usr/bin/env bash
# Install the real parts the test suite uses, from Debian's packages. Safe to run again.
#   postgresql: the server binaries (initdb, pg_ctl) for the throwaway cluster the store tests start,
#     and psql, with which the verify test alters that database behind Tandem's back.
#   sqlite3: the command-line shell tests use to look at (and alter) a database file behind Tandem's back.
#   ledger, hledger: the close test reads the exported journals with both and compares balances.
#   chromium (+ fonts-liberation), poppler-utils: the report tests render HTML and PDF in Chromium
#     through playwright-core and read the PDF back with pdftotext.
#   libreoffice-calc: the report test recalculates the XLSX headless and checks every formula.
set -euo pipefail
packages=(postgresql sqlite3 ledger hledger chromium fonts-liberation libreoffice-calc poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ] && [ "${CI:-}" != "true" ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "installed: ${packages[*]}"
