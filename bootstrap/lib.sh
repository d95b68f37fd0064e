# shellcheck shell=bash
# The bootstrap steps, shared by the scripts beside this file. Facts (versions, names, subnets, the
# Argo CD release) come from bootstrap/<cluster>/facts.env, which `gitops generate` writes from
# clusters/<cluster>/cluster.ts: nothing here states a fact of its own.
#
# Every step probes first (read-only) and acts only when something is missing or different, so a second
# run changes nothing and says so. With --dry-run the probes still run; actions are printed, not run.
# Output: "== step", "+ command" (run, or would run), "  | line" (a manifest it applies),
# "= already done", "! warning".

BOOTSTRAP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BOOTSTRAP_DIR/.." && pwd)"
DRY_RUN=0
CLUSTER=""
# Steps that changed (or would change) something, and whether the current step is counted yet.
CHANGES=0
STEP_COUNTED=0
# Set in a dry run once a step plans to create the cluster: later steps cannot ask it anything.
CLUSTER_PLANNED=0

die() {
  local code=$1
  shift
  echo "bootstrap: $*" >&2
  exit "$code"
}

# parse_args SCRIPT SUMMARY ARGS...: sets CLUSTER and DRY_RUN; --help prints the script's usage.
parse_args() {
  local usage
  usage="Usage: $1 <cluster> [--dry-run]

$2

Facts come from bootstrap/<cluster>/facts.env, which \`gitops generate\` writes from
clusters/<cluster>/cluster.ts. Each step is idempotent: a second run changes nothing and says so.

Options:
  --dry-run   run the read-only probes; print every command and manifest; change nothing
  -h, --help  show this help"
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      -h | --help)
        printf '%s\n' "$usage"
        exit 0
        ;;
      --dry-run) DRY_RUN=1 ;;
      -*) die 2 "unknown option $1"$'\n'"$usage" ;;
      *)
        [ -z "$CLUSTER" ] || die 2 "one cluster at a time, got $CLUSTER and $1"
        CLUSTER=$1
        ;;
    esac
    shift
  done
  [ -n "$CLUSTER" ] || die 2 "name the cluster"$'\n'"$usage"
}

# Reads bootstrap/<cluster>/facts.env and works from the repository root (the facts' paths are relative to it).
load_facts() {
  [[ "$CLUSTER" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die 2 "\"$CLUSTER\" is not a cluster name"
  local facts="bootstrap/$CLUSTER/facts.env"
  [ -f "$REPO_ROOT/$facts" ] || die 2 "cluster $CLUSTER has no bootstrap ($facts is missing): declare bootstrap in clusters/$CLUSTER/cluster.ts and run npm run generate"
  cd "$REPO_ROOT" || exit 2
  # shellcheck source=local/facts.env
  . "$facts"
  # K3s writes its own kubeconfig: kubectl and flux must read it before their first call.
  if [ -n "${K3S_KUBECONFIG:-}" ]; then export KUBECONFIG="$K3S_KUBECONFIG"; fi
}

step() {
  STEP_COUNTED=0
  echo "== $*"
}

quote_cmd() {
  local out="" arg
  for arg in "$@"; do out+=" $(printf '%q' "$arg")"; done
  printf '%s' "${out# }"
}

# run COMMAND...: the one way a step changes anything.
run() {
  if [ "$STEP_COUNTED" = 0 ]; then
    CHANGES=$((CHANGES + 1))
    STEP_COUNTED=1
  fi
  echo "+ $(quote_cmd "$@")"
  if [ "$DRY_RUN" = 0 ]; then "$@"; fi
}

unchanged() { echo "= $*"; }
warn() { echo "! $*"; }
show_file() { sed 's/^/  | /' "$1"; }

# The version a tool reports, as vX.Y.Z (empty when it does not say).
tool_version() {
  local out
  case "$1" in
    kind) out=$(kind version 2>/dev/null) ;;
    kubectl) out=$(kubectl version --client 2>/dev/null) ;;
    helm) out=$(helm version --short 2>/dev/null) ;;
    flux) out=$(flux version --client 2>/dev/null) ;;
    tofu) out=$(tofu version 2>/dev/null) ;;
    k3s) out=$(k3s --version 2>/dev/null) ;;
    *) return 0 ;;
  esac
  out=$(printf '%s\n' "$out" | grep -oE 'v?[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)
  [ -z "$out" ] || printf 'v%s\n' "${out#v}"
}

# version_at_least HAVE WANT
version_at_least() {
  [ -n "$1" ] && [ "$(printf '%s\n%s\n' "${2#v}" "${1#v}" | sort -V | head -n 1)" = "${2#v}" ]
}

cluster_exists() {
  case "$DISTRIBUTION" in
    kind) kind get clusters 2>/dev/null | grep -qx "$CLUSTER" ;;
    k3s) k3s --version >/dev/null 2>&1 ;;
    *) kubectl config get-contexts -o name 2>/dev/null | grep -qx "$KUBE_CONTEXT" ;;
  esac
}

# Refuses any kube context but the cluster's own, and a context of that name that does not reach its nodes.
check_context() {
  local current
  current=$(kubectl config current-context 2>/dev/null || true)
  if [ "$current" != "$KUBE_CONTEXT" ]; then
    die 1 "the current kube context is \"${current:-none}\", not \"$KUBE_CONTEXT\" (cluster $CLUSTER${KUBECONFIG:+, kubeconfig $KUBECONFIG}): refusing to touch it. Switch with: kubectl config use-context $KUBE_CONTEXT"
  fi
  # The context's name could point anywhere: the cluster must also have a node only it has.
  if [ -z "$(kubectl --context "$KUBE_CONTEXT" get nodes --selector "$IDENTITY_NODE_SELECTOR" --output name 2>/dev/null)" ]; then
    die 1 "the kube context $KUBE_CONTEXT does not reach cluster $CLUSTER (no node labelled $IDENTITY_NODE_SELECTOR): refusing to touch it"
  fi
  unchanged "kube context $KUBE_CONTEXT is cluster $CLUSTER"
}

step_preflight() {
  step "pre-flight: tools and kube context for cluster $CLUSTER"
  local spec name want have problems=()
  for spec in $REQUIRED_TOOLS; do
    name=${spec%%[>=]*}
    if ! command -v "$name" >/dev/null 2>&1; then
      problems+=("$name is not installed")
      continue
    fi
    have=$(tool_version "$name")
    case "$spec" in
      *'>='*)
        want=${spec#*>=}
        if version_at_least "$have" "$want"; then unchanged "$name $have (at least $want)"; else problems+=("$name is ${have:-of an unknown version}, older than $want"); fi
        ;;
      *=*)
        want=${spec#*=}
        if [ "$have" = "$want" ]; then unchanged "$name $have (pinned)"; else problems+=("$name is ${have:-of an unknown version}, but the cluster pins $want"); fi
        ;;
      *) unchanged "$name" ;;
    esac
  done
  if [ ${#problems[@]} -gt 0 ]; then
    local problem
    for problem in "${problems[@]}"; do
      if [ "$DRY_RUN" = 1 ]; then warn "$problem (a real run stops here)"; else echo "bootstrap: $problem" >&2; fi
    done
    [ "$DRY_RUN" = 1 ] || die 1 "pre-flight failed for cluster $CLUSTER"
  fi
  if cluster_exists; then
    check_context
  else
    unchanged "cluster $CLUSTER does not exist yet: the next step creates it"
  fi
}

step_kind_network() {
  step "docker network $KIND_NETWORK ($KIND_NETWORK_SUBNET)"
  local subnets
  if subnets=$(docker network inspect "$KIND_NETWORK" --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null); then
    case " $subnets " in
      *" $KIND_NETWORK_SUBNET "*) unchanged "docker network $KIND_NETWORK has $KIND_NETWORK_SUBNET" ;;
      *) die 1 "docker network $KIND_NETWORK has ${subnets% }, not $KIND_NETWORK_SUBNET as clusters/$CLUSTER/cluster.ts declares (MetalLB hands out $METALLB_RANGES): remove it (docker network rm $KIND_NETWORK) while no kind cluster uses it" ;;
    esac
  else
    run docker network create --driver bridge --subnet "$KIND_NETWORK_SUBNET" "$KIND_NETWORK"
  fi
}

step_kind_cluster() {
  step "kind cluster $CLUSTER ($KIND_NODE_IMAGE)"
  if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
    local image
    image=$(docker inspect "$CLUSTER-control-plane" --format '{{.Config.Image}}' 2>/dev/null || true)
    if [ -n "$image" ] && [ "$image" != "$KIND_NODE_IMAGE" ]; then
      warn "kind cluster $CLUSTER runs $image, not the pinned $KIND_NODE_IMAGE: kind delete cluster --name $CLUSTER, then run this again"
    fi
    unchanged "kind cluster $CLUSTER exists"
  else
    run kind create cluster --name "$CLUSTER" --config "$KIND_CONFIG" --wait 120s
    show_file "$KIND_CONFIG"
    CLUSTER_PLANNED=$DRY_RUN
  fi
}

step_k3s() {
  step "K3s $K3S_VERSION"
  local have
  have=$(k3s --version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+\+k3s[0-9]+' | head -n 1 || true)
  if [ "$have" = "$K3S_VERSION" ]; then
    unchanged "K3s $K3S_VERSION is installed"
    return
  fi
  [ -z "$have" ] || warn "K3s $have is installed: the installer of $K3S_VERSION upgrades it in place"
  # The installer script of the pinned release itself (get.k3s.io serves the newest one).
  local installer="${TMPDIR:-/tmp}/k3s-install-$CLUSTER.sh" args=(server) component
  for component in $K3S_DISABLE; do args+=(--disable "$component"); done
  args+=(--cluster-cidr "$K3S_CLUSTER_CIDR" --service-cidr "$K3S_SERVICE_CIDR")
  run curl -sfL -o "$installer" "https://raw.githubusercontent.com/k3s-io/k3s/${K3S_VERSION/+/%2B}/install.sh"
  run env INSTALL_K3S_VERSION="$K3S_VERSION" sh "$installer" "${args[@]}"
  CLUSTER_PLANNED=$DRY_RUN
}

step_flux() {
  step "Flux $FLUX_VERSION"
  local have=""
  if [ "$CLUSTER_PLANNED" = 0 ]; then
    have=$(kubectl --context "$KUBE_CONTEXT" --namespace flux-system get deployment source-controller \
      --output 'jsonpath={.metadata.labels.app\.kubernetes\.io/version}' 2>/dev/null || true)
  fi
  if [ "$have" = "$FLUX_VERSION" ]; then
    unchanged "Flux $FLUX_VERSION is installed"
    return
  fi
  run flux check --pre --context "$KUBE_CONTEXT"
  run flux install --context "$KUBE_CONTEXT" --version "$FLUX_VERSION"
  run flux check --context "$KUBE_CONTEXT"
}

step_argocd() {
  step "Argo CD: Helm release $ARGOCD_RELEASE of $ARGOCD_CHART $ARGOCD_CHART_VERSION, as its Application has it"
  local installed=""
  if [ "$CLUSTER_PLANNED" = 0 ]; then
    installed=$(helm list --kube-context "$KUBE_CONTEXT" --namespace "$ARGOCD_NAMESPACE" --filter "^$ARGOCD_RELEASE\$" --output yaml 2>/dev/null |
      sed -n 's/^[- ]*chart: //p' | head -n 1 || true)
  fi
  if [ "$installed" = "$ARGOCD_CHART-$ARGOCD_CHART_VERSION" ]; then
    unchanged "Helm release $ARGOCD_RELEASE ($installed) is installed; Argo CD manages it from here"
  elif [ -n "$installed" ]; then
    unchanged "Helm release $ARGOCD_RELEASE ($installed) is installed; its Application moves it to $ARGOCD_CHART-$ARGOCD_CHART_VERSION"
  else
    run helm upgrade --install "$ARGOCD_RELEASE" "$ARGOCD_CHART" --repo "$ARGOCD_CHART_REPO" --version "$ARGOCD_CHART_VERSION" \
      --kube-context "$KUBE_CONTEXT" --namespace "$ARGOCD_NAMESPACE" --create-namespace --values "$ARGOCD_VALUES" --wait --timeout 10m
    show_file "$ARGOCD_VALUES"
  fi
}

step_tofu() {
  step "OpenTofu: $TOFU_DIR (VPC, node pools, managed databases)"
  # Probes: init (providers from the lock file, the remote state) and a plan that says whether anything differs.
  tofu -chdir="$TOFU_DIR" init -input=false >&2 ||
    die 1 "tofu init failed in $TOFU_DIR: the state backend needs TF_VAR_state_bucket and the Spaces keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); see bootstrap/README.md"
  local rc=0
  tofu -chdir="$TOFU_DIR" plan -input=false -detailed-exitcode -out=tfplan >&2 || rc=$?
  case $rc in
    0) unchanged "OpenTofu: the infrastructure matches $TOFU_DIR" ;;
    2) run tofu -chdir="$TOFU_DIR" apply -input=false tfplan ;;
    *) die 1 "tofu plan failed in $TOFU_DIR" ;;
  esac
}

step_kubeconfig() {
  step "kubeconfig: context $KUBE_CONTEXT"
  if kubectl config get-contexts -o name 2>/dev/null | grep -qx "$KUBE_CONTEXT"; then
    unchanged "context $KUBE_CONTEXT exists"
  else
    run doctl kubernetes cluster kubeconfig save "$CLUSTER"
    CLUSTER_PLANNED=$DRY_RUN
  fi
}

step_root() {
  step "root: hand cluster $CLUSTER to $DELIVERY ($ROOT_MANIFEST), last"
  if [ "$CLUSTER_PLANNED" = 0 ] && kubectl --context "$KUBE_CONTEXT" diff --server-side --field-manager gitops-bootstrap -f "$ROOT_MANIFEST" >/dev/null 2>&1; then
    unchanged "$ROOT_MANIFEST is applied as it is in git"
  else
    run kubectl --context "$KUBE_CONTEXT" apply --server-side --field-manager gitops-bootstrap -f "$ROOT_MANIFEST"
    show_file "$ROOT_MANIFEST"
  fi
}

# The steps that create the cluster, per distribution.
steps_cluster() {
  case "$DISTRIBUTION" in
    kind) step_kind_network && step_kind_cluster ;;
    k3s) step_k3s ;;
    doks) step_tofu && step_kubeconfig ;;
    *) die 2 "cluster $CLUSTER: no bootstrap for distribution $DISTRIBUTION" ;;
  esac
}

steps_engine() {
  case "$DELIVERY" in
    argocd) step_argocd ;;
    flux) step_flux ;;
  esac
}

summary() {
  if [ "$CHANGES" = 0 ]; then
    echo "bootstrap $CLUSTER: nothing to do, every step is already done"
  elif [ "$DRY_RUN" = 1 ]; then
    echo "bootstrap $CLUSTER: $CHANGES step(s) would change something (dry run: nothing was run)"
  else
    echo "bootstrap $CLUSTER: $CHANGES step(s) changed something"
  fi
}
