#!/usr/bin/env bash
# Convenience entry point; the set-up logic lives in scripts/setup-meilisearch.sh.
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/setup-meilisearch.sh" "$@"
