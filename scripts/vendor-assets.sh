#!/usr/bin/env bash
# Vendor the Swagger UI files that the hub serves at /schema (no CDN: the docs
# work offline and in a clean clone after `pip install -e .`).
#
#   scripts/vendor-assets.sh           re-fetch from npm, verify, copy into place
#   scripts/vendor-assets.sh --check   verify the committed copies only (offline)
#   scripts/vendor-assets.sh --update  after bumping the version in
#                                      tools/docs-assets/package.json (and
#                                      `npm install --package-lock-only
#                                      --ignore-scripts` there): copy the new
#                                      files and rewrite SHA256SUMS; review the diff
#
# The package (swagger-ui-dist, pinned exactly) is installed with `npm ci`
# from tools/docs-assets/package-lock.json, which pins its sha512 integrity;
# no install scripts run (its @scarf/scarf dependency is an analytics install
# script). Each file is then checked against the sha256 recorded in
# content_hub/api/static/swagger-ui/SHA256SUMS before it is copied, so the
# committed files are exactly the published ones.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools/docs-assets"
DEST="$ROOT/content_hub/api/static/swagger-ui"
SUMS="$DEST/SHA256SUMS"
PKG="$TOOLS/node_modules/swagger-ui-dist"
FILES=(
  swagger-ui-bundle.js
  swagger-ui-bundle.js.LICENSE.txt
  swagger-ui-standalone-preset.js
  swagger-ui-standalone-preset.js.LICENSE.txt
  swagger-ui.css
  favicon-32x32.png
  LICENSE
  NOTICE
)

log() { printf 'vendor-assets: %s\n' "$*" >&2; }

mode="${1:-fetch}"
case "$mode" in
  --check)
    (cd "$DEST" && sha256sum --check --strict --quiet SHA256SUMS)
    log "the committed Swagger UI files match SHA256SUMS"
    exit 0
    ;;
  fetch | --update) ;;
  *) log "unknown option $mode (use --check or --update)"; exit 2 ;;
esac

command -v npm >/dev/null || { log "npm is required"; exit 1; }
log "npm ci in $TOOLS"
(cd "$TOOLS" && SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)

if [[ "$mode" == "--update" ]]; then
  (cd "$PKG" && sha256sum "${FILES[@]}") >"$SUMS.new"
  mv "$SUMS.new" "$SUMS"
  log "SHA256SUMS rewritten for swagger-ui-dist $(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$PKG/package.json")"
else
  (cd "$PKG" && sha256sum --check --strict --quiet "$SUMS") || {
    log "sha256 mismatch between npm's swagger-ui-dist and $SUMS"
    exit 1
  }
fi

mkdir -p "$DEST"
for file in "${FILES[@]}"; do
  cp "$PKG/$file" "$DEST/$file"
done
(cd "$DEST" && sha256sum --check --strict --quiet SHA256SUMS)
log "copied and verified ${#FILES[@]} files into ${DEST#"$ROOT"/}"
