/** A plain Kubernetes object as written to YAML: what every stage after `generate` works on. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** What a component function may return: a kubernetes-models instance or a plain object. */
export type ObjectLike =
  | { toJSON?: () => unknown; validate?: () => void }
  | KubeObject
  | { readonly apiVersion: string; readonly kind: string; readonly metadata?: object };

/** Kinds that live outside namespaces; the rest get the component's namespace when they have none. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "APIService",
  "ClusterIssuer",
  "ClusterPolicy",
  "ClusterRole",
  "ClusterRoleBinding",
  "ClusterSecretStore",
  "ClusterExternalSecret",
  "ClusterAnalysisTemplate",
  "ComponentStatus",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PriorityClass",
  "RuntimeClass",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
  "Project",
  "ClusterPromotionTask",
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** `group` of an apiVersion: "" for the core group. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** Identity used by Kustomize and the API server: group, kind, namespace, name (not version). */
export function objectKey(o: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): string {
  const ns = o.metadata?.namespace ?? "";
  return `${groupOf(o.apiVersion)}/${o.kind}/${ns}/${o.metadata?.name}`;
}

/** `Kind namespace/name` or `Kind name`, as findings and errors print an object. */
export function describeObject(o: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  const kind = o.kind ?? "<no kind>";
  const name = o.metadata?.name ?? "<no name>";
  return o.metadata?.namespace ? `${kind} ${o.metadata.namespace}/${name}` : `${kind} ${name}`;
}
