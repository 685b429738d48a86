#!/usr/bin/env bash
# Vendor the Studio's front-end files (served by the hub at /studio/static, so
# the Studio works offline and from a clean clone: no CDN).
#
#   scripts/setup-studio-assets.sh           npm ci, verify each file, copy into place
#   scripts/setup-studio-assets.sh --check   verify the committed copies only (offline)
#
# Packages are pinned exactly in tools/studio-assets/package.json with their
# sha512 integrity in its package-lock.json, installed with `npm ci` (no
# install scripts run). Each file is then checked against the sha256 below
# before it is copied, so the committed files are exactly the published ones.
#
#   htmx.org 2.0.11   progressive enhancement (partial updates)     BSD-0-Clause
#   trix 2.1.19       rich-text editor component (DOMPurify 3 inside) MIT (+ Apache-2.0/MPL-2.0)
#   axe-core 4.14.1   accessibility checks, injected by the browser tests  MPL-2.0
#   codemirror 5.65.21  template code editor (line numbers, Jinja/HTML modes)  MIT
#   vega 6.4.0, vega-lite 6.5.0, vega-embed 7.3.0  experiment result charts  BSD-3-Clause
#
# Update: bump a version in tools/studio-assets/package.json, run
# `npm install --package-lock-only --ignore-scripts` there, run this script
# (it prints the new sha256 of each mismatching file), review and paste them
# below.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools/studio-assets"
DEST="$ROOT/content_hub/studio/static/vendor"
MODULES="$TOOLS/node_modules"

# sha256  source (under node_modules)  destination name (under vendor/)
ASSETS=(
  "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717 htmx.org/dist/htmx.min.js htmx.min.js"
  "d3d2456f76414f2456104660ebd65aff1c04cd7966b942bdabd63f3cdb316a38 htmx.org/LICENSE htmx.LICENSE.txt"
  "5dcaa7c434ae9f3cf1a53651ea74bfad10cd6423c72cb86a8694969aaff67e51 trix/dist/trix.umd.min.js trix.umd.min.js"
  "7a35d25d0204a594f9f89a6fef18f74321ee2dae3970da3ac11e22c4305536ac trix/dist/trix.css trix.css"
  "fa0d1454375cbc7701bc13d916c3ae71e613b8ae718321641e678e09409393c4 trix/LICENSE trix.LICENSE.txt"
  "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30 dompurify/LICENSE dompurify.LICENSE.txt"
  "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c axe-core/axe.min.js axe.min.js"
  "af175b9d96ee93c21a036152e1b905b0b95304d4ae8c2c921c7609100ba8df7e axe-core/LICENSE axe-core.LICENSE.txt"
  "4f8563870d0fca38bbc3e00b6f670cb7fa9f380ba9f26a7f7d1184a6b18b1653 axe-core/LICENSE-3RD-PARTY.txt axe-core.LICENSE-3RD-PARTY.txt"
  "e98aac5ffa07bae58acd4ff07c4293059f8921c0ae0eba506929d8c6f41c9288 codemirror/lib/codemirror.js codemirror.js"
  "eb494ea972d2661ef86f7f6ac656dd6786d721e49c9c1b46e1eb967e4b6f9bf3 codemirror/lib/codemirror.css codemirror.css"
  "037860e24dfa4c5a27ccc3d4a0383ac500332955aa336947f4133cffa57e4e13 codemirror/mode/jinja2/jinja2.js codemirror-jinja2.js"
  "dc7e44d410399326f802e2924573cbf6f942a79f647fd0b97f0b607973bc9a09 codemirror/mode/xml/xml.js codemirror-xml.js"
  "fe5912e1d10f8fecb98bd31e2f957c0bbc9abf6b505d11b6dbcd27542d0fdcad codemirror/mode/htmlmixed/htmlmixed.js codemirror-htmlmixed.js"
  "60f0689e5c6af7f36c341e8e1341a4f10b4f0a04cebfb7341bcbedba9b572b32 codemirror/mode/css/css.js codemirror-css.js"
  "1311c73c66308ba6f78512b4c2e770a6900c80c3629683763329668ee6111163 codemirror/mode/javascript/javascript.js codemirror-javascript.js"
  "1b44334e2a04d90f2b473c26847798859039190142e53f72f3b7de0f82696d0e codemirror/addon/mode/overlay.js codemirror-overlay.js"
  "168a4becc968f5001e2ee2e0291b6e4daabafc1894a11ade1e11d56e96096e07 codemirror/LICENSE codemirror.LICENSE.txt"
  "8f6a3587cf8d4f42c7e08120e3eb05d067e746d554e39d2dcf52acc0bd5ba28f vega/build/vega.min.js vega.min.js"
  "63727832aaf62004a2b249c933e327f3c90caf49e41a72f4bf436edf632cbda8 vega/LICENSE vega.LICENSE.txt"
  "83e215e84e308ee8688fa6503ba0f1cf8a3c05c0d61df2841a0b92bf86809e00 vega-lite/build/vega-lite.min.js vega-lite.min.js"
  "f618900fd0d64046963b29f40590cdd1e341a2f41449f99110d82fd81fea808c vega-lite/LICENSE vega-lite.LICENSE.txt"
  "b1455caba2fb1a72fb46025ba0ba1316e2dbc7f0dd40a3f6040172bf9c08ba91 vega-embed/build/vega-embed.min.js vega-embed.min.js"
  "32df67148f0fc3db0eb9e263a7b75d07f1eb14c61955005a4a39c6918d10d137 vega-embed/LICENSE vega-embed.LICENSE.txt"
)

log() { printf 'setup-studio-assets: %s\n' "$*" >&2; }

# verify DIR FIELD: every asset's file (source path: field 2, destination: 3) in DIR
verify() {
  local dir="$1" field="$2" bad=0 line sum file actual
  for line in "${ASSETS[@]}"; do
    sum="$(cut -d' ' -f1 <<<"$line")"
    file="$(cut -d' ' -f"$field" <<<"$line")"
    if [[ ! -f "$dir/$file" ]]; then
      log "missing $dir/$file"; bad=1; continue
    fi
    actual="$(sha256sum "$dir/$file" | cut -d' ' -f1)"
    if [[ "$actual" != "$sum" ]]; then
      log "sha256 mismatch for $file: expected $sum, got $actual"; bad=1
    fi
  done
  return "$bad"
}

mode="${1:-fetch}"
case "$mode" in
  --check)
    verify "$DEST" 3 || exit 1
    log "the committed Studio assets match their pinned sha256"
    exit 0
    ;;
  fetch) ;;
  *) log "unknown option $mode (use --check)"; exit 2 ;;
esac

command -v npm >/dev/null || { log "npm is required"; exit 1; }
log "npm ci in $TOOLS"
(cd "$TOOLS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
verify "$MODULES" 2 || { log "npm's files are not the pinned ones; nothing copied"; exit 1; }

mkdir -p "$DEST"
for line in "${ASSETS[@]}"; do
  read -r _ source name <<<"$line"
  cp "$MODULES/$source" "$DEST/$name"
done
verify "$DEST" 3
log "copied and verified ${#ASSETS[@]} files into ${DEST#"$ROOT"/}"
