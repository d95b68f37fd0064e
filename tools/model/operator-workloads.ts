type Record_ = Record<string, unknown>;

function isRecord(value: unknown): value is Record_ {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function getPath(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function recordAt(value: unknown, path: readonly string[]): Record_ | undefined {
  const node = getPath(value, path);
  return isRecord(node) ? node : undefined;
}

function stringAt(value: unknown, path: readonly string[]): string | undefined {
  const node = getPath(value, path);
  return typeof node === "string" ? node : undefined;
}

/**
 * The StatefulSets the Prometheus Operator makes from the Prometheus and Alertmanager resources of a render,
 * named and labelled as the operator does (prometheus-operator, pkg/prometheus/server/statefulset.go and
 * pkg/alertmanager/statefulset.go): `prometheus-<name>` (`-shard-<n>` beyond the first shard) and
 * `alertmanager-<name>`, whose pods carry `spec.podMetadata.labels` plus the operator's selector labels and
 * serve the container port `spec.portName` (default "web"), beside the config reloader's "reloader-web" (8080,
 * pkg/operator/config_reloader.go). Only what a Service or PodDisruptionBudget can
 * select or name is modelled: labels, replicas and ports.
 */
export function operatorWorkloads(object: unknown): Record_[] {
  const apiVersion = stringAt(object, ["apiVersion"]) ?? "";
  const kind = stringAt(object, ["kind"]);
  const name = stringAt(object, ["metadata", "name"]);
  const namespace = stringAt(object, ["metadata", "namespace"]) ?? "";
  if (!apiVersion.startsWith("monitoring.coreos.com/") || !name) return [];
  const podLabels = stringLabels(recordAt(object, ["spec", "podMetadata", "labels"]));
  const replicas = numberAt(object, ["spec", "replicas"]) ?? 1;
  const portName = stringAt(object, ["spec", "portName"]) ?? "web";
  const listenLocal = getPath(object, ["spec", "listenLocal"]) === true;
  if (kind === "Prometheus") {
    const shards = Math.max(1, numberAt(object, ["spec", "shards"]) ?? 1);
    return Array.from({ length: shards }, (_, shard) =>
      statefulSet(shard === 0 ? `prometheus-${name}` : `prometheus-${name}-shard-${shard}`, namespace, replicas, {
        ...podLabels,
        "app.kubernetes.io/name": "prometheus",
        "app.kubernetes.io/managed-by": "prometheus-operator",
        "app.kubernetes.io/instance": name,
        prometheus: name,
        "operator.prometheus.io/shard": String(shard),
        "operator.prometheus.io/name": name,
      }, { name: "prometheus", ports: listenLocal ? [] : [{ name: portName, containerPort: 9090 }] }, listenLocal),
    );
  }
  if (kind === "Alertmanager") {
    const mesh = [{ name: "mesh-tcp", containerPort: 9094 }, { name: "mesh-udp", containerPort: 9094, protocol: "UDP" }];
    return [
      statefulSet(`alertmanager-${name}`, namespace, replicas, {
        ...podLabels,
        "app.kubernetes.io/name": "alertmanager",
        "app.kubernetes.io/managed-by": "prometheus-operator",
        "app.kubernetes.io/instance": name,
        alertmanager: name,
      }, { name: "alertmanager", ports: listenLocal ? mesh : [{ name: portName, containerPort: 9093 }, ...mesh] }, listenLocal),
    ];
  }
  return [];
}

function statefulSet(name: string, namespace: string, replicas: number, labels: Record<string, string>, container: Record_, listenLocal: boolean): Record_ {
  const reloader = { name: "config-reloader", ports: listenLocal ? [] : [{ name: "reloader-web", containerPort: 8080 }] };
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container, reloader] } } },
  };
}

function stringLabels(labels: Record_ | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) if (typeof value === "string") out[key] = value;
  return out;
}

function numberAt(object: unknown, path: readonly string[]): number | undefined {
  const value = getPath(object, path);
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

