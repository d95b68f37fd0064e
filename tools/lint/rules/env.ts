import type { ObjectFinding } from "../../findings/finding.ts";
import { ALL_CONTAINER_LISTS, containersOf, podSpecOf } from "../pod-spec.ts";
import { findingOf, isRecord, type PolicyRule } from "../rule.ts";

export const noDuplicateEnv: PolicyRule = {
  id: "no-duplicate-env",
  severity: "error",
  title: "A container sets each environment variable once",
  rationale:
    "With a name twice in env the last value silently wins, and server-side apply (Argo CD's) rejects the list as having duplicate keys.",
  hint: "Keep one entry per name; when an overlay changes a value, patch the existing entry instead of adding another.",
  kyverno: {
    expressible: false,
    reason:
      "Uniqueness within a list needs a JMESPath deny condition, which the shared pattern evaluator cannot check; the API server also warns about duplicates.",
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
      const env = c.container.env;
      if (!Array.isArray(env)) continue;
      const seen = new Map<string, number[]>();
      env.forEach((entry, index) => {
        if (!isRecord(entry) || typeof entry.name !== "string") return;
        seen.set(entry.name, [...(seen.get(entry.name) ?? []), index]);
      });
      for (const [name, indexes] of seen) {
        if (indexes.length < 2) continue;
        const where = indexes.map((i) => `env[${i}]`).join(", ");
        out.push(
          findingOf(
            noDuplicateEnv,
            `${c.label} sets env var "${name}" ${indexes.length} times (${where}); the last one wins`,
            [...c.path, "env", indexes[1], "name"],
          ),
        );
      }
    }
    return out;
  },
};
