#!/usr/bin/env bash
# Installs Argo CD on cluster <cluster> with the chart, version, values and release name of its own generated Application, which then adopts the release unchanged.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "bootstrap/argocd-install.sh" "Installs Argo CD on cluster <cluster> with the chart, version, values and release name of its own generated Application, which then adopts the release unchanged." "$@"
load_facts
[ "$DELIVERY" = argocd ] || die 2 "cluster $CLUSTER is delivered by $DELIVERY, not Argo CD: use bootstrap/flux-install.sh"
step_preflight
cluster_exists || die 1 "cluster $CLUSTER does not exist yet: run bootstrap/cluster-setup.sh $CLUSTER"
step_argocd
summary
