import { formatPath } from "../findings/finding.ts";
import { parseImageRef } from "../lint/image-ref.ts";
import { ALL_CONTAINER_LISTS, containersOf, podSpecOf } from "../lint/pod-spec.ts";
import { groupOf, type KubeObject } from "../model/kube-object.ts";
import { compareQuantities, parseQuantity } from "../validate/quantity.ts";
import { objectKey, ROOT_APP, type ClusterObjects } from "./compare.ts";
import { objectTitle, type AppDiff, type ClusterDiff, type ObjectDiff, type Risk, type RiskClass } from "./model.ts";

const K8S = "https://kubernetes.io/docs";
export const DOCS = {
  selector: `${K8S}/concepts/workloads/controllers/deployment/#label-selector-updates`,
  statefulSet: `${K8S}/concepts/workloads/controllers/statefulset/#limitations`,
  job: `${K8S}/concepts/workloads/controllers/job/`,
  service: `${K8S}/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec`,
  pvcExpand: `${K8S}/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims`,
  pvc: `${K8S}/concepts/storage/persistent-volumes/#persistentvolumeclaims`,
  immutableConfigMap: `${K8S}/concepts/configuration/configmap/#configmap-immutable`,
  immutableSecret: `${K8S}/concepts/configuration/secret/#secret-immutable`,
  crdVersions: `${K8S}/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#upgrade-existing-objects-to-a-new-stored-version`,
  crdDelete: `${K8S}/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#delete-a-customresourcedefinition`,
  namespaceDelete: `${K8S}/concepts/overview/working-with-objects/namespaces/`,
  statefulSetDelete: `${K8S}/tasks/run-application/delete-stateful-set/#persistent-volumes`,
  pruneFalse: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources",
  replace: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#replace-resource-instead-of-applying-changes",
  reclaim: `${K8S}/concepts/storage/persistent-volumes/#reclaiming`,
  replicas: `${K8S}/concepts/workloads/controllers/deployment/#scaling-a-deployment`,
  pdb: `${K8S}/tasks/run-application/configure-pdb/`,
  hpa: `${K8S}/tasks/run-application/horizontal-pod-autoscale/`,
  probes: `${K8S}/concepts/configuration/liveness-readiness-startup-probes/`,
  canary: "https://argo-rollouts.readthedocs.io/en/stable/features/canary/",
  syncWaves: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/",
  rbacEscalation: `${K8S}/concepts/security/rbac-good-practices/#escalation-verbs`,
  rbacWildcard: `${K8S}/concepts/security/rbac-good-practices/#least-privilege`,
  networkPolicy: `${K8S}/concepts/services-networking/network-policies/#default-policies`,
  privileged: `${K8S}/concepts/security/pod-security-standards/#baseline`,
  kyvernoFailureAction: "https://kyverno.io/docs/policy-types/cluster-policy/validate/#failure-action",
  kyvernoException: "https://kyverno.io/docs/exceptions/",
  images: `${K8S}/concepts/containers/images/#image-names`,
  chart: "https://helm.sh/docs/topics/charts/#the-chartyaml-file",
} as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function get(o: unknown, ...path: (string | number)[]): unknown {
  let cur = o;
  for (const p of path) {
    if (typeof p === "number") cur = Array.isArray(cur) ? cur[p] : undefined;
    else cur = isRecord(cur) ? cur[p] : undefined;
  }
  return cur;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const is = (o: ObjectDiff, group: string, ...kinds: string[]) => o.group === group && kinds.includes(o.kind);
const syncOptions = (o: KubeObject | undefined) => String(o?.metadata?.annotations?.["argocd.argoproj.io/sync-options"] ?? "");

interface Context {
  readonly base?: ClusterObjects;
  readonly head?: ClusterObjects;
}

type Emit = (riskClass: RiskClass, rule: string, field: string, reason: string, doc: string) => void;

/** Every risk of one cluster's changes, in a stable order. */
export function clusterRisks(diff: Omit<ClusterDiff, "risks">, context: Context): Risk[] {
  const risks: Risk[] = [];
  for (const app of diff.apps) {
    for (const object of app.objects) {
      const emit: Emit = (riskClass, rule, field, reason, doc) =>
        risks.push({ class: riskClass, rule: `${riskClass}/${rule}`, app: app.name, object: object.key, title: objectTitle(object), field, reason, doc });
      immutable(object, emit);
      dataAtRisk(object, app, context, emit);
      availability(object, context, emit);
      security(object, emit);
      supplyChain(object, context, emit);
    }
  }
  risks.push(...waveRisks(context));
  return risks;
}

function immutable(o: ObjectDiff, emit: Emit): void {
  if (o.change !== "changed") return;
  const { before, after } = o;
  const replace = /Replace=true/.test(syncOptions(after)) ? " Replace=true is set, so Argo CD deletes and recreates it." : " Argo CD needs Replace=true, or the object must be deleted and recreated.";
  if (is(o, "apps", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet") && !same(get(before, "spec", "selector"), get(after, "spec", "selector"))) {
    emit("immutable", "selector", "spec.selector", `spec.selector is immutable: the sync fails.${replace}`, DOCS.selector);
  }
  if (is(o, "apps", "StatefulSet")) {
    for (const field of ["volumeClaimTemplates", "serviceName"]) {
      if (!same(get(before, "spec", field), get(after, "spec", field))) {
        emit("immutable", `statefulset-${field}`, `spec.${field}`, `spec.${field} of a StatefulSet cannot be updated: the sync fails.${replace}`, DOCS.statefulSet);
      }
    }
  }
  if (is(o, "batch", "Job") && !same(get(before, "spec", "template"), get(after, "spec", "template"))) {
    emit("immutable", "job-template", "spec.template", `a Job's pod template is immutable: the sync fails.${replace}`, DOCS.job);
  }
  if (is(o, "", "Service")) {
    const ipBefore = get(before, "spec", "clusterIP");
    const ipAfter = get(after, "spec", "clusterIP");
    if (!same(ipBefore, ipAfter) && (ipBefore !== undefined || ipAfter === "None")) {
      emit("immutable", "service-clusterip", "spec.clusterIP", `spec.clusterIP (${String(ipBefore ?? "assigned")} → ${String(ipAfter ?? "assigned")}) cannot be changed in place: the Service must be recreated.`, DOCS.service);
    }
    const typeBefore = get(before, "spec", "type") ?? "ClusterIP";
    const typeAfter = get(after, "spec", "type") ?? "ClusterIP";
    if (typeBefore !== typeAfter && (typeBefore === "ExternalName" || typeAfter === "ExternalName" || ipAfter === "None")) {
      emit("immutable", "service-type", "spec.type", `spec.type ${String(typeBefore)} → ${String(typeAfter)} needs the Service recreated (the cluster IP is allocated or released).`, DOCS.service);
    }
  }
  if (is(o, "", "PersistentVolumeClaim")) {
    if (!same(get(before, "spec", "storageClassName"), get(after, "spec", "storageClassName"))) {
      emit("immutable", "pvc-storageclass", "spec.storageClassName", "a PVC's storageClassName is immutable: the claim must be recreated, and its data with it.", DOCS.pvc);
    }
    const sizeBefore = parseQuantity(String(get(before, "spec", "resources", "requests", "storage") ?? ""));
    const sizeAfter = parseQuantity(String(get(after, "spec", "resources", "requests", "storage") ?? ""));
    if (sizeBefore && sizeAfter && compareQuantities(sizeAfter, sizeBefore) < 0) {
      emit("immutable", "pvc-shrink", "spec.resources.requests.storage", "a PVC cannot shrink: the API server rejects a smaller storage request.", DOCS.pvcExpand);
    }
  }
  if (is(o, "", "ConfigMap", "Secret") && get(before, "immutable") === true) {
    for (const field of ["data", "binaryData", "stringData", "immutable"]) {
      if (!same(get(before, field), get(after, field))) {
        emit("immutable", "immutable-data", field, `the ${o.kind} is immutable: its ${field} cannot change; give it a new name instead.`, o.kind === "Secret" ? DOCS.immutableSecret : DOCS.immutableConfigMap);
        break;
      }
    }
  }
  if (is(o, "apiextensions.k8s.io", "CustomResourceDefinition")) {
    const names = (x: unknown) => (Array.isArray(get(x, "spec", "versions")) ? (get(x, "spec", "versions") as unknown[]).map((v) => String(get(v, "name"))) : []);
    const kept = new Set(names(after));
    for (const version of names(before).filter((v) => !kept.has(v))) {
      emit("immutable", "crd-version-removed", "spec.versions", `version ${version} is removed: objects stored at it must be migrated first, or the API server refuses the CRD (status.storedVersions).`, DOCS.crdVersions);
    }
  }
}

function autoPrune(app: string, context: Context): boolean {
  const application = context.base?.apps.find((a) => a.name === ROOT_APP)?.objects.find((o) => o.kind === "Application" && o.metadata?.name === app);
  if (!application) return false;
  return get(application, "spec", "syncPolicy", "automated", "prune") === true;
}

function dataAtRisk(o: ObjectDiff, app: AppDiff, context: Context, emit: Emit): void {
  if (o.change === "removed") {
    const protectedFromPrune = /Prune=false/.test(syncOptions(o.before));
    const prune = protectedFromPrune
      ? " (Prune=false: Argo CD leaves it in the cluster, out of sync)"
      : autoPrune(app.name, context)
        ? " Argo CD prunes it automatically (no Prune=false)."
        : " A sync with prune deletes it (no Prune=false).";
    const reasons: Record<string, [string, string]> = {
      "/PersistentVolumeClaim": ["the claim is deleted, and with a Delete reclaim policy its volume and data.", DOCS.pvc],
      "apps/StatefulSet": ["the StatefulSet is deleted; its pods go, and its claims stay only until someone cleans up.", DOCS.statefulSetDelete],
      "/Namespace": ["deleting a Namespace deletes every object in it.", DOCS.namespaceDelete],
      "apiextensions.k8s.io/CustomResourceDefinition": ["deleting a CRD deletes every custom resource of that kind.", DOCS.crdDelete],
    };
    const found = reasons[`${o.group}/${o.kind}`];
    if (found && !protectedFromPrune) emit("data-at-risk", `delete-${o.kind.toLowerCase()}`, "", `${found[0]}${prune}`, found[1]);
    return;
  }
  if (is(o, "", "PersistentVolume") && get(o.after, "spec", "persistentVolumeReclaimPolicy") === "Delete" && get(o.before, "spec", "persistentVolumeReclaimPolicy") !== "Delete") {
    emit("data-at-risk", "reclaim-delete", "spec.persistentVolumeReclaimPolicy", "reclaim policy Delete: the volume's data is deleted with its claim.", DOCS.reclaim);
  }
}

const SCALABLE: Record<string, string[]> = { apps: ["Deployment", "StatefulSet", "ReplicaSet"], "argoproj.io": ["Rollout"] };

function matches(selector: unknown, labels: Record<string, string>): boolean {
  const matchLabels = get(selector, "matchLabels");
  if (!isRecord(matchLabels) || Object.keys(matchLabels).length === 0) return false;
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}

function availability(o: ObjectDiff, context: Context, emit: Emit): void {
  if (o.change === "removed" && is(o, "autoscaling", "HorizontalPodAutoscaler")) {
    emit("availability", "hpa-removed", "", "the HorizontalPodAutoscaler is removed: the workload no longer scales with load.", DOCS.hpa);
  }
  if (o.change !== "changed" && o.change !== "added") return;
  const { before, after } = o;
  if ((SCALABLE[o.group] ?? []).includes(o.kind) && after) {
    const replicas = get(after, "spec", "replicas");
    const previous = get(before, "spec", "replicas");
    if (replicas === 0 && previous !== 0 && o.change === "changed") {
      emit("availability", "replicas-zero", "spec.replicas", `replicas ${previous === undefined ? "1 (default)" : String(previous)} → 0: the workload stops serving.`, DOCS.replicas);
    } else if (typeof replicas === "number" && replicas !== previous) {
      const pod = podSpecOf(after);
      const namespace = after.metadata?.namespace;
      const pdbs = (context.head?.apps ?? []).flatMap((a) => a.objects).filter((p) => p.kind === "PodDisruptionBudget" && p.metadata?.namespace === namespace);
      for (const pdb of pdbs) {
        const min = get(pdb, "spec", "minAvailable");
        if (typeof min === "number" && pod && matches(get(pdb, "spec", "selector"), pod.labels) && replicas < min) {
          emit("availability", "below-pdb", "spec.replicas", `replicas ${replicas} is below PodDisruptionBudget ${pdb.metadata.name}'s minAvailable ${min}: no voluntary disruption (drain, upgrade) can proceed.`, DOCS.pdb);
        }
      }
    }
  }
  if (o.change === "changed" && before && after) {
    const podBefore = podSpecOf(before);
    const podAfter = podSpecOf(after);
    if (podBefore && podAfter) {
      const afterContainers = new Map(containersOf(podAfter, ["containers"]).map((c) => [c.container.name, c]));
      for (const c of containersOf(podBefore, ["containers"])) {
        const now = afterContainers.get(c.container.name);
        if (!now) continue;
        for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
          if (c.container[probe] !== undefined && now.container[probe] === undefined) {
            emit("availability", "probe-removed", `${formatPath(now.path)}.${probe}`, `${c.label} loses its ${probe}: ${probe === "readinessProbe" ? "traffic reaches pods before they are ready" : "a hung container is no longer restarted"}.`, DOCS.probes);
          }
        }
      }
    }
    if (is(o, "argoproj.io", "Rollout") && get(before, "spec", "strategy", "canary") !== undefined && get(after, "spec", "strategy", "canary") === undefined) {
      emit("availability", "canary-dropped", "spec.strategy.canary", "the Rollout no longer uses its canary: a new version reaches all traffic without analysis.", DOCS.canary);
    }
  }
}

const ESCALATING = ["bind", "escalate", "impersonate"];
const BROAD_SUBJECTS = new Set(["system:authenticated", "system:unauthenticated", "system:serviceaccounts"]);

function ruleTokens(o: KubeObject | undefined): Set<string> {
  const out = new Set<string>();
  const rules = get(o, "rules");
  if (!Array.isArray(rules)) return out;
  for (const rule of rules) {
    for (const field of ["verbs", "resources", "apiGroups", "nonResourceURLs"]) {
      const values = get(rule, field);
      if (!Array.isArray(values)) continue;
      for (const v of values) {
        if (v === "*") out.add(`${field}:*`);
        if (field === "verbs" && ESCALATING.includes(String(v))) out.add(`verbs:${String(v)}`);
      }
    }
  }
  return out;
}

function broadSubjects(o: KubeObject | undefined): string[] {
  const subjects = get(o, "subjects");
  const out: string[] = [];
  if (Array.isArray(subjects)) for (const s of subjects) if (BROAD_SUBJECTS.has(String(get(s, "name")))) out.push(`${String(get(s, "kind"))} ${String(get(s, "name"))}`);
  if (get(o, "roleRef", "name") === "cluster-admin") out.push("roleRef cluster-admin");
  return out;
}

function isDefaultDeny(o: KubeObject | undefined): boolean {
  const selector = get(o, "spec", "podSelector");
  if (!isRecord(selector) || Object.keys(selector).some((k) => isRecord(selector[k]) ? Object.keys(selector[k] as object).length > 0 : Array.isArray(selector[k]) && (selector[k] as unknown[]).length > 0)) return false;
  const types = get(o, "spec", "policyTypes");
  return Array.isArray(types) && types.some((t) => (t === "Ingress" && !Array.isArray(get(o, "spec", "ingress"))) || (t === "Egress" && !Array.isArray(get(o, "spec", "egress"))) || (Array.isArray(get(o, "spec", t.toLowerCase())) && (get(o, "spec", t.toLowerCase()) as unknown[]).length === 0));
}

/** The ways a NetworkPolicy lets traffic through: allow-all rules and wide ipBlocks, as words. */
function openings(o: KubeObject | undefined): Set<string> {
  const out = new Set<string>();
  for (const [direction, peers] of [["ingress", "from"], ["egress", "to"]] as const) {
    const rules = get(o, "spec", direction);
    if (!Array.isArray(rules)) continue;
    for (const rule of rules) {
      const list = get(rule, peers);
      if (!Array.isArray(list) || list.length === 0) out.add(`${direction} from anywhere${get(rule, "ports") ? " (on some ports)" : ""}`);
      else for (const peer of list) {
        const cidr = get(peer, "ipBlock", "cidr");
        if (cidr === "0.0.0.0/0" || cidr === "::/0") out.add(`${direction} ${peers} ${cidr}`);
        if (isRecord(get(peer, "namespaceSelector")) && Object.keys(get(peer, "namespaceSelector") as object).length === 0) out.add(`${direction} ${peers} every namespace`);
      }
    }
  }
  for (const t of Array.isArray(get(o, "spec", "policyTypes")) ? [] : ["no policyTypes"]) out.add(t);
  return out;
}

function podRisks(o: KubeObject | undefined): Set<string> {
  const out = new Set<string>();
  const pod = o && podSpecOf(o);
  if (!pod) return out;
  for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
    if (get(c.container, "securityContext", "privileged") === true) out.add(`privileged:${c.label}:${formatPath(c.path)}.securityContext.privileged`);
  }
  const volumes = pod.spec.volumes;
  if (Array.isArray(volumes)) volumes.forEach((v, i) => {
    if (get(v, "hostPath") !== undefined) out.add(`hostPath:volume ${JSON.stringify(get(v, "name"))}:${formatPath([...pod.path, "volumes", i])}.hostPath`);
  });
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (pod.spec[field] === true) out.add(`${field}:pod:${formatPath([...pod.path, field])}`);
  return out;
}

function failureActions(o: KubeObject | undefined): string[] {
  const out: string[] = [];
  const top = get(o, "spec", "validationFailureAction");
  if (typeof top === "string") out.push(`spec.validationFailureAction=${top}`);
  const rules = get(o, "spec", "rules");
  if (Array.isArray(rules)) rules.forEach((r, i) => {
    const action = get(r, "validate", "failureAction") ?? get(r, "validate", "validationFailureAction");
    if (typeof action === "string") out.push(`spec.rules[${i}].validate.failureAction=${action}`);
  });
  return out;
}

function security(o: ObjectDiff, emit: Emit): void {
  const { before, after } = o;
  if (!after) {
    if (is(o, "networking.k8s.io", "NetworkPolicy")) {
      emit("security", isDefaultDeny(before) ? "default-deny-removed" : "networkpolicy-removed", "", isDefaultDeny(before) ? "a default-deny NetworkPolicy is removed: every pod in the namespace accepts all traffic." : "a NetworkPolicy is removed: the traffic it limited is allowed.", DOCS.networkPolicy);
    }
    return;
  }
  if (is(o, "rbac.authorization.k8s.io", "Role", "ClusterRole")) {
    const had = ruleTokens(before);
    for (const token of ruleTokens(after)) {
      if (had.has(token)) continue;
      const [field, value] = token.split(":");
      emit("security", value === "*" ? "rbac-wildcard" : "rbac-escalation", `rules[].${field}`, value === "*" ? `${o.kind} gains "*" in ${field}: it grants everything, including what is added later.` : `${o.kind} gains the "${value}" verb: it lets its holders gain permissions they do not have.`, value === "*" ? DOCS.rbacWildcard : DOCS.rbacEscalation);
    }
  }
  if (is(o, "rbac.authorization.k8s.io", "ClusterRoleBinding", "RoleBinding")) {
    const had = new Set(broadSubjects(before));
    for (const subject of broadSubjects(after).filter((s) => !had.has(s))) {
      emit("security", "broad-binding", subject.startsWith("roleRef") ? "roleRef" : "subjects", `${o.kind} binds ${subject.startsWith("roleRef") ? "cluster-admin" : subject}: ${subject.startsWith("roleRef") ? "full control of the cluster" : "every such identity gets the role"}.`, DOCS.rbacWildcard);
    }
  }
  if (is(o, "networking.k8s.io", "NetworkPolicy") && before) {
    if (isDefaultDeny(before) && !isDefaultDeny(after)) emit("security", "default-deny-removed", "spec", "the NetworkPolicy no longer denies by default.", DOCS.networkPolicy);
    const had = openings(before);
    for (const opening of openings(after)) if (!had.has(opening)) emit("security", "networkpolicy-loosened", "spec", `the NetworkPolicy now allows ${opening}.`, DOCS.networkPolicy);
  }
  const had = new Set([...podRisks(before)].map((r) => r.split(":").slice(0, 2).join(":")));
  for (const risk of podRisks(after)) {
    const [what, who, field] = risk.split(":");
    if (had.has(`${what}:${who}`)) continue;
    emit("security", what === "privileged" ? "privileged" : "host-access", field, `${who} gets ${what === "privileged" ? "privileged mode: root on the node" : what === "hostPath" ? "a hostPath volume: the node's files" : `${what}: the node's namespaces`}.`, DOCS.privileged);
  }
  if (o.group === "kyverno.io" && (o.kind === "ClusterPolicy" || o.kind === "Policy") && before) {
    const was = new Map(failureActions(before).map((a) => a.split("=") as [string, string]));
    for (const [field, action] of failureActions(after).map((a) => a.split("=") as [string, string])) {
      if (/^audit$/i.test(action) && /^enforce$/i.test(was.get(field) ?? "")) emit("security", "kyverno-audit", field, "the policy moves from Enforce to Audit: violations are reported, no longer blocked.", DOCS.kyvernoFailureAction);
    }
  }
  if (o.change === "added" && o.kind === "PolicyException" && o.group === "kyverno.io") {
    emit("security", "exception-added", "", "a Kyverno PolicyException is added: matching objects skip the named policies.", DOCS.kyvernoException);
  }
}

function images(o: KubeObject | undefined): Map<string, { image: string; field: string }> {
  const out = new Map<string, { image: string; field: string }>();
  const pod = o && podSpecOf(o);
  if (!pod) return out;
  for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) if (typeof c.container.image === "string") out.set(c.label, { image: c.container.image, field: `${formatPath(c.path)}.image` });
  return out;
}

function registries(side: ClusterObjects | undefined): Set<string> {
  const out = new Set<string>();
  for (const o of (side?.apps ?? []).flatMap((a) => a.objects)) for (const { image } of images(o).values()) out.add(parseImageRef(image).registry);
  return out;
}

const registryCache = new WeakMap<object, Set<string>>();

function chartSources(o: KubeObject | undefined): Map<string, { chart: string; version: string }> {
  const out = new Map<string, { chart: string; version: string }>();
  if (!o) return out;
  if (o.kind === "Application" && groupOf(o.apiVersion) === "argoproj.io") {
    const spec = o.spec as { source?: unknown; sources?: unknown[] } | undefined;
    const sources = spec?.sources ?? (spec?.source ? [spec.source] : []);
    for (const s of sources) {
      const chart = get(s, "chart");
      if (typeof chart === "string") out.set(`${String(get(s, "repoURL"))}|${chart}`, { chart, version: String(get(s, "targetRevision") ?? "") });
    }
  }
  if (o.kind === "HelmRelease" && groupOf(o.apiVersion) === "helm.toolkit.fluxcd.io") {
    const chart = get(o, "spec", "chart", "spec", "chart");
    if (typeof chart === "string") out.set(chart, { chart, version: String(get(o, "spec", "chart", "spec", "version") ?? "") });
  }
  return out;
}

/** The app version a rendered chart declares on its objects (`app.kubernetes.io/version` beside `helm.sh/chart: <chart>-<version>`). */
function appVersionOf(side: ClusterObjects | undefined, chart: string, version: string): string | undefined {
  for (const o of (side?.apps ?? []).flatMap((a) => a.objects)) {
    const labels = o.metadata?.labels;
    if (labels?.["helm.sh/chart"] === `${chart}-${version}` && labels["app.kubernetes.io/version"]) return labels["app.kubernetes.io/version"];
  }
  return undefined;
}

function supplyChain(o: ObjectDiff, context: Context, emit: Emit): void {
  const before = images(o.before);
  let known = context.base ? registryCache.get(context.base) : undefined;
  if (!known) {
    known = registries(context.base);
    if (context.base) registryCache.set(context.base, known);
  }
  for (const [who, { image, field }] of images(o.after)) {
    const was = before.get(who)?.image;
    const registry = parseImageRef(image).registry;
    if (was !== undefined && was !== image) {
      emit("supply-chain", "image-changed", field, `${who} image ${was} → ${image}.`, DOCS.images);
    }
    if (!known.has(registry) && (was === undefined || parseImageRef(was).registry !== registry)) {
      emit("supply-chain", "new-registry", field, `${who} pulls from ${registry}, a registry the cluster did not use before (${image}).`, DOCS.images);
    }
  }
  const chartsBefore = chartSources(o.before);
  for (const [key, now] of chartSources(o.after)) {
    const was = chartsBefore.get(key);
    if (!was || was.version === now.version) continue;
    const appBefore = appVersionOf(context.base, was.chart, was.version);
    const appAfter = appVersionOf(context.head, now.chart, now.version);
    const apps = appBefore || appAfter ? `; app version ${appBefore ?? "?"} → ${appAfter ?? "?"}` : "; app version not known (the chart is not rendered)";
    emit("supply-chain", "chart-version", o.kind === "HelmRelease" ? "spec.chart.spec.version" : "spec.sources[].targetRevision", `chart ${now.chart} ${was.version} → ${now.version}${apps}.`, DOCS.chart);
  }
}

/** What an object needs to exist before it is applied: its kind's CRD, its namespace, what its pods mount or read. */
interface Dependency {
  /** The provider's key: `crd:<group>/<Kind>` or `<Kind>/<namespace>/<name>`. */
  readonly key: string;
  /** How a message names the provider: "the Widget CRD", "Secret shop/db". */
  readonly what: string;
  /** What goes wrong while it is missing. */
  readonly consequence: string;
}

const POD_KINDS: Record<string, readonly string[]> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  Rollout: ["spec", "template", "spec"],
};

const OBJECT_SYNC_WAVE = "argocd.argoproj.io/sync-wave";

function objectWave(o: KubeObject, engine: ClusterObjects["engine"]): number {
  if (engine === "flux") return 0;
  const wave = Number(o.metadata?.annotations?.[OBJECT_SYNC_WAVE] ?? "0");
  return Number.isFinite(wave) ? wave : 0;
}

function dependencies(o: KubeObject): Dependency[] {
  const out: Dependency[] = [];
  const group = groupOf(o.apiVersion ?? "");
  if (o.kind !== "CustomResourceDefinition" && group) {
    out.push({ key: `crd:${group}/${o.kind}`, what: `the ${o.kind} CRD`, consequence: "the sync fails until the CRD exists" });
  }
  const namespace = o.metadata?.namespace;
  if (namespace && o.kind !== "Namespace") out.push({ key: `Namespace//${namespace}`, what: `Namespace ${namespace}`, consequence: "the sync fails until the namespace exists" });
  const podPath = group === "" || group === "apps" || group === "batch" || group === "argoproj.io" ? POD_KINDS[o.kind] : undefined;
  const pod = podPath ? get(o, ...podPath) : undefined;
  if (!namespace || !isRecord(pod)) return out;
  const ref = (kind: string, name: unknown, consequence: string, optional?: unknown) => {
    if (typeof name === "string" && name && optional !== true) out.push({ key: `${kind}/${namespace}/${name}`, what: `${kind} ${namespace}/${name}`, consequence });
  };
  const notStarting = "its pods cannot start until it exists";
  if (typeof pod.serviceAccountName === "string") ref("ServiceAccount", pod.serviceAccountName, "its pods are refused until it exists");
  for (const s of (pod.imagePullSecrets as { name?: string }[] | undefined) ?? []) ref("Secret", s?.name, "its images cannot be pulled until it exists");
  for (const v of (pod.volumes as Record<string, unknown>[] | undefined) ?? []) {
    ref("Secret", get(v, "secret", "secretName"), notStarting, get(v, "secret", "optional"));
    ref("ConfigMap", get(v, "configMap", "name"), notStarting, get(v, "configMap", "optional"));
    ref("PersistentVolumeClaim", get(v, "persistentVolumeClaim", "claimName"), "its pods stay Pending until it exists");
    for (const source of (get(v, "projected", "sources") as Record<string, unknown>[] | undefined) ?? []) {
      ref("Secret", get(source, "secret", "name"), notStarting, get(source, "secret", "optional"));
      ref("ConfigMap", get(source, "configMap", "name"), notStarting, get(source, "configMap", "optional"));
    }
  }
  const containers = [...((pod.initContainers as unknown[]) ?? []), ...((pod.containers as unknown[]) ?? [])];
  for (const c of containers) {
    for (const from of (get(c, "envFrom") as Record<string, unknown>[] | undefined) ?? []) {
      ref("Secret", get(from, "secretRef", "name"), notStarting, get(from, "secretRef", "optional"));
      ref("ConfigMap", get(from, "configMapRef", "name"), notStarting, get(from, "configMapRef", "optional"));
    }
    for (const env of (get(c, "env") as Record<string, unknown>[] | undefined) ?? []) {
      ref("Secret", get(env, "valueFrom", "secretKeyRef", "name"), notStarting, get(env, "valueFrom", "secretKeyRef", "optional"));
      ref("ConfigMap", get(env, "valueFrom", "configMapKeyRef", "name"), notStarting, get(env, "valueFrom", "configMapKeyRef", "optional"));
    }
  }
  return out;
}

/** Where an object is applied: its Application's wave, then its own sync wave inside the Application. */
interface Position {
  readonly app: string;
  readonly appWave: number;
  readonly objectWave: number;
}

/** The providers of one side: CRDs by group and kind, and namespaces, Secrets, ConfigMaps, ServiceAccounts, PVCs by name. */
function providers(side: ClusterObjects): Map<string, Position> {
  const out = new Map<string, Position>();
  for (const app of side.apps) {
    if (app.name === ROOT_APP) continue;
    for (const o of app.objects) {
      const at = { app: app.name, appWave: app.wave ?? 0, objectWave: objectWave(o, side.engine) };
      if (o.kind === "CustomResourceDefinition") {
        const group = get(o, "spec", "group");
        const kind = get(o, "spec", "names", "kind");
        if (typeof group === "string" && typeof kind === "string") out.set(`crd:${group}/${kind}`, at);
      } else if (groupOf(o.apiVersion ?? "") === "" && ["Namespace", "Secret", "ConfigMap", "ServiceAccount", "PersistentVolumeClaim"].includes(o.kind)) {
        out.set(`${o.kind}/${o.kind === "Namespace" ? "" : (o.metadata?.namespace ?? "")}/${o.metadata?.name ?? ""}`, at);
      }
    }
  }
  return out;
}

/**
 * Whether the consumer is applied before (or, in another Application of the same wave, at the same time as)
 * what it needs: Applications sync wave by wave, those of one wave together; inside one Application, objects
 * sync by their own wave, and within a wave kinds such as Namespace, CRD, ServiceAccount, ConfigMap, Secret
 * and PVC go before workloads.
 */
function tooEarly(consumer: Position, provider: Position): boolean {
  if (consumer.app !== provider.app) return consumer.appWave <= provider.appWave;
  return consumer.objectWave < provider.objectWave;
}

/**
 * The namespaces an Application's engine creates before applying it: Argo CD's destination namespace with
 * CreateNamespace=true, and a Flux HelmRelease's target namespace with install.createNamespace.
 */
function createdNamespaces(side: ClusterObjects): Set<string> {
  const out = new Set<string>();
  for (const o of side.apps.find((a) => a.name === ROOT_APP)?.objects ?? []) {
    if (o.kind !== "Application") continue;
    const options = get(o, "spec", "syncPolicy", "syncOptions");
    const namespace = get(o, "spec", "destination", "namespace");
    if (Array.isArray(options) && options.includes("CreateNamespace=true") && typeof namespace === "string") out.add(`${o.metadata.name}|${namespace}`);
  }
  for (const app of side.apps) {
    for (const o of app.objects) {
      if (o.kind !== "HelmRelease" || get(o, "spec", "install", "createNamespace") !== true) continue;
      const namespace = get(o, "spec", "targetNamespace") ?? o.metadata?.namespace;
      if (typeof namespace === "string") out.add(`${app.name}|${namespace}`);
    }
  }
  return out;
}

/**
 * A sync-wave change that puts a consumer before what it needs: the CRD of its kind, its namespace, or the
 * Secret, ConfigMap, ServiceAccount or PVC its pods use. Flagged when the head applies it too early and the
 * base did not (a new object, or a new order).
 */
function waveRisks(context: Context): Risk[] {
  const { base, head } = context;
  if (!base || !head) return [];
  const headProviders = providers(head);
  const baseProviders = providers(base);
  const baseObjects = new Map(base.apps.flatMap((a) => a.objects.map((o) => [`${a.name}|${objectKey(o)}`, { app: a.name, appWave: a.wave ?? 0, objectWave: objectWave(o, base.engine) }] as const)));
  const created = createdNamespaces(head);
  const risks: Risk[] = [];
  const seen = new Set<string>();
  const order: string[] = [];
  const others = new Map<string, number>();
  for (const app of head.apps) {
    if (app.name === ROOT_APP) continue;
    for (const o of app.objects) {
      const at: Position = { app: app.name, appWave: app.wave ?? 0, objectWave: objectWave(o, head.engine) };
      for (const dependency of dependencies(o)) {
        const provider = headProviders.get(dependency.key);
        if (!provider || !tooEarly(at, provider)) continue;
        if (dependency.key.startsWith("Namespace/") && created.has(`${app.name}|${o.metadata?.namespace}`)) continue;
        const wasAt = baseObjects.get(`${app.name}|${objectKey(o)}`);
        const wasProvider = baseProviders.get(dependency.key);
        if (wasAt && wasProvider && tooEarly(wasAt, wasProvider)) continue;
        const crossApp = provider.app !== app.name;
        // One risk per Application and what it needs from another one, naming the first object that needs it.
        const id = crossApp ? `${app.name}|${provider.app}|${dependency.key}` : `${objectKey(o)}|${dependency.key}`;
        if (seen.has(id)) {
          others.set(id, (others.get(id) ?? 0) + 1);
          continue;
        }
        seen.add(id);
        order.push(id);
        const title = objectTitle({ kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name ?? "" });
        const reason = crossApp
          ? dependency.key.startsWith("crd:")
            ? `Application ${app.name} (wave ${at.appWave}) now syncs ${at.appWave === provider.appWave ? "with" : "before"} ${provider.app} (wave ${provider.appWave}), which installs ${dependency.what}: ${dependency.consequence}.`
            : `Application ${app.name} (wave ${at.appWave}) now syncs ${at.appWave === provider.appWave ? "with" : "before"} ${provider.app} (wave ${provider.appWave}), which creates ${dependency.what} that ${title} needs{others}: ${dependency.consequence}.`
          : `${title} (sync wave ${at.objectWave}) is now applied before ${dependency.what} (sync wave ${provider.objectWave}) in Application ${app.name}: ${dependency.consequence}.`;
        risks.push({
          class: "availability",
          rule: "availability/wave-order",
          app: app.name,
          object: objectKey(o),
          title,
          field: `metadata.annotations[${OBJECT_SYNC_WAVE}]`,
          reason,
          doc: DOCS.syncWaves,
        });
      }
    }
  }
  // "that Deployment shop/api needs" becomes "that Deployment shop/api and 3 other objects need".
  return risks.map((risk, k) => {
    const more = others.get(order[k]) ?? 0;
    return { ...risk, reason: risk.reason.replace(" needs{others}:", more ? ` and ${more} other object${more === 1 ? "" : "s"} need:` : " needs:") };
  });
}
