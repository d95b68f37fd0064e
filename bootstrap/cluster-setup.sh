#!/usr/bin/env bash
# Creates cluster <cluster>: the kind cluster (docker network, pinned node image, port mappings), K3s (pinned), or the DOKS infrastructure (OpenTofu) and its kubeconfig context.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "Usage: bootstrap/cluster-setup.sh <cluster> [--dry-run]

Creates cluster <cluster>: the kind cluster (docker network, pinned node image, port mappings), K3s (pinned), or the DOKS infrastructure (OpenTofu) and its kubeconfig context.

Facts come from bootstrap/<cluster>/facts.env, which \`gitops generate\` writes from
clusters/<cluster>/cluster.ts. Each step is idempotent: a second run changes nothing and says so.

Options:
  --dry-run   run the read-only probes; print every command and manifest; change nothing
  -h, --help  show this help" "$@"
load_facts
step_preflight
steps_cluster
summary
