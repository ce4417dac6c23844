#!/usr/bin/env bash
# Debian packages the tiers and the demo need: chromium (e2e, in-host runner), libkrb5-dev (code-server's
# kerberos module builds against it) and Debian's Python with numpy and pandas (the unit tier imports and runs
# instrumented scoring files). Installed only when missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
/usr/bin/python3 -c "import numpy, pandas" >/dev/null 2>&1 || missing+=(python3-numpy python3-pandas)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "[deps] installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else echo "[deps] please install: ${missing[*]}" >&2; exit 1; fi
else
  SUDO=""
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
