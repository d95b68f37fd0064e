import type { ObjectFinding } from "../../findings/finding.ts";
import { containersOf, podSpecOf } from "../pod-spec.ts";
import { findingOf, isRecord, type PolicyRule } from "../rule.ts";
import { containerPattern } from "./images.ts";

const PROBES = [
  { field: "livenessProbe", words: "liveness probe" },
  { field: "readinessProbe", words: "readiness probe" },
] as const;

export const probesSet: PolicyRule = {
  id: "probes-set",
  severity: "warning",
  title: "Long-running containers have liveness and readiness probes",
  rationale:
    "Without a readiness probe a pod gets traffic before it can serve it; without a liveness probe a hung process is never restarted.",
  hint: "Add livenessProbe and readinessProbe (httpGet, tcpSocket, grpc or exec) to each container of a workload.",
  kyverno: {
    expressible: true,
    scope: "long-running",
    patterns: () => [
      // A bare Pod that runs to completion needs no probes.
      { restartPolicy: "Never | OnFailure" },
      containerPattern({ livenessProbe: { "=(periodSeconds)": ">0" }, readinessProbe: { "=(periodSeconds)": ">0" } }, [
        "containers",
      ]),
    ],
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod || !pod.longRunning) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ["containers"])) {
      for (const { field, words } of PROBES) {
        if (!isRecord(c.container[field]))
          out.push(findingOf(probesSet, `${c.label} has no ${words}`, [...c.path, field]));
      }
    }
    return out;
  },
};
