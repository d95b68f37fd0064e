import { groupOf, type KubeObject } from "../../model/kube-object.ts";
import { podSpecOf } from "../pod-spec.ts";
import { findingOf, isRecord, type PolicyRule, type RuleContext } from "../rule.ts";

/** Kinds whose replica count is theirs to set (a DaemonSet runs one pod per node, a Job runs to completion). */
const REPLICATED_KINDS: Readonly<Record<string, string>> = {
  Deployment: "apps",
  StatefulSet: "apps",
  ReplicaSet: "apps",
  Rollout: "argoproj.io",
};

export const pdbForReplicated: PolicyRule = {
  id: "pdb-for-replicated",
  severity: "error",
  title: "Replicated workloads in prod have a PodDisruptionBudget",
  rationale:
    "Without a PodDisruptionBudget a node drain or cluster upgrade may evict every replica at once, and the service is down although it runs several.",
  hint: "Add a policy/v1 PodDisruptionBudget in the same namespace whose selector matches the pod labels (e.g. maxUnavailable: 1).",
  kyverno: {
    expressible: false,
    reason:
      "It needs the whole set of objects (the workload, its HorizontalPodAutoscaler and every PodDisruptionBudget), which one admission request does not carry.",
  },
  check(object, context) {
    if (context.settings.environment !== "prod") return [];
    if (REPLICATED_KINDS[object.kind] !== groupOf(object.apiVersion ?? "")) return [];
    const pod = podSpecOf(object);
    if (!pod) return [];
    const namespace = object.metadata?.namespace ?? "";
    const index = indexOf(context);
    const spec = isRecord(object.spec) ? object.spec : {};
    const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
    const hpa = index.hpas.find(
      (h) =>
        (h.metadata?.namespace ?? "") === namespace &&
        targetOf(h)?.kind === object.kind &&
        targetOf(h)?.name === object.metadata?.name,
    );
    const hpaMin = hpa && isRecord(hpa.spec) && typeof hpa.spec.minReplicas === "number" ? hpa.spec.minReplicas : 1;
    if (replicas <= 1 && hpaMin <= 1) return [];
    const covered = index.pdbs.some(
      (pdb) =>
        (pdb.metadata?.namespace ?? "") === namespace &&
        isRecord(pdb.spec) &&
        selectorMatches(pdb.spec.selector, pod.labels),
    );
    if (covered) return [];
    const labels =
      Object.entries(pod.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ") || "no labels";
    const name = `${object.kind} "${object.metadata?.name ?? ""}"`;
    if (replicas > 1) {
      return [
        findingOf(
          pdbForReplicated,
          `${name} runs ${replicas} replicas in prod but no PodDisruptionBudget selects its pods (${labels})`,
          ["spec", "replicas"],
        ),
      ];
    }
    return [
      findingOf(
        pdbForReplicated,
        `${name} scales to at least ${hpaMin} replicas (HorizontalPodAutoscaler "${hpa?.metadata?.name}") in prod but no PodDisruptionBudget selects its pods (${labels})`,
        [...pod.path.slice(0, -1), "metadata", "labels"],
      ),
    ];
  },
};

export const hpaMinMax: PolicyRule = {
  id: "hpa-min-max",
  severity: "error",
  title: "HorizontalPodAutoscaler minReplicas is not above maxReplicas",
  rationale: "An autoscaler whose minimum exceeds its maximum is rejected by the API server, so the whole sync fails.",
  hint: "Make minReplicas ≤ maxReplicas (minReplicas defaults to 1).",
  kyverno: {
    expressible: false,
    reason: "A pattern cannot compare two fields of one object, and the API server already rejects such an autoscaler.",
  },
  check(object) {
    if (object.kind !== "HorizontalPodAutoscaler" || groupOf(object.apiVersion ?? "") !== "autoscaling") return [];
    const spec = isRecord(object.spec) ? object.spec : {};
    const name = `HorizontalPodAutoscaler "${object.metadata?.name ?? ""}"`;
    if (typeof spec.maxReplicas !== "number")
      return [findingOf(hpaMinMax, `${name} has no maxReplicas`, ["spec", "maxReplicas"])];
    const min = typeof spec.minReplicas === "number" ? spec.minReplicas : 1;
    if (min <= spec.maxReplicas) return [];
    return [
      findingOf(hpaMinMax, `${name} has minReplicas ${min} greater than maxReplicas ${spec.maxReplicas}`, [
        "spec",
        "minReplicas",
      ]),
    ];
  },
};

interface AvailabilityIndex {
  readonly pdbs: readonly KubeObject[];
  readonly hpas: readonly KubeObject[];
}

const indexes = new WeakMap<readonly KubeObject[], AvailabilityIndex>();

/** PDBs and HPAs of the set, found once per lint run rather than once per workload. */
function indexOf(context: RuleContext): AvailabilityIndex {
  let index = indexes.get(context.objects);
  if (!index) {
    index = {
      pdbs: context.objects.filter((o) => o.kind === "PodDisruptionBudget" && groupOf(o.apiVersion ?? "") === "policy"),
      hpas: context.objects.filter(
        (o) => o.kind === "HorizontalPodAutoscaler" && groupOf(o.apiVersion ?? "") === "autoscaling",
      ),
    };
    indexes.set(context.objects, index);
  }
  return index;
}

function targetOf(hpa: KubeObject): { kind?: unknown; name?: unknown } | undefined {
  return isRecord(hpa.spec) && isRecord(hpa.spec.scaleTargetRef) ? hpa.spec.scaleTargetRef : undefined;
}

/** Kubernetes label selector semantics: an empty selector matches everything, a missing one nothing. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of expressions) {
    if (!isRecord(e) || typeof e.key !== "string") return false;
    const values = Array.isArray(e.values) ? e.values : [];
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[e.key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
