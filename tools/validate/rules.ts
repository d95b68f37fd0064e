/** The rule ids validate reports besides the schema's, what each means, and the severities it uses. */
export const VALIDATE_RULES = {
  "api/missing-type": { severities: ["error"], description: "apiVersion or kind is missing, empty or malformed, or the document is not an object" },
  "api/name": { severities: ["error", "warning"], description: "metadata.name (or a container or volume name) is missing or not valid for its kind" },
  "api/namespace": { severities: ["error", "warning"], description: "metadata.namespace is not a DNS label, or is set on a cluster-scoped kind" },
  "api/label": { severities: ["error"], description: "a label or selector key or value is not valid" },
  "api/annotation": { severities: ["error"], description: "an annotation key is not valid, or the annotations exceed 256 KiB" },
  "api/quantity": { severities: ["error", "warning"], description: "a resource quantity does not parse, is negative, exceeds its limit, or is memory in millibytes" },
  "api/port": { severities: ["error", "warning"], description: "a port number or name is out of range or invalid, a nodePort is misplaced, a named probe port is undeclared" },
  "api/enum": { severities: ["error"], description: "a field the API server restricts to fixed values has another value" },
  "api/selector-mismatch": { severities: ["error"], description: "a workload's selector does not select its own pod template" },
  "api/duplicate-name": { severities: ["error", "warning"], description: "two containers, volumes, ports or mount paths of a pod (or Service ports) share a name" },
  "api/volume-mount": { severities: ["error"], description: "a volumeMount names no volume of its pod" },
  "api/duplicate-object": { severities: ["error"], description: "two objects have the same group, kind, namespace and name" },
  "api/deprecated": { severities: ["warning"], description: "the apiVersion and kind are deprecated in the target Kubernetes version" },
  "api/removed": { severities: ["error"], description: "the apiVersion and kind are no longer served by the target Kubernetes version" },
  "cluster/missing-crd": { severities: ["error"], description: "no component of the cluster installs the custom resource's CRD (or that version of it)" },
  "cluster/crd-order": { severities: ["error"], description: "a custom resource syncs in the same or an earlier wave than its CRD" },
  "cluster/dangling-reference": { severities: ["error", "warning"], description: "a reference to another object of the cluster resolves to nothing" },
  "cluster/empty-application": { severities: ["error"], description: "an Argo CD Application's path renders no objects" },
} as const satisfies Record<string, { severities: readonly ("error" | "warning")[]; description: string }>;

export type ValidateRule = keyof typeof VALIDATE_RULES;
