#!/usr/bin/env bash
# Checks the tools and their versions, and that the current kube context is cluster <cluster> (any other is refused). Changes nothing.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "Usage: bootstrap/preflight.sh <cluster> [--dry-run]

Checks the tools and their versions, and that the current kube context is cluster <cluster> (any other is refused). Changes nothing.

Facts come from bootstrap/<cluster>/facts.env, which \`gitops generate\` writes from
clusters/<cluster>/cluster.ts. Each step is idempotent: a second run changes nothing and says so.

Options:
  --dry-run   run the read-only probes; print every command and manifest; change nothing
  -h, --help  show this help" "$@"
load_facts
step_preflight
summary
