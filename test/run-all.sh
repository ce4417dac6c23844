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
node out/test/host/run-all.js "$@"
