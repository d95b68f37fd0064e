#!/usr/bin/env bats
# The bootstrap scripts against stand-ins of the tools they call (test/stub, on PATH under each tool's
# name): the exact commands they run, with the pinned versions and the Argo CD release name of the
# generated Application; the refusals; and that a second run after a first one plans nothing.

BOOTSTRAP="$BATS_TEST_DIRNAME/.."
REPO="$BATS_TEST_DIRNAME/../.."

setup() {
  export STUB_LOG="$BATS_TEST_TMPDIR/calls.log" STUB_STATE="$BATS_TEST_TMPDIR/state" TMPDIR="$BATS_TEST_TMPDIR"
  : >"$STUB_LOG"
  local bin="$BATS_TEST_TMPDIR/bin" sys="$BATS_TEST_TMPDIR/sys" tool
  mkdir -p "$bin" "$sys"
  for tool in kind kubectl helm flux tofu k3s docker doctl curl; do ln -s "$BATS_TEST_DIRNAME/stub" "$bin/$tool"; done
  # Only the basics besides the stubs: a tool installed on this machine must not answer for a stub.
  for tool in bash sh env sed grep sort head tail cat dirname basename mkdir touch printf tr rm mktemp cp ln wc cut ls; do
    ln -s "$(command -v "$tool")" "$sys/$tool"
  done
  export PATH="$bin:$sys"
}

# The calls the stubs saw that change something (the probes only read).
changes() {
  grep -E '^(kind create|docker network create|helm upgrade|kubectl .* apply|flux install|tofu .* apply|doctl|curl|k3s-installer)' "$STUB_LOG" || true
}

@test "--help on every script prints its usage and calls nothing" {
  for script in bootstrap preflight cluster-setup argocd-install flux-install root-apps; do
    run "$BOOTSTRAP/$script.sh" --help
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "Usage: bootstrap/$script.sh <cluster> [--dry-run]" ]]
    [[ "$output" == *"--dry-run"* ]]
  done
  [ ! -s "$STUB_LOG" ]
}

@test "kind: the dry run prints the pinned image, the port mappings and an Argo CD release named as its Application, and changes nothing" {
  run "$BOOTSTRAP/bootstrap.sh" local --dry-run
  [ "$status" -eq 0 ]
  image='kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a'
  [[ "$output" == *"+ docker network create --driver bridge --subnet 172.18.0.0/16 kind"* ]]
  [[ "$output" == *"+ kind create cluster --name local --config bootstrap/local/kind-config.yaml --wait 120s"* ]]
  [[ "$output" == *"  |     image: $image"* ]]
  [[ "$output" == *$'  |       - containerPort: 80\n  |         hostPort: 80'* ]]
  [[ "$output" == *$'  |       - containerPort: 443\n  |         hostPort: 443'* ]]
  [ "$(grep -c "^  |     image: $image\$" <<<"$output")" -eq 4 ]
  # The release name and chart are the generated Application's own.
  release=$(sed -n 's/^ *releaseName: //p' "$REPO/clusters/local/apps/application-argo-cd.yaml")
  [ "$release" = argocd ]
  [[ "$output" == *"+ helm upgrade --install $release argo-cd --repo https://argoproj.github.io/argo-helm --version 10.1.1 --kube-context kind-local --namespace argocd --create-namespace --values bootstrap/local/argocd-values.yaml --wait --timeout 10m"* ]]
  [[ "$output" == *"+ kubectl --context kind-local apply --server-side --field-manager gitops-bootstrap -f clusters/local/root.yaml"* ]]
  # The root comes last.
  [[ "$(grep '^+ ' <<<"$output" | tail -n 1)" == "+ kubectl --context kind-local apply"* ]]
  [ "${lines[${#lines[@]} - 1]}" = "bootstrap local: 4 step(s) would change something (dry run: nothing was run)" ]
  [ -z "$(changes)" ]
}

@test "kind: after a run, a second dry run plans nothing, and a second run changes nothing" {
  run "$BOOTSTRAP/bootstrap.sh" local
  [ "$status" -eq 0 ]
  [ "$(changes)" = "docker network create --driver bridge --subnet 172.18.0.0/16 kind
kind create cluster --name local --config bootstrap/local/kind-config.yaml --wait 120s
helm upgrade --install argocd argo-cd --repo https://argoproj.github.io/argo-helm --version 10.1.1 --kube-context kind-local --namespace argocd --create-namespace --values bootstrap/local/argocd-values.yaml --wait --timeout 10m
kubectl --context kind-local apply --server-side --field-manager gitops-bootstrap -f clusters/local/root.yaml" ]
  : >"$STUB_LOG"
  run "$BOOTSTRAP/bootstrap.sh" local --dry-run
  [ "$status" -eq 0 ]
  [ -z "$(grep '^+ ' <<<"$output")" ]
  [[ "$output" == *"= Helm release argocd (argo-cd-10.1.1) is installed; Argo CD manages it from here"* ]]
  [ "${lines[${#lines[@]} - 1]}" = "bootstrap local: nothing to do, every step is already done" ]
  run "$BOOTSTRAP/bootstrap.sh" local
  [ "$status" -eq 0 ]
  [ "${lines[${#lines[@]} - 1]}" = "bootstrap local: nothing to do, every step is already done" ]
  [ -z "$(changes)" ]
}

@test "a kube context that is not the named cluster is refused before anything is installed" {
  mkdir -p "$STUB_STATE"
  echo local >"$STUB_STATE/kind-clusters"
  echo prod-eu >"$STUB_STATE/context"
  for script in bootstrap argocd-install root-apps; do
    run "$BOOTSTRAP/$script.sh" local
    [ "$status" -eq 1 ]
    [[ "$output" == *'bootstrap: the current kube context is "prod-eu", not "kind-local" (cluster local): refusing to touch it. Switch with: kubectl config use-context kind-local'* ]]
  done
  run "$BOOTSTRAP/bootstrap.sh" local --dry-run
  [ "$status" -eq 1 ]
  [ -z "$(changes)" ]
}

@test "a context with the cluster's name that reaches another cluster is refused" {
  mkdir -p "$STUB_STATE"
  echo local >"$STUB_STATE/kind-clusters"
  echo kind-local >"$STUB_STATE/context"
  run "$BOOTSTRAP/argocd-install.sh" local
  [ "$status" -eq 1 ]
  [[ "$output" == *"bootstrap: the kube context kind-local does not reach cluster local (no node labelled kubernetes.io/hostname=local-control-plane): refusing to touch it"* ]]
  grep -qx "kubectl --context kind-local get nodes --selector kubernetes.io/hostname=local-control-plane --output name" "$STUB_LOG"
  [ -z "$(changes)" ]
}

@test "a docker network with another subnet than cluster.ts declares is refused" {
  mkdir -p "$STUB_STATE"
  echo 172.19.0.0/16 >"$STUB_STATE/docker-network"
  run "$BOOTSTRAP/cluster-setup.sh" local
  [ "$status" -eq 1 ]
  [[ "$output" == *"bootstrap: docker network kind has 172.19.0.0/16, not 172.18.0.0/16 as clusters/local/cluster.ts declares (MetalLB hands out 172.18.255.200-172.18.255.250): remove it (docker network rm kind) while no kind cluster uses it"* ]]
  [ -z "$(changes)" ]
}

@test "pre-flight refuses missing and old tools on a real run, and only warns in a dry run" {
  rm "$BATS_TEST_TMPDIR/bin/helm"
  run env STUB_KIND_VERSION=v0.29.0 "$BOOTSTRAP/bootstrap.sh" local
  [ "$status" -eq 1 ]
  [[ "$output" == *"bootstrap: helm is not installed"* ]]
  [[ "$output" == *"bootstrap: kind is v0.29.0, older than v0.30.0"* ]]
  [[ "$output" == *"bootstrap: pre-flight failed for cluster local"* ]]
  [ -z "$(changes)" ]
  run env STUB_KIND_VERSION=v0.29.0 "$BOOTSTRAP/bootstrap.sh" local --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"! helm is not installed (a real run stops here)"* ]]
}

@test "K3s + Flux: pinned K3s installer and Flux, KUBECONFIG set before the first flux call; a second dry run plans nothing" {
  run "$BOOTSTRAP/bootstrap.sh" homelab --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"+ curl -sfL -o $TMPDIR/k3s-install-homelab.sh https://raw.githubusercontent.com/k3s-io/k3s/v1.34.1%2Bk3s1/install.sh"* ]]
  [[ "$output" == *"+ env INSTALL_K3S_VERSION=v1.34.1+k3s1 sh $TMPDIR/k3s-install-homelab.sh server --disable traefik --disable servicelb --cluster-cidr 10.42.0.0/16 --service-cidr 10.43.0.0/16"* ]]
  [[ "$output" == *$'+ flux check --pre --context default\n+ flux install --context default --version v2.7.5\n+ flux check --context default'* ]]
  [[ "$output" == *"+ kubectl --context default apply --server-side --field-manager gitops-bootstrap -f clusters/homelab/root.yaml"* ]]
  [ -z "$(changes)" ]

  run "$BOOTSTRAP/bootstrap.sh" homelab
  [ "$status" -eq 0 ]
  grep -qx "k3s-installer INSTALL_K3S_VERSION=v1.34.1+k3s1 server --disable traefik --disable servicelb --cluster-cidr 10.42.0.0/16 --service-cidr 10.43.0.0/16" "$STUB_LOG"
  # Every flux call, the first (version) included, saw K3s' kubeconfig.
  [ "$(grep -c '^flux KUBECONFIG=' "$STUB_LOG")" -ge 4 ]
  [ -z "$(grep '^flux KUBECONFIG=' "$STUB_LOG" | grep -v '=/etc/rancher/k3s/k3s.yaml$')" ]
  grep -qx "flux check --pre --context default" "$STUB_LOG"
  grep -qx "flux install --context default --version v2.7.5" "$STUB_LOG"

  : >"$STUB_LOG"
  run "$BOOTSTRAP/bootstrap.sh" homelab --dry-run
  [ "$status" -eq 0 ]
  [ -z "$(grep '^+ ' <<<"$output")" ]
  [ "${lines[${#lines[@]} - 1]}" = "bootstrap homelab: nothing to do, every step is already done" ]
  [ -z "$(changes)" ]
}

@test "Flux: a flux CLI that is not the pinned version is refused" {
  run env STUB_FLUX_VERSION=v2.6.0 "$BOOTSTRAP/bootstrap.sh" homelab
  [ "$status" -eq 1 ]
  [[ "$output" == *"bootstrap: flux is v2.6.0, but the cluster pins v2.7.5"* ]]
  [ -z "$(changes)" ]
}

@test "DOKS: OpenTofu, then the kubeconfig context, then Argo CD and the root; a second dry run plans nothing" {
  run "$BOOTSTRAP/bootstrap.sh" doks --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"+ tofu -chdir=bootstrap/doks apply -input=false tfplan"* ]]
  [[ "$output" == *"+ doctl kubernetes cluster kubeconfig save doks"* ]]
  [[ "$output" == *"+ helm upgrade --install argocd argo-cd --repo https://argoproj.github.io/argo-helm --version 10.1.1 --kube-context do-fra1-doks --namespace argocd --create-namespace --values bootstrap/doks/argocd-values.yaml --wait --timeout 10m"* ]]
  [ -z "$(changes)" ]
  run "$BOOTSTRAP/bootstrap.sh" doks
  [ "$status" -eq 0 ]
  : >"$STUB_LOG"
  run "$BOOTSTRAP/bootstrap.sh" doks --dry-run
  [ "$status" -eq 0 ]
  [ -z "$(grep '^+ ' <<<"$output")" ]
  [ "${lines[${#lines[@]} - 1]}" = "bootstrap doks: nothing to do, every step is already done" ]
}

@test "a cluster without bootstrap facts, and the wrong engine's script, are usage errors" {
  run "$BOOTSTRAP/bootstrap.sh" nowhere --dry-run
  [ "$status" -eq 2 ]
  [ "$output" = "bootstrap: cluster nowhere has no bootstrap (bootstrap/nowhere/facts.env is missing): declare bootstrap in clusters/nowhere/cluster.ts and run npm run generate" ]
  run "$BOOTSTRAP/flux-install.sh" local
  [ "$status" -eq 2 ]
  [ "$output" = "bootstrap: cluster local is delivered by argocd, not Flux: use bootstrap/argocd-install.sh" ]
  run "$BOOTSTRAP/bootstrap.sh" local --force
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "bootstrap: unknown option --force" ]
}
