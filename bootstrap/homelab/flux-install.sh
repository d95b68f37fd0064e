#!/usr/bin/env bash
# The homelab (K3s) cluster is delivered by Flux v2. Install K3s without its bundled Traefik and
# ServiceLB (ingress-nginx and MetalLB replace them), install Flux, then apply the generated root.
# Usage: bootstrap/homelab/flux-install.sh      (on the K3s server, with flux and kubectl)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if ! command -v k3s >/dev/null 2>&1; then
  curl -sfL https://get.k3s.io | INSTALL_K3S_EXEC="--disable traefik --disable servicelb" sh -
fi
flux check --pre
flux install
kubectl apply --server-side -f "$root/clusters/homelab/root.yaml"
