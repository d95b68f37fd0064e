#!/usr/bin/env bash
# Installs Argo CD on cluster <cluster> with the chart, version, values and release name of its own generated Application, which then adopts the release unchanged.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "Usage: bootstrap/argocd-install.sh <cluster> [--dry-run]

Installs Argo CD on cluster <cluster> with the chart, version, values and release name of its own generated Application, which then adopts the release unchanged.

Facts come from bootstrap/<cluster>/facts.env, which \`gitops generate\` writes from
clusters/<cluster>/cluster.ts. Each step is idempotent: a second run changes nothing and says so.

Options:
  --dry-run   run the read-only probes; print every command and manifest; change nothing
  -h, --help  show this help" "$@"
load_facts
[ "$DELIVERY" = argocd ] || die 2 "cluster $CLUSTER is delivered by $DELIVERY, not Argo CD: use bootstrap/flux-install.sh"
step_preflight
cluster_exists || die 1 "cluster $CLUSTER does not exist yet: run bootstrap/cluster-setup.sh $CLUSTER"
step_argocd
summary
