#!/usr/bin/env bash
# npm test: installs what the tiers need (system packages, the pinned code-server), checks types and lint,
# builds, packages the VSIX, then runs unit, integration (real VS Code host) and e2e (Chromium) tiers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/host/ensure-system-deps.sh
bash test/host/install-code-server.sh
echo "[test] type check and lint"
npx tsc --noEmit -p .
npx eslint .
echo "[test] build, package"
node build.mjs --tests
npm run --silent package >/dev/null
ls -l dist-vsix/azureml-model-data.vsix | awk '{print "[test] VSIX size: " $5 " bytes"}'
# Every script the build writes to dist/ ships (.vscodeignore lists them one by one; a thread's script left
# out would only show in the installed extension).
packaged=$(npx vsce ls --no-dependencies)
for script in dist/*.js; do
  grep -qx "$script" <<<"$packaged" || { echo "[test] $script is built but not packaged: add it to .vscodeignore"; exit 1; }
done
node out/test/host/run-all.js "$@"
