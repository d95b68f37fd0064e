#!/usr/bin/env bash
# Installs Flux on cluster <cluster> at the pinned version (for K3s, KUBECONFIG is set to K3s' own before any flux call).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "bootstrap/flux-install.sh" "Installs Flux on cluster <cluster> at the pinned version (for K3s, KUBECONFIG is set to K3s' own before any flux call)." "$@"
load_facts
[ "$DELIVERY" = flux ] || die 2 "cluster $CLUSTER is delivered by $DELIVERY, not Flux: use bootstrap/argocd-install.sh"
step_preflight
cluster_exists || die 1 "cluster $CLUSTER does not exist yet: run bootstrap/cluster-setup.sh $CLUSTER"
step_flux
summary
