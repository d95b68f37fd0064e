import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkEnums, closest, ENUM_FIELDS, LABEL_SELECTOR_REQUIREMENT, type EnumField } from "./enums.ts";
import { loadSpec, SKIP_SPECS, SPEC_VERSIONS } from "./upstream.test-helpers.ts";

const word = (value: string) => new RegExp(`(^|[^A-Za-z])${value}([^A-Za-z]|$)`);

describe.skipIf(SKIP_SPECS)("ENUM_FIELDS cross-checked with the Kubernetes OpenAPI specs 1.32-1.36", () => {
  it.each(SPEC_VERSIONS)("every field exists in %s, and fields whose description lists values list ours", (version) => {
    const spec = loadSpec(version);
    const problems: string[] = [];
    for (const field of ENUM_FIELDS) {
      const property = spec.definitions[field.definition]?.properties?.[field.property];
      if (!property) {
        problems.push(`${field.definition}.${field.property} is not in the spec`);
        continue;
      }
      const description = property.description ?? "";
      const missing = field.values.filter((value) => !word(value).test(description));
      if (field.listedInSpec && missing.length) problems.push(`${field.definition}.${field.property}: ${missing.join(", ")} not in its description`);
      if (!field.listedInSpec && missing.length === 0) problems.push(`${field.definition}.${field.property}: the spec lists the values; set listedInSpec`);
    }
    expect(problems).toEqual([]);
  });
});

/** Where kubernetes-models (an npm dependency) declares a definition's TypeScript type. */
function modelsFile(definition: string): string | undefined {
  const require = createRequire(import.meta.url);
  const match = /^io\.k8s\.api\.([a-z0-9]+)\.(v[0-9a-z]+)\.(\w+)$/.exec(definition);
  if (!match) return undefined;
  const folders: Record<string, string> = { core: "", apps: "apps/", batch: "batch/", autoscaling: "autoscaling/", policy: "policy/", storage: "storage.k8s.io/", networking: "networking.k8s.io/" };
  const root = dirname(require.resolve("kubernetes-models/package.json"));
  return join(root, `${folders[match[1]]}${match[2]}/${match[3]}.d.ts`);
}

/** The string literals of a property's union type in a .d.ts, or undefined when it is a plain string. */
function modelsValues(field: EnumField): string[] | undefined {
  const file = modelsFile(field.definition);
  if (!file || !existsSync(file)) return undefined;
  const declaration = new RegExp(`"${field.property}"\\??: ([^;]+);`).exec(readFileSync(file, "utf8"));
  const literals = declaration ? [...declaration[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]).filter((v) => v !== "") : [];
  return literals.length ? literals.sort() : undefined;
}

/** Fields where the API server accepts fewer values than the Go type's enum, and why. */
const NARROWER_THAN_TYPE: Record<string, { extra: string[]; why: string }> = {
  "io.k8s.api.core.v1.Toleration.operator": { extra: ["Gt", "Lt"], why: "Gt and Lt need the alpha TaintTolerationComparisonOperators gate (1.35+)" },
  "io.k8s.api.storage.v1.StorageClass.reclaimPolicy": { extra: ["Recycle"], why: "a StorageClass allows only Delete and Retain" },
};

/** Fields documented only in the reference docs: neither the spec's description nor kubernetes-models lists them. */
const DOCUMENTED_ONLY = new Set(["io.k8s.api.autoscaling.v2.HPAScalingRules.selectPolicy", "io.k8s.api.autoscaling.v2.HPAScalingPolicy.type"]);

describe("ENUM_FIELDS cross-checked with kubernetes-models' enum types", () => {
  it.each(ENUM_FIELDS.map((f) => [`${f.definition}.${f.property}`, f] as const))("%s", (name, field) => {
    const fromModels = modelsValues(field);
    if (!fromModels) {
      // At least one independent source must back the list.
      expect(field.listedInSpec || DOCUMENTED_ONLY.has(name) || field.definition === LABEL_SELECTOR_REQUIREMENT, name).toBe(true);
      return;
    }
    const narrower = NARROWER_THAN_TYPE[name];
    expect([...field.values, ...(narrower?.extra ?? [])].sort()).toEqual(fromModels);
  });
});

describe("checkEnums", () => {
  it("finds enum fields in every kind it knows", () => {
    const objects: [unknown, string][] = [
      [{ apiVersion: "apps/v1", kind: "StatefulSet", spec: { podManagementPolicy: "parallel", updateStrategy: { type: "Rolling" } } }, 'spec.podManagementPolicy: "parallel" is not one of OrderedReady, Parallel'],
      [{ apiVersion: "apps/v1", kind: "DaemonSet", spec: { updateStrategy: { type: "Recreate" } } }, 'spec.updateStrategy.type: "Recreate" is not one of OnDelete, RollingUpdate'],
      [{ apiVersion: "batch/v1", kind: "CronJob", spec: { concurrencyPolicy: "Deny", jobTemplate: { spec: { completionMode: "indexed" } } } }, 'spec.concurrencyPolicy: "Deny" is not one of Allow, Forbid, Replace'],
      [{ apiVersion: "v1", kind: "PersistentVolume", spec: { persistentVolumeReclaimPolicy: "Keep" } }, 'spec.persistentVolumeReclaimPolicy: "Keep" is not one of Delete, Recycle, Retain'],
      [{ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", reclaimPolicy: "Recycle" }, 'reclaimPolicy: "Recycle" is not one of Delete, Retain'],
      [{ apiVersion: "networking.k8s.io/v1", kind: "Ingress", spec: { rules: [{ http: { paths: [{ pathType: "prefix" }] } }] } }, 'spec.rules[0].http.paths[0].pathType: "prefix" is not one of Exact, ImplementationSpecific, Prefix'],
      [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", spec: { policyTypes: ["ingress"] } }, 'spec.policyTypes[0]: "ingress" is not one of Egress, Ingress'],
      [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", spec: { egress: [{ ports: [{ protocol: "tcp" }] }] } }, 'spec.egress[0].ports[0].protocol: "tcp" is not one of SCTP, TCP, UDP'],
      [{ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", spec: { metrics: [{ type: "Resource", resource: { target: { type: "Percent" } } }] } }, 'spec.metrics[0].resource.target.type: "Percent" is not one of AverageValue, Utilization, Value'],
      [{ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", spec: { behavior: { scaleDown: { selectPolicy: "Maximum", policies: [{ type: "Pods" }] } } } }, 'spec.behavior.scaleDown.selectPolicy: "Maximum" is not one of Disabled, Max, Min'],
      [{ apiVersion: "policy/v1", kind: "PodDisruptionBudget", spec: { selector: { matchExpressions: [{ key: "a", operator: "Equals" }] } } }, 'spec.selector.matchExpressions[0].operator: "Equals" is not one of DoesNotExist, Exists, In, NotIn'],
      [{ apiVersion: "v1", kind: "Pod", spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "a", operator: "Gte" }] }] } } } } }, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: "Gte" is not one of DoesNotExist, Exists, Gt, In, Lt, NotIn'],
      [{ apiVersion: "v1", kind: "Pod", spec: { securityContext: { seccompProfile: { type: "Default" } } } }, 'spec.securityContext.seccompProfile.type: "Default" is not one of Localhost, RuntimeDefault, Unconfined'],
      [{ apiVersion: "v1", kind: "Pod", spec: { volumes: [{ name: "h", hostPath: { path: "/x", type: "Dir" } }] } }, 'spec.volumes[0].hostPath.type: "Dir" is not one of BlockDevice, CharDevice, Directory, DirectoryOrCreate, File, FileOrCreate, Socket'],
      [{ apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", livenessProbe: { httpGet: { port: 80, scheme: "http" } } }] } }, 'spec.containers[0].livenessProbe.httpGet.scheme: "http" is not one of HTTP, HTTPS'],
      [{ apiVersion: "v1", kind: "Pod", spec: { topologySpreadConstraints: [{ whenUnsatisfiable: "Schedule" }] } }, 'spec.topologySpreadConstraints[0].whenUnsatisfiable: "Schedule" is not one of DoNotSchedule, ScheduleAnyway'],
      [{ apiVersion: "v1", kind: "Service", spec: { externalTrafficPolicy: "Global" } }, 'spec.externalTrafficPolicy: "Global" is not one of Cluster, Local'],
      [{ apiVersion: "v1", kind: "Service", spec: { ipFamilies: ["IPv5"] } }, 'spec.ipFamilies[0]: "IPv5" is not one of IPv4, IPv6'],
    ];
    for (const [object, message] of objects) expect(checkEnums(object)[0]?.message, message).toBe(message);
  });

  it("suggests the value a typo meant, and nothing for an unrelated word", () => {
    expect(closest("clusterip", ["ClusterIP", "NodePort"])).toBe("ClusterIP");
    expect(closest("NodePrt", ["ClusterIP", "NodePort"])).toBe("NodePort");
    expect(closest("Ingress", ["ClusterIP", "NodePort"])).toBeUndefined();
  });
});
