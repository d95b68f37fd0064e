import type { ObjectFinding } from "../findings/finding.ts";
import { formatPath } from "../findings/finding.ts";
import { arrayAt, identityOf, isRecord, podTemplateOf, recordAt, show, type Path, type Record_ } from "./objects.ts";

/**
 * String fields whose values the API server checks against a fixed list ("Unsupported value"), although the
 * OpenAPI schema only says `type: string`. `definition` and `property` name the field in the Kubernetes
 * OpenAPI spec; `listedInSpec` says whether that field's description there lists the values (a test
 * cross-checks those lists against ../shared/upstream/k8s-openapi).
 */
export interface EnumField {
  readonly definition: string;
  readonly property: string;
  readonly values: readonly string[];
  /** The field is a list of such values. */
  readonly list?: boolean;
  readonly listedInSpec: boolean;
}

const core = (name: string) => `io.k8s.api.core.v1.${name}`;
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const TRAFFIC_POLICIES = ["Cluster", "Local"];
const PROFILE_TYPES = ["Localhost", "RuntimeDefault", "Unconfined"];
const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const VOLUME_MODES = ["Block", "Filesystem"];
const UPDATE_STRATEGIES = ["OnDelete", "RollingUpdate"];
export const LABEL_SELECTOR_REQUIREMENT = "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement";

export const ENUM_FIELDS: readonly EnumField[] = [
  { definition: core("ServiceSpec"), property: "type", values: ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"], listedInSpec: true },
  { definition: core("ServiceSpec"), property: "externalTrafficPolicy", values: TRAFFIC_POLICIES, listedInSpec: true },
  { definition: core("ServiceSpec"), property: "internalTrafficPolicy", values: TRAFFIC_POLICIES, listedInSpec: true },
  { definition: core("ServiceSpec"), property: "sessionAffinity", values: ["ClientIP", "None"], listedInSpec: true },
  { definition: core("ServiceSpec"), property: "ipFamilyPolicy", values: ["PreferDualStack", "RequireDualStack", "SingleStack"], listedInSpec: true },
  { definition: core("ServiceSpec"), property: "ipFamilies", values: ["IPv4", "IPv6"], list: true, listedInSpec: true },
  { definition: core("ServicePort"), property: "protocol", values: PROTOCOLS, listedInSpec: true },
  { definition: core("Container"), property: "imagePullPolicy", values: ["Always", "IfNotPresent", "Never"], listedInSpec: true },
  { definition: core("Container"), property: "terminationMessagePolicy", values: ["FallbackToLogsOnError", "File"], listedInSpec: true },
  { definition: core("ContainerPort"), property: "protocol", values: PROTOCOLS, listedInSpec: true },
  { definition: core("PodSpec"), property: "restartPolicy", values: ["Always", "Never", "OnFailure"], listedInSpec: true },
  { definition: core("PodSpec"), property: "dnsPolicy", values: ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"], listedInSpec: true },
  { definition: core("PodSpec"), property: "preemptionPolicy", values: ["Never", "PreemptLowerPriority"], listedInSpec: true },
  { definition: core("PodSecurityContext"), property: "fsGroupChangePolicy", values: ["Always", "OnRootMismatch"], listedInSpec: true },
  { definition: core("SecurityContext"), property: "procMount", values: ["Default", "Unmasked"], listedInSpec: false },
  { definition: core("SeccompProfile"), property: "type", values: PROFILE_TYPES, listedInSpec: true },
  { definition: core("AppArmorProfile"), property: "type", values: PROFILE_TYPES, listedInSpec: true },
  { definition: core("Toleration"), property: "operator", values: ["Equal", "Exists"], listedInSpec: true },
  { definition: core("Toleration"), property: "effect", values: ["NoExecute", "NoSchedule", "PreferNoSchedule"], listedInSpec: true },
  { definition: core("TopologySpreadConstraint"), property: "whenUnsatisfiable", values: ["DoNotSchedule", "ScheduleAnyway"], listedInSpec: true },
  { definition: core("TopologySpreadConstraint"), property: "nodeAffinityPolicy", values: ["Honor", "Ignore"], listedInSpec: true },
  { definition: core("TopologySpreadConstraint"), property: "nodeTaintsPolicy", values: ["Honor", "Ignore"], listedInSpec: true },
  {
    definition: core("HostPathVolumeSource"),
    property: "type",
    values: ["BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"],
    listedInSpec: false,
  },
  { definition: core("HTTPGetAction"), property: "scheme", values: ["HTTP", "HTTPS"], listedInSpec: false },
  { definition: core("NodeSelectorRequirement"), property: "operator", values: ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"], listedInSpec: true },
  { definition: LABEL_SELECTOR_REQUIREMENT, property: "operator", values: ["DoesNotExist", "Exists", "In", "NotIn"], listedInSpec: true },
  { definition: core("PersistentVolumeClaimSpec"), property: "accessModes", values: ACCESS_MODES, list: true, listedInSpec: false },
  { definition: core("PersistentVolumeClaimSpec"), property: "volumeMode", values: VOLUME_MODES, listedInSpec: false },
  { definition: core("PersistentVolumeSpec"), property: "accessModes", values: ACCESS_MODES, list: true, listedInSpec: false },
  { definition: core("PersistentVolumeSpec"), property: "volumeMode", values: VOLUME_MODES, listedInSpec: false },
  { definition: core("PersistentVolumeSpec"), property: "persistentVolumeReclaimPolicy", values: ["Delete", "Recycle", "Retain"], listedInSpec: true },
  { definition: "io.k8s.api.storage.v1.StorageClass", property: "reclaimPolicy", values: ["Delete", "Retain"], listedInSpec: false },
  { definition: "io.k8s.api.storage.v1.StorageClass", property: "volumeBindingMode", values: ["Immediate", "WaitForFirstConsumer"], listedInSpec: false },
  { definition: "io.k8s.api.apps.v1.DeploymentStrategy", property: "type", values: ["Recreate", "RollingUpdate"], listedInSpec: true },
  { definition: "io.k8s.api.apps.v1.StatefulSetSpec", property: "podManagementPolicy", values: ["OrderedReady", "Parallel"], listedInSpec: true },
  { definition: "io.k8s.api.apps.v1.StatefulSetUpdateStrategy", property: "type", values: UPDATE_STRATEGIES, listedInSpec: false },
  { definition: "io.k8s.api.apps.v1.DaemonSetUpdateStrategy", property: "type", values: UPDATE_STRATEGIES, listedInSpec: true },
  { definition: "io.k8s.api.batch.v1.CronJobSpec", property: "concurrencyPolicy", values: ["Allow", "Forbid", "Replace"], listedInSpec: true },
  { definition: "io.k8s.api.batch.v1.JobSpec", property: "completionMode", values: ["Indexed", "NonIndexed"], listedInSpec: true },
  { definition: "io.k8s.api.batch.v1.JobSpec", property: "podReplacementPolicy", values: ["Failed", "TerminatingOrFailed"], listedInSpec: true },
  { definition: "io.k8s.api.networking.v1.HTTPIngressPath", property: "pathType", values: ["Exact", "ImplementationSpecific", "Prefix"], listedInSpec: true },
  { definition: "io.k8s.api.networking.v1.NetworkPolicySpec", property: "policyTypes", values: ["Egress", "Ingress"], list: true, listedInSpec: true },
  { definition: "io.k8s.api.networking.v1.NetworkPolicyPort", property: "protocol", values: PROTOCOLS, listedInSpec: true },
  {
    definition: "io.k8s.api.autoscaling.v2.MetricSpec",
    property: "type",
    values: ["ContainerResource", "External", "Object", "Pods", "Resource"],
    listedInSpec: true,
  },
  { definition: "io.k8s.api.autoscaling.v2.MetricTarget", property: "type", values: ["AverageValue", "Utilization", "Value"], listedInSpec: true },
  { definition: "io.k8s.api.autoscaling.v2.HPAScalingRules", property: "selectPolicy", values: ["Disabled", "Max", "Min"], listedInSpec: false },
  { definition: "io.k8s.api.autoscaling.v2.HPAScalingPolicy", property: "type", values: ["Percent", "Pods"], listedInSpec: false },
  {
    definition: "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
    property: "unhealthyPodEvictionPolicy",
    values: ["AlwaysAllow", "IfHealthyBudget"],
    listedInSpec: true,
  },
];

const FIELDS_BY_DEFINITION = new Map<string, EnumField[]>();
for (const field of ENUM_FIELDS) {
  const list = FIELDS_BY_DEFINITION.get(field.definition) ?? [];
  list.push(field);
  FIELDS_BY_DEFINITION.set(field.definition, list);
}

/** A record inside an object that is of one of the definitions above. */
interface Target {
  readonly definition: string;
  readonly record: Record_;
  readonly path: Path;
}

function collect(out: Target[], definition: string, root: unknown, path: Path): void {
  const record = recordAt(root, path);
  if (record) out.push({ definition, record, path });
}

function collectEach(out: Target[], definition: string, root: unknown, listPath: Path, itemPath: Path = []): void {
  arrayAt(root, listPath).forEach((_, index) => collect(out, definition, root, [...listPath, index, ...itemPath]));
}

function labelSelectorTargets(out: Target[], root: unknown, selectorPath: Path): void {
  collectEach(out, LABEL_SELECTOR_REQUIREMENT, root, [...selectorPath, "matchExpressions"]);
}

function nodeSelectorTermTargets(out: Target[], root: unknown, termPath: Path): void {
  collectEach(out, core("NodeSelectorRequirement"), root, [...termPath, "matchExpressions"]);
  collectEach(out, core("NodeSelectorRequirement"), root, [...termPath, "matchFields"]);
}

function podSpecTargets(out: Target[], object: unknown, spec: Path): void {
  collect(out, core("PodSpec"), object, spec);
  collect(out, core("PodSecurityContext"), object, [...spec, "securityContext"]);
  collect(out, core("SeccompProfile"), object, [...spec, "securityContext", "seccompProfile"]);
  collect(out, core("AppArmorProfile"), object, [...spec, "securityContext", "appArmorProfile"]);
  collectEach(out, core("Toleration"), object, [...spec, "tolerations"]);
  collectEach(out, core("TopologySpreadConstraint"), object, [...spec, "topologySpreadConstraints"]);
  arrayAt(object, [...spec, "topologySpreadConstraints"]).forEach((_, i) =>
    labelSelectorTargets(out, object, [...spec, "topologySpreadConstraints", i, "labelSelector"]),
  );
  arrayAt(object, [...spec, "volumes"]).forEach((_, i) => {
    collect(out, core("HostPathVolumeSource"), object, [...spec, "volumes", i, "hostPath"]);
    collect(out, core("PersistentVolumeClaimSpec"), object, [...spec, "volumes", i, "ephemeral", "volumeClaimTemplate", "spec"]);
  });
  const nodeAffinity = [...spec, "affinity", "nodeAffinity"];
  arrayAt(object, [...nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]).forEach((_, i) =>
    nodeSelectorTermTargets(out, object, [...nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", i]),
  );
  arrayAt(object, [...nodeAffinity, "preferredDuringSchedulingIgnoredDuringExecution"]).forEach((_, i) =>
    nodeSelectorTermTargets(out, object, [...nodeAffinity, "preferredDuringSchedulingIgnoredDuringExecution", i, "preference"]),
  );
  for (const kind of ["podAffinity", "podAntiAffinity"]) {
    const base = [...spec, "affinity", kind];
    arrayAt(object, [...base, "requiredDuringSchedulingIgnoredDuringExecution"]).forEach((_, i) =>
      labelSelectorTargets(out, object, [...base, "requiredDuringSchedulingIgnoredDuringExecution", i, "labelSelector"]),
    );
    arrayAt(object, [...base, "preferredDuringSchedulingIgnoredDuringExecution"]).forEach((_, i) =>
      labelSelectorTargets(out, object, [...base, "preferredDuringSchedulingIgnoredDuringExecution", i, "podAffinityTerm", "labelSelector"]),
    );
  }
  for (const list of ["initContainers", "containers", "ephemeralContainers"]) {
    arrayAt(object, [...spec, list]).forEach((_, i) => {
      const c = [...spec, list, i];
      collect(out, core("Container"), object, c);
      collectEach(out, core("ContainerPort"), object, [...c, "ports"]);
      collect(out, core("SecurityContext"), object, [...c, "securityContext"]);
      collect(out, core("SeccompProfile"), object, [...c, "securityContext", "seccompProfile"]);
      collect(out, core("AppArmorProfile"), object, [...c, "securityContext", "appArmorProfile"]);
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
        collect(out, core("HTTPGetAction"), object, [...c, probe, "httpGet"]);
      }
      for (const hook of ["postStart", "preStop"]) collect(out, core("HTTPGetAction"), object, [...c, "lifecycle", hook, "httpGet"]);
    });
  }
}

function enumTargets(object: unknown): Target[] {
  const out: Target[] = [];
  const { group, kind, apiVersion } = identityOf(object);
  const template = podTemplateOf(object);
  if (template) podSpecTargets(out, object, template.specPath);
  const isWorkload = ["apps", "extensions", "batch", "argoproj.io"].includes(group);
  if (isWorkload && ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "Rollout"].includes(kind)) {
    labelSelectorTargets(out, object, ["spec", "selector"]);
  }
  switch (`${group}/${kind}`) {
    case "/Service":
      collect(out, core("ServiceSpec"), object, ["spec"]);
      collectEach(out, core("ServicePort"), object, ["spec", "ports"]);
      break;
    case "apps/Deployment":
      collect(out, "io.k8s.api.apps.v1.DeploymentStrategy", object, ["spec", "strategy"]);
      break;
    case "apps/StatefulSet":
      collect(out, "io.k8s.api.apps.v1.StatefulSetSpec", object, ["spec"]);
      collect(out, "io.k8s.api.apps.v1.StatefulSetUpdateStrategy", object, ["spec", "updateStrategy"]);
      collectEach(out, core("PersistentVolumeClaimSpec"), object, ["spec", "volumeClaimTemplates"], ["spec"]);
      break;
    case "apps/DaemonSet":
      collect(out, "io.k8s.api.apps.v1.DaemonSetUpdateStrategy", object, ["spec", "updateStrategy"]);
      break;
    case "batch/Job":
      collect(out, "io.k8s.api.batch.v1.JobSpec", object, ["spec"]);
      break;
    case "batch/CronJob":
      collect(out, "io.k8s.api.batch.v1.CronJobSpec", object, ["spec"]);
      collect(out, "io.k8s.api.batch.v1.JobSpec", object, ["spec", "jobTemplate", "spec"]);
      break;
    case "/PersistentVolumeClaim":
      collect(out, core("PersistentVolumeClaimSpec"), object, ["spec"]);
      break;
    case "/PersistentVolume":
      collect(out, core("PersistentVolumeSpec"), object, ["spec"]);
      break;
    case "storage.k8s.io/StorageClass":
      if (isRecord(object)) out.push({ definition: "io.k8s.api.storage.v1.StorageClass", record: object, path: [] });
      break;
    case "networking.k8s.io/Ingress":
      arrayAt(object, ["spec", "rules"]).forEach((_, i) =>
        collectEach(out, "io.k8s.api.networking.v1.HTTPIngressPath", object, ["spec", "rules", i, "http", "paths"]),
      );
      break;
    case "networking.k8s.io/NetworkPolicy":
      collect(out, "io.k8s.api.networking.v1.NetworkPolicySpec", object, ["spec"]);
      labelSelectorTargets(out, object, ["spec", "podSelector"]);
      for (const direction of ["ingress", "egress"]) {
        arrayAt(object, ["spec", direction]).forEach((_, i) =>
          collectEach(out, "io.k8s.api.networking.v1.NetworkPolicyPort", object, ["spec", direction, i, "ports"]),
        );
      }
      break;
    case "autoscaling/HorizontalPodAutoscaler":
      if (apiVersion !== "autoscaling/v2") break;
      arrayAt(object, ["spec", "metrics"]).forEach((_, i) => {
        collect(out, "io.k8s.api.autoscaling.v2.MetricSpec", object, ["spec", "metrics", i]);
        for (const source of ["resource", "containerResource", "pods", "object", "external"]) {
          collect(out, "io.k8s.api.autoscaling.v2.MetricTarget", object, ["spec", "metrics", i, source, "target"]);
        }
      });
      for (const direction of ["scaleUp", "scaleDown"]) {
        collect(out, "io.k8s.api.autoscaling.v2.HPAScalingRules", object, ["spec", "behavior", direction]);
        collectEach(out, "io.k8s.api.autoscaling.v2.HPAScalingPolicy", object, ["spec", "behavior", direction, "policies"]);
      }
      break;
    case "policy/PodDisruptionBudget":
      collect(out, "io.k8s.api.policy.v1.PodDisruptionBudgetSpec", object, ["spec"]);
      labelSelectorTargets(out, object, ["spec", "selector"]);
      break;
  }
  return out;
}

/** Restart policies the API server allows for a workload's pod template, narrower than the pod's own list. */
const RESTART_POLICIES: Record<string, { values: readonly string[]; why: string }> = {
  Deployment: { values: ["Always"], why: "a Deployment's pods are always restarted" },
  ReplicaSet: { values: ["Always"], why: "a ReplicaSet's pods are always restarted" },
  StatefulSet: { values: ["Always"], why: "a StatefulSet's pods are always restarted" },
  DaemonSet: { values: ["Always"], why: "a DaemonSet's pods are always restarted" },
  ReplicationController: { values: ["Always"], why: "a ReplicationController's pods are always restarted" },
  Rollout: { values: ["Always"], why: "a Rollout's pods are always restarted" },
  Job: { values: ["Never", "OnFailure"], why: "a Job's pods run to completion" },
  CronJob: { values: ["Never", "OnFailure"], why: "a CronJob's pods run to completion" },
};

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

export function checkEnums(object: unknown): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  const { kind } = identityOf(object);
  const template = podTemplateOf(object);
  for (const target of enumTargets(object)) {
    const fields = FIELDS_BY_DEFINITION.get(target.definition);
    if (!fields) continue;
    const isTemplateSpec = template !== undefined && samePath(target.path, template.specPath);
    for (const field of fields) {
      const value = target.record[field.property];
      // Unset: nothing to check (and no path to build).
      if (value === undefined) continue;
      const fieldPath = [...target.path, field.property];
      let allowed = field.values;
      let why: string | undefined;
      if (field.definition === core("PodSpec") && field.property === "restartPolicy" && isTemplateSpec) {
        const restriction = RESTART_POLICIES[kind];
        if (restriction) {
          allowed = restriction.values;
          why = restriction.why;
        }
      }
      const items: [unknown, Path][] = field.list
        ? Array.isArray(value)
          ? value.map((item, i) => [item, [...fieldPath, i]])
          : []
        : [[value, fieldPath]];
      for (const [item, path] of items) {
        // Empty strings are unset values the API server defaults; non-strings are the schema's to report.
        if (typeof item !== "string" || item === "" || allowed.includes(item)) continue;
        const suggestion = closest(item, allowed);
        const hint = [why, suggestion ? `did you mean "${suggestion}"?` : undefined].filter(Boolean).join("; ");
        findings.push({
          rule: "api/enum",
          severity: "error",
          message: `${formatPath(path)}: ${show(item)} is not one of ${allowed.join(", ")}`,
          path,
          ...(hint ? { hint } : {}),
        });
      }
    }
  }
  return findings;
}

/** The allowed value a typo most likely meant: same letters in another case, or at most two edits away. */
export function closest(value: string, allowed: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const sameCase = allowed.find((a) => a.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.min(2, Math.floor(value.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
