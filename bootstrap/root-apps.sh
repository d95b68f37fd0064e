#!/usr/bin/env bash
# Hands cluster <cluster> to its engine: applies clusters/<cluster>/root.yaml (the app-of-apps root, or the GitRepository and root Kustomization of Flux). Run it last.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "bootstrap/root-apps.sh" "Hands cluster <cluster> to its engine: applies clusters/<cluster>/root.yaml (the app-of-apps root, or the GitRepository and root Kustomization of Flux). Run it last." "$@"
load_facts
step_preflight
cluster_exists || die 1 "cluster $CLUSTER does not exist yet: run bootstrap/cluster-setup.sh $CLUSTER"
step_root
summary
