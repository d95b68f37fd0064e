import { groupOf } from "./kube-object.ts";

/**
 * Labels a workload controller adds to the pods it creates, beyond the pod template's own.
 * `fixed` values are known from the object; `hashed` labels get a value computed at run time
 * (a revision hash), so a selector on them may match and is not held against the workload.
 */
interface ControllerLabels {
  readonly groups: readonly string[];
  readonly hashed: readonly string[];
  /** One label set per pod the controller names predictably (a StatefulSet's ordinals). */
  readonly perPod?: (name: string, replicas: number) => Record<string, string>[];
}

const CONTROLLER_LABELS: Readonly<Record<string, ControllerLabels>> = {
  StatefulSet: {
    groups: ["apps"],
    hashed: ["controller-revision-hash"],
    perPod: (name, replicas) =>
      Array.from({ length: replicas }, (_, i) => ({ "statefulset.kubernetes.io/pod-name": `${name}-${i}`, "apps.kubernetes.io/pod-index": String(i) })),
  },
  Deployment: { groups: ["apps", "extensions"], hashed: ["pod-template-hash"] },
  ReplicaSet: { groups: ["apps", "extensions"], hashed: ["pod-template-hash"] },
  DaemonSet: { groups: ["apps", "extensions"], hashed: ["controller-revision-hash", "pod-template-generation"] },
  Rollout: { groups: ["argoproj.io"], hashed: ["rollouts-pod-template-hash"] },
};

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Whether a Service's map selector matches a pod the workload runs: the pod template's labels plus
 * those the controller adds (`statefulset.kubernetes.io/pod-name: <name>-<ordinal>` for each ordinal
 * below spec.replicas, `apps.kubernetes.io/pod-index`, and revision hashes whose value is only known at run time).
 */
export function selectsWorkloadPods(selector: Readonly<Record<string, unknown>>, workload: unknown, templateLabels: Readonly<Record<string, unknown>>): boolean {
  const apiVersion = field(workload, "apiVersion");
  const kind = field(workload, "kind");
  const added = typeof kind === "string" ? CONTROLLER_LABELS[kind] : undefined;
  const controller = added && added.groups.includes(groupOf(typeof apiVersion === "string" ? apiVersion : "")) ? added : undefined;
  const hashed = new Set(controller?.hashed ?? []);
  const name = field(field(workload, "metadata"), "name");
  const replicas = field(field(workload, "spec"), "replicas");
  const perPod =
    controller?.perPod && typeof name === "string" ? controller.perPod(name, typeof replicas === "number" && replicas >= 0 ? replicas : 1) : [{}];
  // With no pods (replicas: 0) the template's labels still say what the Service is meant to select.
  return (perPod.length > 0 ? perPod : [{}]).some((pod: Record<string, string>) =>
    Object.entries(selector).every(([key, value]) => {
      // The controller sets these itself: a template label of the same key is overwritten.
      if (Object.hasOwn(pod, key)) return pod[key] === value;
      if (hashed.has(key)) return true;
      return templateLabels[key] === value;
    }),
  );
}
