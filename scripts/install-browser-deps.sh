#!/usr/bin/env bash
# What the browser suite (e2e/browser/) and `npm run screenshots` need besides n8n: Debian's
# Chromium, installed with apt-get when missing (CI: a fresh machine, run as root). No browser is
# downloaded from anywhere else: playwright-core drives this binary.
# Prints one line on stdout (progress goes to stderr):
#   CHROMIUM=<path of the chromium binary>
# CHROMIUM_PATH, when set, is used as it is and nothing is installed.
set -euo pipefail

find_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] && echo "$CHROMIUM_PATH"
    return
  fi
  local candidate
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! find_chromium >/dev/null; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file." >&2
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "Chromium is missing: install it (sudo apt-get install -y chromium) or run as root, or set CHROMIUM_PATH." >&2
    exit 1
  fi
  echo "Installing chromium with apt-get..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # Fonts come with chromium's dependencies (fonts-liberation); nothing else is recommended in.
  if ! apt-get install -y --no-install-recommends chromium >&2; then
    apt-get update >&2
    apt-get install -y --no-install-recommends chromium >&2
  fi
fi

chromium=$(find_chromium) || { echo "chromium not found after installing" >&2; exit 1; }
echo "CHROMIUM=$chromium"
