#!/usr/bin/env bash
# Hands a cluster to its GitOps engine: applies clusters/<cluster>/root.yaml (the app-of-apps root for
# Argo CD, or the GitRepository + root Kustomization for Flux). Everything else follows from git.
# Usage: bootstrap/root-apps.sh <cluster>
set -euo pipefail
cluster="${1:?usage: root-apps.sh <cluster>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
kubectl apply --server-side -f "$root/clusters/$cluster/root.yaml"
