#!/usr/bin/env bash
# Installs a real n8n into a cache folder outside this package's node_modules, once; later runs reuse it.
# Prints the n8n folder (the one holding node_modules/.bin/n8n) on its last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${N8N_VERSION:-$(cat "$here/n8n-version")}
cache=${N8N_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-tiktok-posting/engines}
dir="$cache/n8n-$version"
if [ -x "$dir/node_modules/.bin/n8n" ] && [ -f "$dir/.installed" ]; then
  echo "$dir"; exit 0
fi
echo "Installing n8n $version into $dir (first run only, about 5 minutes)..." >&2
mkdir -p "$dir"
cat > "$dir/package.json" <<JSON
{ "name": "n8n-engine-$version", "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" } }
JSON
# xlsx override: n8n's own xlsx dependency points at a host that cannot be reached here.
( while sleep 30; do echo "  ...still installing n8n $version (${SECONDS}s)" >&2; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null' EXIT
( cd "$dir" && npm install --no-audit --no-fund --loglevel=error >&2 )
kill $ticker 2>/dev/null
echo "n8n $version installed in ${SECONDS}s" >&2
touch "$dir/.installed"
echo "$dir"
