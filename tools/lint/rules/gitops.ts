import type { ObjectFinding } from "../../findings/finding.ts";
import { selectsWorkloadPods } from "../../model/controller-labels.ts";
import { operatorWorkloads } from "../../model/operator-workloads.ts";
import { groupOf, type KubeObject } from "../../model/kube-object.ts";
import { podSpecOf } from "../pod-spec.ts";
import { findingOf, isRecord, type PolicyRule, type RuleContext } from "../rule.ts";
import { selectorMatches } from "./availability.ts";

const SET_REASON = "It needs other objects of the set (autoscalers, workloads, budgets), which one admission request does not carry.";

/** Kinds an autoscaler may scale whose replica count lives in spec.replicas. */
const SCALABLE: Readonly<Record<string, string>> = { Deployment: "apps", StatefulSet: "apps", ReplicaSet: "apps", Rollout: "argoproj.io" };

function hpasOf(context: RuleContext): KubeObject[] {
  return context.objects.filter((o) => o.kind === "HorizontalPodAutoscaler" && groupOf(o.apiVersion ?? "") === "autoscaling");
}

function autoscalerOf(object: KubeObject, context: RuleContext): KubeObject | undefined {
  return hpasOf(context).find((h) => {
    const target = isRecord(h.spec) && isRecord(h.spec.scaleTargetRef) ? h.spec.scaleTargetRef : {};
    return (h.metadata?.namespace ?? "") === (object.metadata?.namespace ?? "") && target.kind === object.kind && target.name === object.metadata?.name;
  });
}

export const replicasWithAutoscaler: PolicyRule = {
  id: "replicas-with-autoscaler",
  severity: "error",
  title: "A workload an autoscaler scales does not set spec.replicas",
  rationale:
    "Argo CD and Flux restore what git says: with spec.replicas in git, every self-heal resets the count the HorizontalPodAutoscaler chose, and the two controllers fight.",
  hint: "Leave spec.replicas out and let the autoscaler's minReplicas set the floor.",
  kyverno: { expressible: false, reason: SET_REASON },
  check(object, context) {
    if (SCALABLE[object.kind] !== groupOf(object.apiVersion ?? "")) return [];
    const spec = isRecord(object.spec) ? object.spec : {};
    if (spec.replicas === undefined) return [];
    const hpa = autoscalerOf(object, context);
    if (!hpa) return [];
    return [
      findingOf(
        replicasWithAutoscaler,
        `${object.kind} "${object.metadata?.name ?? ""}" sets spec.replicas: ${JSON.stringify(spec.replicas)} while HorizontalPodAutoscaler "${hpa.metadata?.name ?? ""}" scales it; each sync resets the autoscaler's count`,
        ["spec", "replicas"],
      ),
    ];
  },
};

export const pdbAllowsDrain: PolicyRule = {
  id: "pdb-allows-drain",
  severity: "error",
  title: "A PodDisruptionBudget leaves room to evict a pod",
  rationale:
    "A budget whose minAvailable reaches the workload's replicas (or whose maxUnavailable is 0) never allows an eviction: node drains and cluster upgrades hang on it.",
  hint: "Set minAvailable below the replica count (or the autoscaler's minReplicas), or use maxUnavailable: 1.",
  kyverno: { expressible: false, reason: SET_REASON },
  check(object, context) {
    if (object.kind !== "PodDisruptionBudget" || groupOf(object.apiVersion ?? "") !== "policy") return [];
    const spec = isRecord(object.spec) ? object.spec : {};
    const name = `PodDisruptionBudget "${object.metadata?.name ?? ""}"`;
    if (spec.maxUnavailable === 0 || spec.maxUnavailable === "0%") {
      return [findingOf(pdbAllowsDrain, `${name} has maxUnavailable: ${JSON.stringify(spec.maxUnavailable)}, so no pod may ever be evicted`, ["spec", "maxUnavailable"])];
    }
    if (spec.minAvailable === "100%") {
      return [findingOf(pdbAllowsDrain, `${name} has minAvailable: "100%", so no pod may ever be evicted`, ["spec", "minAvailable"])];
    }
    if (typeof spec.minAvailable !== "number") return [];
    const out: ObjectFinding[] = [];
    for (const workload of context.objects) {
      if (SCALABLE[workload.kind] !== groupOf(workload.apiVersion ?? "") || (workload.metadata?.namespace ?? "") !== (object.metadata?.namespace ?? "")) continue;
      const pod = podSpecOf(workload);
      if (!pod || !selectorMatches(spec.selector, pod.labels)) continue;
      const hpa = autoscalerOf(workload, context);
      const hpaMin = hpa && isRecord(hpa.spec) && typeof hpa.spec.minReplicas === "number" ? hpa.spec.minReplicas : hpa ? 1 : undefined;
      const workloadSpec = isRecord(workload.spec) ? workload.spec : {};
      const replicas = hpaMin ?? (typeof workloadSpec.replicas === "number" ? workloadSpec.replicas : 1);
      if (spec.minAvailable < replicas) continue;
      const source = hpaMin !== undefined ? `HorizontalPodAutoscaler "${hpa!.metadata?.name ?? ""}" keeps as few as ${replicas}` : `it runs ${replicas}`;
      out.push(
        findingOf(pdbAllowsDrain, `${name} requires minAvailable: ${spec.minAvailable} pods of ${workload.kind} "${workload.metadata?.name ?? ""}", and ${source}: no pod may be evicted, so drains hang`, ["spec", "minAvailable"]),
      );
    }
    return out;
  },
};

export const serviceSelectsPods: PolicyRule = {
  id: "service-selects-pods",
  severity: "error",
  title: "A Service's selector matches the pods of a workload in the same set",
  rationale: "A Service whose selector matches no pod template has no endpoints: every request to it fails, and nothing reports why.",
  hint: "Make spec.selector match the pod template labels of the workload it fronts (or drop the selector for a Service with hand-made endpoints).",
  kyverno: { expressible: false, reason: SET_REASON },
  check(object, context) {
    if (object.kind !== "Service" || groupOf(object.apiVersion ?? "") !== "") return [];
    const spec = isRecord(object.spec) ? object.spec : {};
    if (spec.type === "ExternalName" || !isRecord(spec.selector) || Object.keys(spec.selector).length === 0) return [];
    const selector = spec.selector;
    const namespace = object.metadata?.namespace ?? "";
    // The StatefulSets the Prometheus Operator makes from the set's Prometheus and Alertmanager resources count too.
    const matched = [...context.objects, ...operatorMade(context.objects)].some((o) => {
      if ((o.metadata?.namespace ?? "") !== namespace) return false;
      const pod = podSpecOf(o);
      return pod !== undefined && selectsWorkloadPods(selector, o, pod.labels);
    });
    if (matched) return [];
    const labels = Object.entries(spec.selector).map(([k, v]) => `${k}=${String(v)}`).join(", ");
    return [findingOf(serviceSelectsPods, `Service "${object.metadata?.name ?? ""}" selects ${labels}, which no pod template in namespace ${namespace || "(none)"} carries`, ["spec", "selector"])];
  },
};

const madeByOperators = new WeakMap<readonly unknown[], KubeObject[]>();

function operatorMade(objects: readonly KubeObject[]): KubeObject[] {
  let made = madeByOperators.get(objects);
  if (!made) {
    made = objects.flatMap((o) => operatorWorkloads(o) as KubeObject[]);
    madeByOperators.set(objects, made);
  }
  return made;
}

/** A name Kustomize's generators hash (`app-config-7g2hk5m8f4`): a content change renames it, so pods roll. */
const HASHED_NAME = /-[a-z0-9]{10}$/;

export const configChangeRestarts: PolicyRule = {
  id: "config-change-restarts",
  severity: "warning",
  title: "A change of mounted configuration restarts the pods",
  rationale:
    "Pods read a ConfigMap or Secret when they start: if its name carries no content hash and the pod template no checksum annotation, a changed config is synced but never used.",
  hint: "Give the pod template a checksum/<name> (or <name>/checksum) annotation of the config's content (or generate the ConfigMap with a content-hashed name).",
  kyverno: { expressible: false, reason: "It needs the ConfigMaps and Secrets of the set, which one admission request does not carry." },
  check(object, context) {
    const pod = podSpecOf(object);
    // A Pod is replaced, not restarted; a Job or CronJob reads its config afresh at each run.
    if (!pod || object.kind === "Pod" || object.kind === "Job" || object.kind === "CronJob") return [];
    const template = pod.path.slice(0, -1);
    let annotations: unknown = object;
    for (const key of [...template, "metadata", "annotations"]) annotations = isRecord(annotations) ? annotations[key] : undefined;
    const keys = isRecord(annotations) ? Object.keys(annotations) : [];
    // checksum/<name> (Helm's documented idiom) or <name>/checksum (as Kargo's chart writes them).
    if (keys.some((k) => k.startsWith("checksum/") || k.endsWith("/checksum") || k.includes("reloader"))) return [];
    const namespace = object.metadata?.namespace ?? "";
    const managed = (kind: string, name: string) => context.objects.some((o) => o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? "") === namespace);
    const out: ObjectFinding[] = [];
    const seen = new Set<string>();
    const report = (kind: string, name: unknown, path: (string | number)[]) => {
      if (typeof name !== "string" || HASHED_NAME.test(name) || !managed(kind, name) || seen.has(`${kind}/${name}`)) return;
      seen.add(`${kind}/${name}`);
      out.push(findingOf(configChangeRestarts, `${object.kind} "${object.metadata?.name ?? ""}" reads ${kind} "${name}", but a change to it restarts no pod (no content hash in the name, no checksum annotation)`, path));
    };
    const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    volumes.forEach((v, i) => {
      if (!isRecord(v)) return;
      if (isRecord(v.configMap)) report("ConfigMap", v.configMap.name, [...pod.path, "volumes", i, "configMap", "name"]);
      if (isRecord(v.secret)) report("Secret", v.secret.secretName, [...pod.path, "volumes", i, "secret", "secretName"]);
    });
    for (const list of ["initContainers", "containers"] as const) {
      const containers = Array.isArray(pod.spec[list]) ? (pod.spec[list] as unknown[]) : [];
      containers.forEach((c, ci) => {
        if (!isRecord(c) || !Array.isArray(c.envFrom)) return;
        c.envFrom.forEach((e, ei) => {
          if (!isRecord(e)) return;
          if (isRecord(e.configMapRef)) report("ConfigMap", e.configMapRef.name, [...pod.path, list, ci, "envFrom", ei, "configMapRef", "name"]);
          if (isRecord(e.secretRef)) report("Secret", e.secretRef.name, [...pod.path, list, ci, "envFrom", ei, "secretRef", "name"]);
        });
      });
    }
    return out;
  },
};
