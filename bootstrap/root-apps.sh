#!/usr/bin/env bash
# Hands cluster <cluster> to its engine: applies clusters/<cluster>/root.yaml (the app-of-apps root, or the GitRepository and root Kustomization of Flux). Run it last.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "Usage: bootstrap/root-apps.sh <cluster> [--dry-run]

Hands cluster <cluster> to its engine: applies clusters/<cluster>/root.yaml (the app-of-apps root, or the GitRepository and root Kustomization of Flux). Run it last.

Facts come from bootstrap/<cluster>/facts.env, which \`gitops generate\` writes from
clusters/<cluster>/cluster.ts. Each step is idempotent: a second run changes nothing and says so.

Options:
  --dry-run   run the read-only probes; print every command and manifest; change nothing
  -h, --help  show this help" "$@"
load_facts
step_preflight
cluster_exists || die 1 "cluster $CLUSTER does not exist yet: run bootstrap/cluster-setup.sh $CLUSTER"
step_root
summary
