#!/usr/bin/env bash
# Creates the `local` kind cluster (1 control plane + 3 workers) on the docker network 172.18.0.0/16.
# Usage: bootstrap/cluster-setup.sh            (needs docker and kind)
set -euo pipefail
cd "$(dirname "$0")"
if ! docker network inspect kind >/dev/null 2>&1; then
  docker network create --driver bridge --subnet 172.18.0.0/16 kind
fi
kind create cluster --config kind/cluster.yaml --wait 120s
kubectl cluster-info --context kind-local
