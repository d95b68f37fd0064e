import type { ObjectFinding } from "../../findings/finding.ts";
import { containersOf, podSpecOf, type ContainerList } from "../pod-spec.ts";
import { findingOf, isRecord, type PolicyRule } from "../rule.ts";
import { containerPattern } from "./images.ts";

// Ephemeral containers may not set resources.
const LISTS: readonly ContainerList[] = ["containers", "initContainers"];

const REQUIRED = [
  { field: ["requests", "cpu"], words: "CPU request" },
  { field: ["requests", "memory"], words: "memory request" },
  { field: ["limits", "memory"], words: "memory limit" },
] as const;

export const resourcesSet: PolicyRule = {
  id: "resources-set",
  severity: "error",
  title: "Containers set CPU and memory requests and a memory limit",
  rationale:
    "Requests let the scheduler place pods and protect them under pressure; a memory limit stops one container from exhausting its node.",
  hint: "Set resources.requests.cpu, resources.requests.memory and resources.limits.memory (a CPU limit is optional: it throttles).",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => [
      containerPattern({ resources: { requests: { cpu: "?*", memory: "?*" }, limits: { memory: "?*" } } }, LISTS),
    ],
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, LISTS)) {
      const resources = isRecord(c.container.resources) ? c.container.resources : {};
      for (const { field, words } of REQUIRED) {
        const group = resources[field[0]];
        const value = isRecord(group) ? group[field[1]] : undefined;
        if (!isQuantitySet(value))
          out.push(findingOf(resourcesSet, `${c.label} has no ${words}`, [...c.path, "resources", ...field]));
      }
    }
    return out;
  },
};

function isQuantitySet(value: unknown): boolean {
  return typeof value === "number" || (typeof value === "string" && value !== "");
}
