import type { ObjectFinding } from "../../findings/finding.ts";
import { podSpecOf } from "../pod-spec.ts";
import { findingOf, isRecord, type PolicyRule } from "../rule.ts";

const NAMESPACES = [
  { field: "hostNetwork", words: "network" },
  { field: "hostPID", words: "process (PID)" },
  { field: "hostIPC", words: "IPC" },
] as const;

export const noHostNamespaces: PolicyRule = {
  id: "no-host-namespaces",
  severity: "error",
  title: "Pods do not share the host's network, PID or IPC namespace",
  rationale:
    "A pod in the host's namespaces sees and reaches the node's processes, ports and shared memory, bypassing NetworkPolicies and isolation.",
  hint: "Remove hostNetwork, hostPID and hostIPC (or set them to false); expose ports through a Service instead.",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => [{ "=(hostNetwork)": false, "=(hostPID)": false, "=(hostIPC)": false }],
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    for (const { field, words } of NAMESPACES) {
      const value = pod.spec[field];
      if (value === undefined || value === false) continue;
      out.push(
        findingOf(noHostNamespaces, `pod shares the host's ${words} namespace (${field}: ${JSON.stringify(value)})`, [
          ...pod.path,
          field,
        ]),
      );
    }
    return out;
  },
};

export const noHostPath: PolicyRule = {
  id: "no-host-path",
  severity: "error",
  title: "Pods do not mount hostPath volumes",
  rationale:
    "A hostPath volume exposes the node's filesystem (the container runtime socket, kubelet credentials) to the pod and ties it to one node's disk.",
  hint: "Use a PersistentVolumeClaim, emptyDir, ConfigMap, Secret or projected volume instead of hostPath.",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => [{ "=(volumes)": [{ "X(hostPath)": "null" }] }],
  },
  check(object) {
    const pod = podSpecOf(object);
    const volumes = pod?.spec.volumes;
    if (!pod || !Array.isArray(volumes)) return [];
    const out: ObjectFinding[] = [];
    volumes.forEach((volume, index) => {
      if (!isRecord(volume) || !("hostPath" in volume)) return;
      const name = typeof volume.name === "string" ? `"${volume.name}"` : `#${index}`;
      const hostPath =
        isRecord(volume.hostPath) && typeof volume.hostPath.path === "string" ? ` "${volume.hostPath.path}"` : "";
      out.push(
        findingOf(noHostPath, `volume ${name} mounts the host path${hostPath}`, [
          ...pod.path,
          "volumes",
          index,
          "hostPath",
        ]),
      );
    });
    return out;
  },
};
