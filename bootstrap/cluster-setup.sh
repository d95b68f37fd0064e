#!/usr/bin/env bash
# Creates cluster <cluster>: the kind cluster (docker network, pinned node image, port mappings), K3s (pinned), or the DOKS infrastructure (OpenTofu) and its kubeconfig context.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "bootstrap/cluster-setup.sh" "Creates cluster <cluster>: the kind cluster (docker network, pinned node image, port mappings), K3s (pinned), or the DOKS infrastructure (OpenTofu) and its kubeconfig context." "$@"
load_facts
step_preflight
steps_cluster
summary
