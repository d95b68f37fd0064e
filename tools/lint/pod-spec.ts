import { groupOf, type KubeObject } from "../model/kube-object.ts";
import { isRecord, type Path } from "./rule.ts";

/** Where each pod-bearing kind keeps its pod template. */
export type PodShape = "pod" | "template" | "cron";

interface PodBearingKind {
  readonly groups: readonly string[];
  readonly shape: PodShape;
  /** Runs until stopped (so probes matter), as opposed to running to completion. */
  readonly longRunning: boolean;
}

/** Every kind that carries a pod spec, and the API groups it is served from. */
export const POD_BEARING_KINDS: Readonly<Record<string, PodBearingKind>> = {
  Pod: { groups: [""], shape: "pod", longRunning: true },
  Deployment: { groups: ["apps", "extensions"], shape: "template", longRunning: true },
  StatefulSet: { groups: ["apps"], shape: "template", longRunning: true },
  DaemonSet: { groups: ["apps", "extensions"], shape: "template", longRunning: true },
  ReplicaSet: { groups: ["apps", "extensions"], shape: "template", longRunning: true },
  ReplicationController: { groups: [""], shape: "template", longRunning: true },
  Rollout: { groups: ["argoproj.io"], shape: "template", longRunning: true },
  Job: { groups: ["batch"], shape: "template", longRunning: false },
  CronJob: { groups: ["batch"], shape: "cron", longRunning: false },
};

/** The pod spec of a pod-bearing object, with where it sits in the object. */
export interface PodSpecLocation {
  readonly spec: Readonly<Record<string, unknown>>;
  /** Path of the pod spec inside the object: `["spec", "template", "spec"]` for a Deployment. */
  readonly path: Path;
  /** Labels the pods get (the template's labels; a Pod's own labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** Runs until stopped: workloads, and Pods whose restartPolicy is Always. */
  readonly longRunning: boolean;
}

/** Finds the pod spec of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or Argo Rollout. */
export function podSpecOf(object: KubeObject): PodSpecLocation | undefined {
  const kind = POD_BEARING_KINDS[object.kind];
  if (!kind || !kind.groups.includes(groupOf(object.apiVersion ?? ""))) return undefined;
  const root: unknown = object;
  const templatePath: Path =
    kind.shape === "pod"
      ? []
      : kind.shape === "template"
        ? ["spec", "template"]
        : ["spec", "jobTemplate", "spec", "template"];
  const template = at(root, templatePath);
  const spec = at(template, ["spec"]);
  // A Rollout that points at a Deployment (`workloadRef`) has no template of its own.
  if (!isRecord(spec)) return undefined;
  const labels = at(template, ["metadata", "labels"]);
  const restartPolicy = spec.restartPolicy ?? "Always";
  return {
    spec,
    path: [...templatePath, "spec"],
    labels: isRecord(labels) ? (labels as Record<string, string>) : {},
    longRunning: kind.longRunning && (kind.shape !== "pod" || restartPolicy === "Always"),
  };
}

export type ContainerList = "containers" | "initContainers" | "ephemeralContainers";

export const ALL_CONTAINER_LISTS: readonly ContainerList[] = ["containers", "initContainers", "ephemeralContainers"];

/** One container of a pod spec, with its path and the words findings use for it (`init container "setup"`). */
export interface ContainerLocation {
  readonly container: Readonly<Record<string, unknown>>;
  readonly list: ContainerList;
  readonly index: number;
  readonly path: Path;
  readonly label: string;
}

const LIST_WORDS: Record<ContainerList, string> = {
  containers: "container",
  initContainers: "init container",
  ephemeralContainers: "ephemeral container",
};

export function containersOf(pod: PodSpecLocation, lists: readonly ContainerList[]): ContainerLocation[] {
  const out: ContainerLocation[] = [];
  for (const list of lists) {
    const items = pod.spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((container, index) => {
      if (!isRecord(container)) return;
      const name =
        typeof container.name === "string" && container.name !== ""
          ? JSON.stringify(container.name)
          : `#${index} (unnamed)`;
      out.push({ container, list, index, path: [...pod.path, list, index], label: `${LIST_WORDS[list]} ${name}` });
    });
  }
  return out;
}

/** The value at `path`, or undefined when any step is missing. */
export function at(value: unknown, path: Path): unknown {
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
