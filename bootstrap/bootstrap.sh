#!/usr/bin/env bash
# Creates cluster <cluster> and hands it to its GitOps engine: pre-flight, the cluster (kind, K3s, or OpenTofu for DOKS), the engine (Argo CD or Flux, pinned), and the root last.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "bootstrap/bootstrap.sh" "Creates cluster <cluster> and hands it to its GitOps engine: pre-flight, the cluster (kind, K3s, or OpenTofu for DOKS), the engine (Argo CD or Flux, pinned), and the root last." "$@"
load_facts
step_preflight
steps_cluster
# A cluster made just now: its context must be the one the facts name before anything is installed.
if [ "$CLUSTER_PLANNED" = 0 ]; then check_context; fi
steps_engine
step_root
summary
