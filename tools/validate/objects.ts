/** Reading plain, untrusted objects: everything may be missing or of the wrong type. */
import type { ObjectFinding } from "../findings/finding.ts";

export type Path = readonly (string | number)[];
export type Record_ = Record<string, unknown>;

export function isRecord(value: unknown): value is Record_ {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function getPath(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

export function recordAt(value: unknown, path: Path): Record_ | undefined {
  const found = getPath(value, path);
  return isRecord(found) ? found : undefined;
}

export function arrayAt(value: unknown, path: Path): unknown[] {
  const found = getPath(value, path);
  return Array.isArray(found) ? found : [];
}

export function stringAt(value: unknown, path: Path): string | undefined {
  const found = getPath(value, path);
  return typeof found === "string" ? found : undefined;
}

/** A value as it reads in a message: strings quoted, the rest as JSON. */
export function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : value === undefined ? "undefined" : JSON.stringify(value);
}

/** apiVersion, kind, name and namespace of an object, when they are strings. */
export interface Identity {
  readonly apiVersion: string;
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export function identityOf(object: unknown): Identity {
  // Read field by field (no path arrays): every check asks for the identity of every object.
  const o = isRecord(object) ? object : undefined;
  const metadata = o && isRecord(o.metadata) ? o.metadata : undefined;
  const apiVersion = typeof o?.apiVersion === "string" ? o.apiVersion : "";
  const slash = apiVersion.indexOf("/");
  return {
    apiVersion,
    group: slash < 0 ? "" : apiVersion.slice(0, slash),
    kind: typeof o?.kind === "string" ? o.kind : "",
    name: typeof metadata?.name === "string" ? metadata.name : "",
    namespace: typeof metadata?.namespace === "string" ? metadata.namespace : "",
  };
}

/** A pod template inside an object: where its pod spec and its labels are. */
export interface PodTemplate {
  readonly spec: Record_;
  readonly specPath: Path;
  readonly labels: Record_ | undefined;
  readonly labelsPath: Path;
}

const TEMPLATE_KINDS: Record<string, readonly string[]> = {
  Deployment: ["apps", "extensions"],
  ReplicaSet: ["apps", "extensions"],
  StatefulSet: ["apps"],
  DaemonSet: ["apps", "extensions"],
  Job: ["batch"],
  ReplicationController: [""],
  Rollout: ["argoproj.io"],
};

/** The pod template of a workload (or the pod itself), if the object has one. */
export function podTemplateOf(object: unknown): PodTemplate | undefined {
  const { group, kind } = identityOf(object);
  let templatePath: Path | undefined;
  if (kind === "Pod" && group === "") {
    const spec = recordAt(object, ["spec"]);
    if (!spec) return undefined;
    return { spec, specPath: ["spec"], labels: recordAt(object, ["metadata", "labels"]), labelsPath: ["metadata", "labels"] };
  }
  if (kind === "PodTemplate" && group === "") templatePath = ["template"];
  else if (kind === "CronJob" && group === "batch") templatePath = ["spec", "jobTemplate", "spec", "template"];
  else if (TEMPLATE_KINDS[kind]?.includes(group)) templatePath = ["spec", "template"];
  if (!templatePath) return undefined;
  const spec = recordAt(object, [...templatePath, "spec"]);
  if (!spec) return undefined;
  return {
    spec,
    specPath: [...templatePath, "spec"],
    labels: recordAt(object, [...templatePath, "metadata", "labels"]),
    labelsPath: [...templatePath, "metadata", "labels"],
  };
}

export const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

/** Every container of a pod spec with its path. */
export function containersOf(template: PodTemplate): { container: Record_; path: Path }[] {
  const out: { container: Record_; path: Path }[] = [];
  for (const list of CONTAINER_LISTS) {
    arrayAt(template.spec, [list]).forEach((container, index) => {
      if (isRecord(container)) out.push({ container, path: [...template.specPath, list, index] });
    });
  }
  return out;
}

/** matchLabels and matchExpressions of a metav1.LabelSelector against a set of labels. */
export function matchesLabelSelector(selector: Record_, labels: Record_ | undefined): boolean {
  const have = labels ?? {};
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [key, value] of Object.entries(matchLabels)) {
    if (have[key] !== value) return false;
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const expression of expressions) {
    if (!isRecord(expression) || typeof expression.key !== "string") continue;
    const present = Object.hasOwn(have, expression.key);
    const values = Array.isArray(expression.values) ? expression.values : [];
    const value = have[expression.key];
    switch (expression.operator) {
      case "In":
        if (!present || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (present && values.includes(value)) return false;
        break;
      case "Exists":
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service-style selector: a plain map of labels, every one of which must be present. */
export function matchesMapSelector(selector: Record_, labels: Record_ | undefined): boolean {
  const have = labels ?? {};
  return Object.entries(selector).every(([key, value]) => have[key] === value);
}

/** `{app: web, tier: api}`, as a selector reads in a message. */
export function showSelector(selector: Record_): string {
  const parts: string[] = [];
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : undefined;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : undefined;
  if (!matchLabels && !expressions) {
    for (const [k, v] of Object.entries(selector)) parts.push(`${k}: ${String(v)}`);
    return `{${parts.join(", ")}}`;
  }
  for (const [k, v] of Object.entries(matchLabels ?? {})) parts.push(`${k}: ${String(v)}`);
  for (const e of expressions ?? []) {
    if (!isRecord(e)) continue;
    const values = Array.isArray(e.values) ? ` (${e.values.map(String).join(", ")})` : "";
    parts.push(`${String(e.key)} ${String(e.operator)}${values}`);
  }
  return `{${parts.join(", ")}}`;
}

/** A `kind: List` (what `kubectl get -o yaml` writes): its items are the objects. */
export function isList(object: Record_): object is Record_ & { items: unknown[] } {
  return object.apiVersion === "v1" && object.kind === "List" && Array.isArray(object.items);
}

/** Findings of each item of a List, their paths and messages prefixed with `items[i]`. */
export function inListItems(list: { items: unknown[] }, check: (item: unknown) => ObjectFinding[]): ObjectFinding[] {
  return list.items.flatMap((item, i) =>
    check(item).map((f) => ({ ...f, message: `items[${i}]: ${f.message}`, path: ["items", i, ...(f.path ?? [])] })),
  );
}
