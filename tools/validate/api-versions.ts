import type { ObjectFinding } from "../findings/finding.ts";
import { identityOf, inListItems, isList, isRecord } from "./objects.ts";

/**
 * API versions of built-in kinds that Kubernetes deprecated or stopped serving, per minor version. Facts from
 * the Kubernetes deprecated API migration guide (kubernetes.io/docs/reference/using-api/deprecation-guide),
 * the release blogs and the API's own deprecation notices; a test cross-checks every entry against the
 * OpenAPI specs of 1.32-1.36 (what is said removed is absent, what is said served is present).
 */
export interface ApiLifecycle {
  readonly apiVersion: string;
  readonly kind: string;
  /** Minor version that first served it, when later than 1.16 (for the cross-check). */
  readonly introducedIn?: string;
  /** Minor version from which the API server warns on use. */
  readonly deprecatedIn?: string;
  /** First minor version that no longer serves it. */
  readonly removedIn?: string;
  /** What to use instead: an apiVersion (same kind), an `apiVersion Kind`, or advice. */
  readonly replacement: string;
}

const entries = (
  apiVersion: string,
  kinds: readonly string[],
  lifecycle: Omit<ApiLifecycle, "apiVersion" | "kind">,
): ApiLifecycle[] => kinds.map((kind) => ({ apiVersion, kind, ...lifecycle }));

export const API_LIFECYCLES: readonly ApiLifecycle[] = [
  // 1.16
  // (Deprecation versions before 1.16 are left out: only removal matters for the versions validated.)
  ...entries("extensions/v1beta1", ["NetworkPolicy"], { removedIn: "1.16", replacement: "networking.k8s.io/v1" }),
  ...entries("extensions/v1beta1", ["PodSecurityPolicy"], {
    removedIn: "1.16",
    replacement: "Pod Security Admission (pod-security.kubernetes.io/* labels on the namespace) instead; PodSecurityPolicy was removed altogether in 1.25",
  }),
  ...entries("extensions/v1beta1", ["DaemonSet", "Deployment", "ReplicaSet"], { removedIn: "1.16", replacement: "apps/v1" }),
  ...entries("apps/v1beta1", ["Deployment", "StatefulSet", "ReplicaSet"], { removedIn: "1.16", replacement: "apps/v1" }),
  ...entries("apps/v1beta2", ["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"], { removedIn: "1.16", replacement: "apps/v1" }),
  // 1.22
  ...entries("admissionregistration.k8s.io/v1beta1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], {
    deprecatedIn: "1.16",
    removedIn: "1.22",
    replacement: "admissionregistration.k8s.io/v1",
  }),
  ...entries("apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"], { deprecatedIn: "1.16", removedIn: "1.22", replacement: "apiextensions.k8s.io/v1" }),
  ...entries("apiregistration.k8s.io/v1beta1", ["APIService"], { deprecatedIn: "1.19", removedIn: "1.22", replacement: "apiregistration.k8s.io/v1" }),
  ...entries("authentication.k8s.io/v1beta1", ["TokenReview"], { deprecatedIn: "1.19", removedIn: "1.22", replacement: "authentication.k8s.io/v1" }),
  ...entries("authorization.k8s.io/v1beta1", ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview"], {
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacement: "authorization.k8s.io/v1",
  }),
  ...entries("certificates.k8s.io/v1beta1", ["CertificateSigningRequest"], { deprecatedIn: "1.19", removedIn: "1.22", replacement: "certificates.k8s.io/v1" }),
  ...entries("coordination.k8s.io/v1beta1", ["Lease"], { deprecatedIn: "1.19", removedIn: "1.22", replacement: "coordination.k8s.io/v1" }),
  ...entries("extensions/v1beta1", ["Ingress"], { deprecatedIn: "1.14", removedIn: "1.22", replacement: "networking.k8s.io/v1" }),
  ...entries("networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], { deprecatedIn: "1.19", removedIn: "1.22", replacement: "networking.k8s.io/v1" }),
  ...entries("rbac.authorization.k8s.io/v1beta1", ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"], {
    deprecatedIn: "1.17",
    removedIn: "1.22",
    replacement: "rbac.authorization.k8s.io/v1",
  }),
  ...entries("scheduling.k8s.io/v1beta1", ["PriorityClass"], { deprecatedIn: "1.14", removedIn: "1.22", replacement: "scheduling.k8s.io/v1" }),
  ...entries("storage.k8s.io/v1beta1", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], {
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacement: "storage.k8s.io/v1",
  }),
  // 1.25
  ...entries("batch/v1beta1", ["CronJob"], { deprecatedIn: "1.21", removedIn: "1.25", replacement: "batch/v1" }),
  ...entries("discovery.k8s.io/v1beta1", ["EndpointSlice"], { deprecatedIn: "1.21", removedIn: "1.25", replacement: "discovery.k8s.io/v1" }),
  ...entries("events.k8s.io/v1beta1", ["Event"], { deprecatedIn: "1.22", removedIn: "1.25", replacement: "events.k8s.io/v1" }),
  ...entries("autoscaling/v2beta1", ["HorizontalPodAutoscaler"], { deprecatedIn: "1.22", removedIn: "1.25", replacement: "autoscaling/v2" }),
  ...entries("policy/v1beta1", ["PodDisruptionBudget"], { deprecatedIn: "1.21", removedIn: "1.25", replacement: "policy/v1" }),
  ...entries("policy/v1beta1", ["PodSecurityPolicy"], {
    deprecatedIn: "1.21",
    removedIn: "1.25",
    replacement: "Pod Security Admission (pod-security.kubernetes.io/* labels on the namespace) instead; it has no successor API",
  }),
  ...entries("node.k8s.io/v1beta1", ["RuntimeClass"], { deprecatedIn: "1.22", removedIn: "1.25", replacement: "node.k8s.io/v1" }),
  // 1.26
  ...entries("flowcontrol.apiserver.k8s.io/v1beta1", ["FlowSchema", "PriorityLevelConfiguration"], {
    deprecatedIn: "1.23",
    removedIn: "1.26",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  }),
  ...entries("autoscaling/v2beta2", ["HorizontalPodAutoscaler"], { deprecatedIn: "1.23", removedIn: "1.26", replacement: "autoscaling/v2" }),
  // 1.27
  ...entries("storage.k8s.io/v1beta1", ["CSIStorageCapacity"], { deprecatedIn: "1.24", removedIn: "1.27", replacement: "storage.k8s.io/v1" }),
  // 1.29
  ...entries("flowcontrol.apiserver.k8s.io/v1beta2", ["FlowSchema", "PriorityLevelConfiguration"], {
    deprecatedIn: "1.26",
    removedIn: "1.29",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  }),
  // 1.32
  ...entries("flowcontrol.apiserver.k8s.io/v1beta3", ["FlowSchema", "PriorityLevelConfiguration"], {
    deprecatedIn: "1.29",
    removedIn: "1.32",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  }),
  // 1.33
  ...entries("authentication.k8s.io/v1beta1", ["SelfSubjectReview"], { introducedIn: "1.27", deprecatedIn: "1.30", removedIn: "1.33", replacement: "authentication.k8s.io/v1" }),
  ...entries("v1", ["Endpoints"], { deprecatedIn: "1.33", replacement: "discovery.k8s.io/v1 EndpointSlice" }),
  // 1.34
  ...entries("admissionregistration.k8s.io/v1beta1", ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"], {
    introducedIn: "1.28",
    deprecatedIn: "1.31",
    removedIn: "1.34",
    replacement: "admissionregistration.k8s.io/v1",
  }),
  ...entries("resource.k8s.io/v1alpha3", ["DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"], {
    introducedIn: "1.31",
    removedIn: "1.34",
    replacement: "resource.k8s.io/v1",
  }),
  // 1.35
  ...entries("storage.k8s.io/v1alpha1", ["VolumeAttributesClass"], { introducedIn: "1.29", removedIn: "1.35", replacement: "storage.k8s.io/v1" }),
  ...entries("storagemigration.k8s.io/v1alpha1", ["StorageVersionMigration"], { introducedIn: "1.30", removedIn: "1.35", replacement: "storagemigration.k8s.io/v1beta1" }),
  // Deprecated, still served.
  ...entries("v1", ["ComponentStatus"], { deprecatedIn: "1.19", replacement: "the API server's /livez and /readyz endpoints" }),
];

/** Major and minor of "1.34", "v1.34" or "1.34.2". */
export function parseKubernetesVersion(version: string): { major: number; minor: number } {
  const match = /^v?(\d+)\.(\d+)(\.\d+)?([-+].*)?$/.exec(version.trim());
  if (!match) throw new RangeError(`invalid Kubernetes version ${JSON.stringify(version)}: expected MAJOR.MINOR such as 1.34`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

function atLeast(version: { major: number; minor: number }, than: string): boolean {
  const other = parseKubernetesVersion(than);
  return version.major > other.major || (version.major === other.major && version.minor >= other.minor);
}

const BY_TYPE = new Map(API_LIFECYCLES.map((entry) => [`${entry.apiVersion} ${entry.kind}`, entry]));

/** The lifecycle entry of an apiVersion and kind, if the table has one. */
export function lifecycleOf(apiVersion: string, kind: string): ApiLifecycle | undefined {
  return BY_TYPE.get(`${apiVersion} ${kind}`);
}

function replacementText(entry: ApiLifecycle): string {
  return `use ${entry.replacement}`;
}

/**
 * `api/removed` (error) when the object's apiVersion and kind are no longer served by `kubernetesVersion`,
 * `api/deprecated` (warning) when they are served but deprecated; both name what to use instead. Throws a
 * RangeError for a version that is not MAJOR.MINOR.
 */
export function checkApiVersion(object: unknown, kubernetesVersion: string): ObjectFinding[] {
  const version = parseKubernetesVersion(kubernetesVersion);
  if (!isRecord(object)) return [];
  if (isList(object)) return inListItems(object, (item) => checkApiVersion(item, kubernetesVersion));
  const { apiVersion, kind } = identityOf(object);
  const entry = lifecycleOf(apiVersion, kind);
  if (!entry) return [];
  const target = `${version.major}.${version.minor}`;
  if (entry.removedIn && atLeast(version, entry.removedIn)) {
    return [
      {
        rule: "api/removed",
        severity: "error",
        message: `${apiVersion} ${kind} was removed in Kubernetes ${entry.removedIn}; ${replacementText(entry)}`,
        path: ["apiVersion"],
        hint: `the cluster runs Kubernetes ${target}, which does not serve ${apiVersion} ${kind}`,
      },
    ];
  }
  if (entry.deprecatedIn && atLeast(version, entry.deprecatedIn)) {
    const removal = entry.removedIn ? `, and is removed in ${entry.removedIn}` : "";
    return [
      {
        rule: "api/deprecated",
        severity: "warning",
        message: `${apiVersion} ${kind} is deprecated since Kubernetes ${entry.deprecatedIn}${removal}; ${replacementText(entry)}`,
        path: ["apiVersion"],
      },
    ];
  }
  return [];
}
