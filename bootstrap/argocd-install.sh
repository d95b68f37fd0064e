#!/usr/bin/env bash
# Installs Argo CD once, from the same pinned chart and values the argo-cd component generates, so that
# Argo CD can then manage itself through its own Application.
# Usage: bootstrap/argocd-install.sh <cluster>   (needs kubectl and helm, and a current kube context)
set -euo pipefail
cluster="${1:?usage: argocd-install.sh <cluster>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
app="$root/clusters/$cluster/apps/application-argo-cd.yaml"
if [ ! -f "$app" ]; then
  echo "cluster $cluster does not include the argo-cd component ($app missing)" >&2
  exit 1
fi
# The chart source of the generated Application holds the pinned repo, chart, version and values.
values="$(mktemp)"
read -r repo chart version < <(cd "$root" && node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  import { load } from "js-yaml";
  const app = load(readFileSync(process.argv[1], "utf8"));
  const src = app.spec.sources.find((s) => s.chart);
  writeFileSync(process.argv[2], JSON.stringify(src.helm.valuesObject ?? {}));
  console.log(src.repoURL, src.chart, src.targetRevision);
' "$app" "$values")
helm upgrade --install argo-cd "$chart" --repo "$repo" --version "$version" \
  --namespace argocd --create-namespace --values "$values" --wait
rm -f "$values"
