#!/usr/bin/env bash
# Debian packages the app and its tests need beyond Python's: installed when missing
# (as root with apt-get), otherwise named so that whoever runs this can install them.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)                  # browser tests
ldconfig -p | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint
ldconfig -p | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)  # WeasyPrint fonts
command -v pg_dump >/dev/null || missing+=(postgresql-client)    # backup and restore

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "missing Debian packages: ${missing[*]} (apt-get install them as root)" >&2
  exit 1
fi
