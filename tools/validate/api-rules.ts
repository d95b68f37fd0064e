import type { ObjectFinding, Severity } from "../findings/finding.ts";
import { formatPath } from "../findings/finding.ts";
import { isClusterScoped } from "../model/kube-object.ts";
import { checkCrdPatterns } from "./crd-patterns.ts";
import { checkEnums } from "./enums.ts";
import {
  dns1035LabelError,
  dns1123LabelError,
  dns1123SubdomainError,
  labelValueError,
  pathSegmentNameError,
  portNameError,
  qualifiedNameError,
} from "./names.ts";
import {
  arrayAt,
  containersOf,
  getPath,
  identityOf,
  inListItems,
  isList,
  isRecord,
  matchesLabelSelector,
  podTemplateOf,
  recordAt,
  show,
  showSelector,
  stringAt,
  type Identity,
  type Path,
  type PodTemplate,
  type Record_,
} from "./objects.ts";
import { compareQuantities, isNegative, parseQuantity, QUANTITY_FORMAT, suggestQuantity, type Quantity } from "./quantity.ts";

/** The API server's limit on the total size of an object's annotations (keys and values). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

type Findings = ObjectFinding[];

function finding(rule: string, severity: Severity, path: Path, message: string, hint?: string): ObjectFinding {
  return hint ? { rule, severity, message, path, hint } : { rule, severity, message, path };
}

/**
 * What the API server rejects (or what breaks right after it accepts) although an OpenAPI schema allows it:
 * type fields, names, namespaces, labels, annotations, quantities, ports, enum values, selectors that do not
 * select their own pods, duplicate names inside a pod. Pure: the object is only read.
 */
export function checkObject(object: unknown): ObjectFinding[] {
  const findings: Findings = [];
  if (!isRecord(object)) {
    const what = object === null ? "null" : Array.isArray(object) ? "a top-level array" : `a ${typeof object}`;
    const why = Array.isArray(object) ? "; kubectl and Kustomize reject it (write one document per object, or a kind: List)" : "";
    findings.push(finding("api/missing-type", "error", [], `the document is ${what}, not an object with apiVersion, kind and metadata${why}`));
    return findings;
  }
  checkTypeFields(object, findings);
  const id = identityOf(object);
  if (isList(object)) return [...findings, ...inListItems(object, checkObject)];
  checkMetadata(object, id, findings);
  checkLabelsAndSelectors(object, id, findings);
  const template = podTemplateOf(object);
  if (template) checkPodSpec(object, id, template, findings);
  checkQuantities(object, id, findings);
  if (id.group === "" && id.kind === "Service") checkService(object, findings);
  if (id.group === "networking.k8s.io" && id.kind === "Ingress") checkIngressPorts(object, findings);
  findings.push(...checkEnums(object));
  checkWorkloadSelector(object, id, template, findings);
  checkServerRules(object, id, template, findings);
  if (id.group === "apiextensions.k8s.io" && id.kind === "CustomResourceDefinition") findings.push(...checkCrdPatterns(object));
  return findings;
}

// --- more rules of the API server's validation -----------------------------------------------------------

const CRON_FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

/** Why a cron schedule (five fields, or a @macro) is invalid, as robfig/cron (the CronJob controller) parses it. */
export function cronScheduleError(schedule: string): string | undefined {
  const text = schedule.trim().replace(/^(CRON_)?TZ=\S+\s+/, "");
  if (text.startsWith("@")) {
    return /^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every\s+\S+)$/.test(text) ? undefined : `${show(text)} is not a known @ schedule`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `has ${fields.length} fields; a schedule has 5 (minute hour day-of-month month day-of-week)`;
  for (let i = 0; i < 5; i++) {
    const spec = CRON_FIELDS[i];
    const names: readonly string[] = "names" in spec ? spec.names : [];
    const value = (v: string): number | undefined => {
      const byName = names.indexOf(v.toUpperCase());
      if (byName >= 0) return byName + (spec.name === "month" ? 1 : 0);
      return /^\d+$/.test(v) ? Number(v) : undefined;
    };
    for (const part of fields[i].split(",")) {
      const [range, step] = part.split("/");
      if (step !== undefined && !/^\d+$/.test(step)) return `${spec.name} field ${show(fields[i])}: step ${show(step)} is not a number`;
      if (range === "*" || range === "?") continue;
      const bounds = range.split("-");
      if (bounds.length > 2) return `${spec.name} field ${show(fields[i])} is not a value, range or step`;
      for (const b of bounds) {
        const n = value(b);
        if (n === undefined) return `${spec.name} field ${show(fields[i])}: ${show(b)} is not a number`;
        if (n < spec.min || n > spec.max) return `${spec.name} ${n} is out of range ${spec.min}-${spec.max}`;
      }
      if (bounds.length === 2 && value(bounds[0])! > value(bounds[1])!) return `${spec.name} range ${show(range)} runs backwards`;
    }
  }
  return undefined;
}

const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** ConfigMap and Secret keys: letters, digits, `-`, `_` and `.` (IsConfigMapKey). */
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

function checkServerRules(object: Record_, id: Identity, template: PodTemplate | undefined, findings: Findings): void {
  const kind = `${id.group}/${id.kind}`;
  const replicas = getPath(object, ["spec", "replicas"]);
  if (typeof replicas === "number" && replicas < 0 && template) {
    findings.push(finding("api/replicas", "error", ["spec", "replicas"], `spec.replicas: ${replicas} must be greater than or equal to 0`));
  }
  if (kind === "batch/CronJob") {
    const schedule = getPath(object, ["spec", "schedule"]);
    const reason = typeof schedule === "string" ? cronScheduleError(schedule) : undefined;
    if (reason) findings.push(finding("api/cron-schedule", "error", ["spec", "schedule"], `spec.schedule: ${show(schedule)} is not a valid schedule: ${reason}`));
  }
  if (kind === "apps/Deployment" && getPath(object, ["spec", "strategy", "type"]) === "Recreate" && getPath(object, ["spec", "strategy", "rollingUpdate"]) != null) {
    findings.push(finding("api/strategy", "error", ["spec", "strategy", "rollingUpdate"], `spec.strategy.rollingUpdate: may not be specified when strategy type is "Recreate"`));
  }
  if (kind === "/PersistentVolumeClaim") checkClaimStorage(object, [], findings);
  if (kind === "apps/StatefulSet") arrayAt(object, ["spec", "volumeClaimTemplates"]).forEach((t, i) => checkClaimStorage(t, ["spec", "volumeClaimTemplates", i], findings));
  if (kind === "autoscaling/HorizontalPodAutoscaler") {
    const min = getPath(object, ["spec", "minReplicas"]);
    const max = getPath(object, ["spec", "maxReplicas"]);
    if (typeof min === "number" && typeof max === "number" && min > max) {
      findings.push(finding("api/hpa-range", "error", ["spec", "minReplicas"], `spec.minReplicas: ${min} must be less than or equal to spec.maxReplicas (${max})`));
    }
  }
  if (kind === "/Secret" || kind === "/ConfigMap") {
    for (const field of kind === "/Secret" ? ["data", "stringData"] : ["data", "binaryData"]) {
      const map = recordAt(object, [field]);
      if (!map) continue;
      for (const [key, value] of Object.entries(map)) {
        if (!CONFIG_KEY.test(key) || key.length > 253 || key === "." || key === ".." || key.startsWith("..")) {
          findings.push(finding("api/data-key", "error", [field, key], `${formatPath([field, key])}: ${show(key)} is not a valid key: keys may hold only letters, digits, "-", "_" and "."`));
        }
        const base64 = (kind === "/Secret" && field === "data") || field === "binaryData";
        if (base64 && typeof value === "string" && !BASE64.test(value.replace(/\s+/g, ""))) {
          findings.push(finding("api/base64", "error", [field, key], `${formatPath([field, key])}: the value is not base64; the API server rejects it`, kind === "/Secret" ? "put plain text under stringData, or encode it: printf %s 'value' | base64" : undefined));
        }
      }
    }
  }
  if (template) {
    for (const { container, path } of containersOf(template)) {
      const list = path[path.length - 2];
      if (list !== "ephemeralContainers" && (typeof container.image !== "string" || container.image === "")) {
        findings.push(finding("api/image", "error", [...path, "image"], `${formatPath([...path, "image"])}: a container needs an image`));
      }
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
        const p = recordAt(container, [probe]);
        if (!p) continue;
        const handlers = PROBE_HANDLERS.filter((h) => p[h] != null);
        if (handlers.length > 1) {
          findings.push(finding("api/probe", "error", [...path, probe], `${formatPath([...path, probe])}: may not specify more than one handler type, got ${handlers.join(" and ")}`));
        }
      }
    }
  }
}

function checkClaimStorage(claim: unknown, base: Path, findings: Findings): void {
  if (!isRecord(claim)) return;
  const storage = getPath(claim, ["spec", "resources", "requests", "storage"]);
  if (storage === undefined || storage === null) {
    const path = [...base, "spec", "resources", "requests", "storage"];
    findings.push(finding("api/storage-request", "error", path, `${formatPath(path)}: a claim must request storage (for example 1Gi)`));
  }
}

// --- apiVersion and kind -------------------------------------------------------------------------------

function checkTypeFields(object: Record_, findings: Findings): void {
  for (const field of ["apiVersion", "kind"] as const) {
    const value = object[field];
    if (value === undefined || value === null) {
      findings.push(finding("api/missing-type", "error", [field], `${field} is missing`));
    } else if (typeof value !== "string") {
      findings.push(finding("api/missing-type", "error", [field], `${field}: ${show(value)} is not a string`));
    } else if (value.trim() === "") {
      findings.push(finding("api/missing-type", "error", [field], `${field}: ${show(value)} is empty`));
    } else if (field === "apiVersion" && !/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[a-z0-9]+$/.test(value)) {
      findings.push(
        finding("api/missing-type", "error", [field], `apiVersion: ${show(value)} is not of the form GROUP/VERSION or VERSION (e.g. apps/v1, v1)`),
      );
    } else if (field === "kind" && !/^[A-Za-z][A-Za-z0-9]*$/.test(value)) {
      findings.push(finding("api/missing-type", "error", [field], `kind: ${show(value)} is not a kind name (letters and digits, e.g. Deployment)`));
    }
  }
}

// --- metadata ------------------------------------------------------------------------------------------

type NameCheck = { check: (name: string) => string | undefined };

const RBAC_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

/** How the API server validates metadata.name for a kind (ValidateXName in k8s.io/kubernetes). */
function nameCheckFor(id: Identity): NameCheck {
  if (id.group === "" && id.kind === "Namespace") return { check: dns1123LabelError };
  if (id.group === "" && id.kind === "Service") return { check: dns1035LabelError };
  if (id.group === "rbac.authorization.k8s.io" && RBAC_KINDS.has(id.kind)) return { check: pathSegmentNameError };
  if (id.group === "batch" && id.kind === "CronJob") {
    // The CronJob controller appends an 11-character suffix to name its Jobs, which are limited to 63.
    return { check: (name) => dns1123SubdomainError(name) ?? (name.length > 52 ? `must be no more than 52 characters (it has ${name.length})` : undefined) };
  }
  if (id.group === "scheduling.k8s.io" && id.kind === "PriorityClass") {
    return {
      check: (name) =>
        dns1123SubdomainError(name) ??
        (name.startsWith("system-") && !["system-cluster-critical", "system-node-critical"].includes(name)
          ? `may not start with "system-" (reserved for the system's own priority classes)`
          : undefined),
    };
  }
  return { check: dns1123SubdomainError };
}

function checkMetadata(object: Record_, id: Identity, findings: Findings): void {
  const metadata = object.metadata;
  if (metadata === undefined || metadata === null) {
    findings.push(finding("api/name", "error", ["metadata", "name"], "metadata.name is missing (the object has no metadata)"));
    return;
  }
  if (!isRecord(metadata)) {
    findings.push(finding("api/name", "error", ["metadata"], `metadata: ${show(metadata)} is not an object`));
    return;
  }
  const name = metadata.name;
  if (name === undefined || name === null || name === "") {
    if (typeof metadata.generateName === "string" && metadata.generateName !== "") {
      // The engine names it (Argo CD hooks, Jobs kubectl create makes): the prefix plus five characters must be a valid name.
      const reason = nameCheckFor(id).check(`${metadata.generateName}x2x4z`);
      if (reason) findings.push(finding("api/name", "error", ["metadata", "generateName"], `metadata.generateName: ${show(metadata.generateName)} does not make valid names: a generated name ${reason}`));
    } else {
      findings.push(finding("api/name", "error", ["metadata", "name"], name === "" ? `metadata.name: "" is empty` : "metadata.name is missing"));
    }
  } else if (typeof name !== "string") {
    findings.push(finding("api/name", "error", ["metadata", "name"], `metadata.name: ${show(name)} is not a string`));
  } else {
    const reason = nameCheckFor(id).check(name);
    if (reason) {
      const kind = id.kind || "object";
      findings.push(finding("api/name", "error", ["metadata", "name"], `metadata.name: ${show(name)} is not a valid ${kind} name: it ${reason}`));
    } else if (id.group === "apiextensions.k8s.io" && id.kind === "CustomResourceDefinition") {
      const plural = stringAt(object, ["spec", "names", "plural"]);
      const group = stringAt(object, ["spec", "group"]);
      if (plural && group && name !== `${plural}.${group}`) {
        findings.push(
          finding(
            "api/name",
            "error",
            ["metadata", "name"],
            `metadata.name: ${show(name)} must be spec.names.plural + "." + spec.group (${show(`${plural}.${group}`)})`,
          ),
        );
      }
    }
  }
  const namespace = metadata.namespace;
  if (namespace !== undefined && namespace !== null) {
    if (typeof namespace !== "string") {
      findings.push(finding("api/namespace", "error", ["metadata", "namespace"], `metadata.namespace: ${show(namespace)} is not a string`));
    } else if (id.kind && isClusterScoped(id.kind)) {
      if (namespace !== "") {
        findings.push(
          finding(
            "api/namespace",
            "warning",
            ["metadata", "namespace"],
            `metadata.namespace: ${show(namespace)} is set on a ${id.kind}, which is cluster-scoped; the namespace is ignored`,
          ),
        );
      }
    } else if (namespace !== "") {
      const reason = dns1123LabelError(namespace);
      if (reason) {
        findings.push(finding("api/namespace", "error", ["metadata", "namespace"], `metadata.namespace: ${show(namespace)} is not a valid namespace name: it ${reason}`));
      }
    }
  }
  checkAnnotations(object, ["metadata", "annotations"], findings);
}

// --- labels, annotations, selectors ---------------------------------------------------------------------

function checkLabelMap(object: unknown, path: Path, findings: Findings, what = "label"): void {
  const labels = getPath(object, path);
  if (!isRecord(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    const keyReason = qualifiedNameError(key);
    if (keyReason) {
      findings.push(finding("api/label", "error", [...path, key], `${formatPath(path)}: ${what} key ${show(key)} ${keyReason}`));
    }
    if (typeof value === "string") {
      const valueReason = labelValueError(value);
      if (valueReason) {
        findings.push(finding("api/label", "error", [...path, key], `${formatPath([...path, key])}: ${what} value ${show(value)} ${valueReason}`));
      }
    }
  }
}

function checkSelectorLabels(object: unknown, selectorPath: Path, findings: Findings): void {
  checkLabelMap(object, [...selectorPath, "matchLabels"], findings, "selector");
  arrayAt(object, [...selectorPath, "matchExpressions"]).forEach((expression, i) => {
    const key = isRecord(expression) ? expression.key : undefined;
    if (typeof key !== "string") return;
    const reason = qualifiedNameError(key);
    const path = [...selectorPath, "matchExpressions", i, "key"];
    if (reason) findings.push(finding("api/label", "error", path, `${formatPath(path)}: selector key ${show(key)} ${reason}`));
  });
}

function checkAnnotations(object: unknown, path: Path, findings: Findings): void {
  const annotations = getPath(object, path);
  if (!isRecord(annotations)) return;
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const reason = qualifiedNameError(key);
    if (reason) {
      findings.push(finding("api/annotation", "error", [...path, key], `${formatPath(path)}: annotation key ${show(key)} ${reason}`));
    }
    bytes += Buffer.byteLength(key) + (typeof value === "string" ? Buffer.byteLength(value) : 0);
  }
  if (bytes > ANNOTATIONS_MAX_BYTES) {
    findings.push(
      finding(
        "api/annotation",
        "error",
        path,
        `${formatPath(path)}: the annotations total ${bytes} bytes, more than the limit of ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB)`,
        "a large last-applied-configuration annotation is the usual cause: use server-side apply (Argo CD: ServerSideApply=true)",
      ),
    );
  }
}

const SELECTOR_KINDS = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "Rollout"]);

function checkLabelsAndSelectors(object: Record_, id: Identity, findings: Findings): void {
  checkLabelMap(object, ["metadata", "labels"], findings);
  const template = podTemplateOf(object);
  if (template && template.labelsPath[0] !== "metadata") {
    checkLabelMap(object, template.labelsPath, findings);
    checkAnnotations(object, [...template.labelsPath.slice(0, -1), "annotations"], findings);
  }
  if (id.group === "batch" && id.kind === "CronJob") checkLabelMap(object, ["spec", "jobTemplate", "metadata", "labels"], findings);
  if (SELECTOR_KINDS.has(id.kind) || (id.group === "policy" && id.kind === "PodDisruptionBudget")) {
    checkSelectorLabels(object, ["spec", "selector"], findings);
  }
  if (id.group === "networking.k8s.io" && id.kind === "NetworkPolicy") checkSelectorLabels(object, ["spec", "podSelector"], findings);
  if (id.group === "" && id.kind === "Service") checkLabelMap(object, ["spec", "selector"], findings, "selector");
}

// --- pod specs -----------------------------------------------------------------------------------------

function checkPortNumber(value: unknown, path: Path, findings: Findings, what = "port"): void {
  if (typeof value !== "number") return;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    findings.push(finding("api/port", "error", path, `${formatPath(path)}: ${value} is not a valid ${what} (1-65535)`));
  }
}

/** An int-or-string port: a number 1-65535 or a port name. */
function checkPortOrName(value: unknown, path: Path, findings: Findings): void {
  if (typeof value === "number") return checkPortNumber(value, path, findings);
  if (typeof value !== "string") return;
  if (/^\d+$/.test(value)) return checkPortNumber(Number(value), path, findings);
  const reason = portNameError(value);
  if (reason) findings.push(finding("api/port", "error", path, `${formatPath(path)}: ${show(value)} is not a valid port name: it ${reason}`));
}

function checkPodSpec(object: Record_, id: Identity, template: PodTemplate, findings: Findings): void {
  const specPath = template.specPath;
  const containers = containersOf(template);

  // Container names: DNS labels, unique across init, regular and ephemeral containers.
  const containerNames = new Map<string, Path>();
  for (const { container, path } of containers) {
    const name = container.name;
    if (typeof name !== "string") continue;
    const reason = dns1123LabelError(name);
    if (reason) findings.push(finding("api/name", "error", [...path, "name"], `${formatPath([...path, "name"])}: ${show(name)} is not a valid container name: it ${reason}`));
    const first = containerNames.get(name);
    if (first) {
      findings.push(finding("api/duplicate-name", "error", [...path, "name"], `${formatPath([...path, "name"])}: ${show(name)} is already the name of ${formatPath(first)}`));
    } else containerNames.set(name, path);
  }

  // Volumes: DNS-label names, unique; every volumeMount names one (or a StatefulSet's claim template).
  const volumeNames = new Map<string, Path>();
  arrayAt(template.spec, ["volumes"]).forEach((volume, i) => {
    const name = isRecord(volume) ? volume.name : undefined;
    if (typeof name !== "string") return;
    const path = [...specPath, "volumes", i, "name"];
    const reason = dns1123LabelError(name);
    if (reason) findings.push(finding("api/name", "error", path, `${formatPath(path)}: ${show(name)} is not a valid volume name: it ${reason}`));
    const first = volumeNames.get(name);
    if (first) findings.push(finding("api/duplicate-name", "error", path, `${formatPath(path)}: ${show(name)} is already the name of ${formatPath(first)}`));
    else volumeNames.set(name, path.slice(0, -1));
  });
  const claimTemplates = id.group === "apps" && id.kind === "StatefulSet"
    ? arrayAt(object, ["spec", "volumeClaimTemplates"]).map((t) => stringAt(t, ["metadata", "name"])).filter((n): n is string => !!n)
    : [];
  const mountable = [...volumeNames.keys(), ...claimTemplates];

  const portNamesInPod = new Map<string, Path>();
  for (const { container, path } of containers) {
    const mountPaths = new Map<string, Path>();
    arrayAt(container, ["volumeMounts"]).forEach((mount, i) => {
      if (!isRecord(mount)) return;
      const mountPath: Path = [...path, "volumeMounts", i];
      if (typeof mount.name === "string" && !mountable.includes(mount.name)) {
        const known = mountable.length ? mountable.join(", ") : "none";
        findings.push(
          finding("api/volume-mount", "error", [...mountPath, "name"], `${formatPath([...mountPath, "name"])}: ${show(mount.name)} is not a volume of this pod (volumes: ${known})`),
        );
      }
      if (typeof mount.mountPath === "string") {
        const first = mountPaths.get(mount.mountPath);
        if (first) {
          findings.push(
            finding("api/duplicate-name", "error", [...mountPath, "mountPath"], `${formatPath([...mountPath, "mountPath"])}: ${show(mount.mountPath)} is already mounted by ${formatPath(first)}`),
          );
        } else mountPaths.set(mount.mountPath, mountPath);
      }
    });

    const ownPortNames = new Map<string, Path>();
    arrayAt(container, ["ports"]).forEach((port, i) => {
      if (!isRecord(port)) return;
      const portPath: Path = [...path, "ports", i];
      checkPortNumber(port.containerPort, [...portPath, "containerPort"], findings);
      if (port.hostPort !== 0) checkPortNumber(port.hostPort, [...portPath, "hostPort"], findings);
      if (typeof port.name !== "string") return;
      const namePath = [...portPath, "name"];
      const reason = portNameError(port.name);
      if (reason) findings.push(finding("api/port", "error", namePath, `${formatPath(namePath)}: ${show(port.name)} is not a valid port name: it ${reason}`));
      const inContainer = ownPortNames.get(port.name);
      const inPod = portNamesInPod.get(port.name);
      if (inContainer) {
        findings.push(finding("api/duplicate-name", "error", namePath, `${formatPath(namePath)}: ${show(port.name)} is already the name of ${formatPath(inContainer)}`));
      } else if (inPod) {
        findings.push(
          finding(
            "api/duplicate-name",
            "warning",
            namePath,
            `${formatPath(namePath)}: ${show(port.name)} is already the name of ${formatPath(inPod)} in another container; a Service targetPort by that name is ambiguous`,
          ),
        );
      }
      ownPortNames.set(port.name, namePath);
      if (!inPod) portNamesInPod.set(port.name, namePath);
    });

    // Probes and lifecycle hooks: port numbers in range, named ports declared by the container.
    const handlers: Path[] = [];
    for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) handlers.push([probe]);
    for (const hook of ["postStart", "preStop"]) handlers.push(["lifecycle", hook]);
    for (const handler of handlers) {
      for (const action of ["httpGet", "tcpSocket", "grpc"]) {
        const actionPath = [...path, ...handler, action, "port"];
        const value = getPath(object, actionPath);
        if (value === undefined) continue;
        checkPortOrName(value, actionPath, findings);
        if (typeof value === "string" && !/^\d+$/.test(value) && !portNameError(value) && !ownPortNames.has(value)) {
          const declared = [...ownPortNames.keys()];
          findings.push(
            finding(
              "api/port",
              "warning",
              actionPath,
              `${formatPath(actionPath)}: ${show(value)} is not a port name of this container (${declared.length ? `its ports: ${declared.join(", ")}` : "it names no ports"}); the kubelet cannot resolve it`,
            ),
          );
        }
      }
    }
  }
}

// --- quantities ----------------------------------------------------------------------------------------

const BYTE_RESOURCES = new Set(["memory", "storage", "ephemeral-storage", "requests.memory", "limits.memory", "requests.storage", "requests.ephemeral-storage", "limits.ephemeral-storage"]);

function checkQuantity(value: unknown, path: Path, resource: string, findings: Findings): Quantity | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const quantity = parseQuantity(value);
  if (!quantity) {
    const suggestion = typeof value === "string" ? suggestQuantity(value) : undefined;
    findings.push(
      finding(
        "api/quantity",
        "error",
        path,
        `${formatPath(path)}: ${show(value)} is not a valid quantity (${QUANTITY_FORMAT})`,
        suggestion ? `did you mean "${suggestion}"?` : undefined,
      ),
    );
    return undefined;
  }
  if (isNegative(quantity)) {
    findings.push(finding("api/quantity", "error", path, `${formatPath(path)}: ${show(value)} must not be negative`));
    return undefined;
  }
  if (quantity.suffix === "m" && BYTE_RESOURCES.has(resource) && quantity.numerator !== 0n) {
    const number = String(value).slice(0, -1);
    findings.push(
      finding(
        "api/quantity",
        "warning",
        path,
        `${formatPath(path)}: ${show(value)} means ${number}/1000 of a byte: the suffix m is milli, not mega`,
        `did you mean "${number}Mi" or "${number}M"?`,
      ),
    );
  }
  return quantity;
}

function checkQuantityMap(object: unknown, path: Path, findings: Findings): Map<string, { quantity: Quantity; raw: unknown }> {
  const parsed = new Map<string, { quantity: Quantity; raw: unknown }>();
  const map = recordAt(object, path);
  if (!map) return parsed;
  for (const [resource, value] of Object.entries(map)) {
    const quantity = checkQuantity(value, [...path, resource], resource, findings);
    if (quantity) parsed.set(resource, { quantity, raw: value });
  }
  return parsed;
}

/** `resources.requests` and `resources.limits`, each request no greater than its limit. */
function checkRequirements(object: unknown, path: Path, findings: Findings): void {
  const requests = checkQuantityMap(object, [...path, "requests"], findings);
  const limits = checkQuantityMap(object, [...path, "limits"], findings);
  for (const [resource, request] of requests) {
    const limit = limits.get(resource);
    if (limit && compareQuantities(request.quantity, limit.quantity) > 0) {
      const requestPath = [...path, "requests", resource];
      findings.push(
        finding("api/quantity", "error", requestPath, `${formatPath(requestPath)}: ${show(request.raw)} is greater than its limit ${formatPath([...path, "limits", resource])} ${show(limit.raw)}`),
      );
    }
  }
}

function checkQuantities(object: Record_, id: Identity, findings: Findings): void {
  const template = podTemplateOf(object);
  if (template) {
    for (const { path } of containersOf(template)) checkRequirements(object, [...path, "resources"], findings);
    checkRequirements(object, [...template.specPath, "resources"], findings);
    arrayAt(template.spec, ["volumes"]).forEach((_, i) => {
      const volume = [...template.specPath, "volumes", i];
      const sizeLimit = [...volume, "emptyDir", "sizeLimit"];
      checkQuantity(getPath(object, sizeLimit), sizeLimit, "storage", findings);
      checkRequirements(object, [...volume, "ephemeral", "volumeClaimTemplate", "spec", "resources"], findings);
    });
  }
  switch (`${id.group}/${id.kind}`) {
    case "/PersistentVolumeClaim":
      checkRequirements(object, ["spec", "resources"], findings);
      break;
    case "apps/StatefulSet":
      arrayAt(object, ["spec", "volumeClaimTemplates"]).forEach((_, i) =>
        checkRequirements(object, ["spec", "volumeClaimTemplates", i, "spec", "resources"], findings),
      );
      break;
    case "/PersistentVolume":
      checkQuantityMap(object, ["spec", "capacity"], findings);
      break;
    case "/ResourceQuota":
      checkQuantityMap(object, ["spec", "hard"], findings);
      break;
    case "/LimitRange":
      arrayAt(object, ["spec", "limits"]).forEach((_, i) => {
        for (const field of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) {
          checkQuantityMap(object, ["spec", "limits", i, field], findings);
        }
      });
      break;
  }
}

// --- Services and Ingresses ----------------------------------------------------------------------------

function checkService(object: Record_, findings: Findings): void {
  const type = stringAt(object, ["spec", "type"]) ?? "ClusterIP";
  const ports = arrayAt(object, ["spec", "ports"]);
  const names = new Map<string, Path>();
  const numbers = new Map<string, Path>();
  ports.forEach((port, i) => {
    if (!isRecord(port)) return;
    const path: Path = ["spec", "ports", i];
    checkPortNumber(port.port, [...path, "port"], findings);
    if (port.targetPort !== undefined) checkPortOrName(port.targetPort, [...path, "targetPort"], findings);
    if (typeof port.nodePort === "number" && port.nodePort !== 0) {
      const nodePortPath = [...path, "nodePort"];
      if (type === "ClusterIP" || type === "ExternalName") {
        findings.push(finding("api/port", "error", nodePortPath, `${formatPath(nodePortPath)}: ${port.nodePort} may not be set when spec.type is ${show(type)}`));
      } else if (!Number.isInteger(port.nodePort) || port.nodePort < 1 || port.nodePort > 65535) {
        checkPortNumber(port.nodePort, nodePortPath, findings);
      } else if (port.nodePort < NODE_PORT_RANGE.min || port.nodePort > NODE_PORT_RANGE.max) {
        findings.push(
          finding(
            "api/port",
            "warning",
            nodePortPath,
            `${formatPath(nodePortPath)}: ${port.nodePort} is outside the default NodePort range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}; the API server rejects it unless its --service-node-port-range includes it`,
          ),
        );
      }
    }
    if (typeof port.name === "string" && port.name !== "") {
      const namePath = [...path, "name"];
      const reason = dns1123LabelError(port.name);
      if (reason) findings.push(finding("api/port", "error", namePath, `${formatPath(namePath)}: ${show(port.name)} is not a valid Service port name: it ${reason}`));
      const first = names.get(port.name);
      if (first) findings.push(finding("api/duplicate-name", "error", namePath, `${formatPath(namePath)}: ${show(port.name)} is already the name of ${formatPath(first)}`));
      else names.set(port.name, path);
    } else if (ports.length > 1) {
      findings.push(finding("api/port", "error", [...path, "name"], `${formatPath([...path, "name"])} is missing; every port of a Service with more than one port needs a name`));
    }
    if (typeof port.port === "number") {
      const protocol = typeof port.protocol === "string" ? port.protocol : "TCP";
      const key = `${port.port}/${protocol}`;
      const first = numbers.get(key);
      if (first) findings.push(finding("api/port", "error", [...path, "port"], `${formatPath([...path, "port"])}: ${key} is already the port of ${formatPath(first)}`));
      else numbers.set(key, path);
    }
  });
}

function checkIngressBackend(object: Record_, backendPath: Path, findings: Findings): void {
  const portPath = [...backendPath, "service", "port"];
  checkPortNumber(getPath(object, [...portPath, "number"]), [...portPath, "number"], findings);
  const name = getPath(object, [...portPath, "name"]);
  if (typeof name === "string") {
    const reason = portNameError(name);
    if (reason) findings.push(finding("api/port", "error", [...portPath, "name"], `${formatPath([...portPath, "name"])}: ${show(name)} is not a valid port name: it ${reason}`));
  }
}

function checkIngressPorts(object: Record_, findings: Findings): void {
  if (recordAt(object, ["spec", "defaultBackend"])) checkIngressBackend(object, ["spec", "defaultBackend"], findings);
  arrayAt(object, ["spec", "rules"]).forEach((_, i) =>
    arrayAt(object, ["spec", "rules", i, "http", "paths"]).forEach((__, j) =>
      checkIngressBackend(object, ["spec", "rules", i, "http", "paths", j, "backend"], findings),
    ),
  );
}

// --- workload selectors --------------------------------------------------------------------------------

const WORKLOAD_GROUPS: Record<string, readonly string[]> = {
  Deployment: ["apps", "extensions"],
  ReplicaSet: ["apps", "extensions"],
  StatefulSet: ["apps"],
  DaemonSet: ["apps", "extensions"],
  Job: ["batch"],
  Rollout: ["argoproj.io"],
};

function checkWorkloadSelector(object: Record_, id: Identity, template: PodTemplate | undefined, findings: Findings): void {
  if (!WORKLOAD_GROUPS[id.kind]?.includes(id.group) || !template) return;
  const selector = getPath(object, ["spec", "selector"]);
  // A Job's selector is generated unless it is given; a missing one is the schema's to report elsewhere.
  if (selector === undefined || selector === null || !isRecord(selector)) return;
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    findings.push(
      finding("api/selector-mismatch", "error", ["spec", "selector"], `spec.selector: {} is empty; a ${id.kind} must select its pods by labels (e.g. the template's app label)`),
    );
    return;
  }
  const labels = template.labels ?? {};
  const labelsAt = formatPath(template.labelsPath);
  for (const [key, value] of Object.entries(matchLabels)) {
    const path = ["spec", "selector", "matchLabels", key];
    if (!Object.hasOwn(labels, key)) {
      findings.push(finding("api/selector-mismatch", "error", path, `${formatPath(path)}: ${show(value)} does not match ${labelsAt}, which has no label ${show(key)}`));
    } else if (labels[key] !== value) {
      findings.push(
        finding("api/selector-mismatch", "error", path, `${formatPath(path)}: ${show(value)} does not match ${formatPath([...template.labelsPath, key])} ${show(labels[key])}`),
      );
    }
  }
  expressions.forEach((expression, i) => {
    if (!isRecord(expression)) return;
    if (!matchesLabelSelector({ matchExpressions: [expression] }, labels)) {
      const path = ["spec", "selector", "matchExpressions", i];
      findings.push(
        finding("api/selector-mismatch", "error", path, `${formatPath(path)}: ${showSelector({ matchExpressions: [expression] })} does not match ${labelsAt} ${showSelector(labels)}`),
      );
    }
  });
}
