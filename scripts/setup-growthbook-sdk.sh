#!/usr/bin/env bash
# Install the pinned official GrowthBook JavaScript SDK (and the `eventsource`
# package Node needs for its streaming) used by tests/content_hub/test_sdk_streaming.py.
#
#   scripts/setup-growthbook-sdk.sh     # prints the directory holding node_modules
#
# Versions and integrity hashes are in tools/growthbook-sdk/package-lock.json;
# `npm ci --ignore-scripts` installs exactly those (no install scripts run).
# Idempotent: with the pinned versions installed it does no network access.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/tools/growthbook-sdk"

log() { printf '%s\n' "$*" >&2; }

installed() {  # the installed version of a package, or nothing
  local manifest="$DIR/node_modules/$1/package.json"
  [[ -f "$manifest" ]] || return 0
  sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$manifest" | head -n1
}

wanted() {  # the version package.json pins
  sed -n "s/^[[:space:]]*\"$(printf '%s' "$1" | sed 's/[\/&]/\\&/g')\":[[:space:]]*\"\([^\"]*\)\".*/\1/p" \
    "$DIR/package.json" | head -n1
}

current() {
  [[ "$(installed @growthbook/growthbook)" == "$(wanted @growthbook/growthbook)" \
     && "$(installed eventsource)" == "$(wanted eventsource)" ]]
}

if ! current; then
  command -v npm >/dev/null || { log "setup-growthbook-sdk: npm is required"; exit 1; }
  # test workers may all ask at once: one installs, the others wait for it
  exec 9>"$DIR/.npm-ci.lock"
  flock 9
  if ! current; then
    log "setup-growthbook-sdk: npm ci in $DIR"
    (cd "$DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  fi
fi
printf '%s\n' "$DIR"
