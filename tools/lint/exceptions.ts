import type { ObjectFinding } from "../findings/finding.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { POLICY_EXCEPTION_RULE, isRuleId, suggestRuleId, type RuleId } from "./rule.ts";

/**
 * The annotation that waives rules for one object: `<rule-id>: <reason>` entries separated by `;`,
 * e.g. `run-as-non-root: the chart's init container needs root; read-only-root-fs: writes a cache`.
 * Kyverno policies honour the same annotation (an `exclude` on `*<rule-id>:*`).
 */
export const IGNORE_ANNOTATION = "policy.typed-gitops.dev/ignore";

export const EXCEPTION_HINT = `Write ${IGNORE_ANNOTATION}: "<rule-id>: <reason>", entries separated by ";".`;

export interface PolicyExceptions {
  /** Rules waived for the object (an entry without a reason still waives, and is reported). */
  readonly ignored: ReadonlySet<RuleId>;
  /** What is wrong with the annotation, as messages. */
  readonly problems: readonly string[];
}

const NONE: PolicyExceptions = { ignored: new Set(), problems: [] };
const ENTRY = /^([a-z0-9][a-z0-9-]*):(.*)$/s;

export function parsePolicyExceptions(value: string): PolicyExceptions {
  const ignored = new Set<RuleId>();
  const problems: string[] = [];
  const entries = value
    .split(";")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  if (entries.length === 0) return { ignored, problems: [`${IGNORE_ANNOTATION} is empty`] };
  for (const entry of entries) {
    // A bare rule id is the common slip; treat it as an entry with an empty reason.
    const match = ENTRY.exec(entry) ?? (/^[a-z0-9][a-z0-9-]*$/.test(entry) ? [entry, entry, ""] : null);
    if (!match) {
      problems.push(`policy exception "${entry}" is malformed: write "<rule-id>: <reason>"`);
      continue;
    }
    const [, id, reason] = match;
    if (!isRuleId(id)) {
      problems.push(`policy exception names unknown rule "${id}" (${suggestRuleId(id)})`);
      continue;
    }
    ignored.add(id);
    if (reason.trim() === "") problems.push(`policy exception for "${id}" has no reason: write "${id}: <why>"`);
  }
  return { ignored, problems };
}

export function policyExceptionsOf(object: KubeObject): PolicyExceptions {
  const value = object.metadata?.annotations?.[IGNORE_ANNOTATION];
  if (value === undefined) return NONE;
  return parsePolicyExceptions(String(value));
}

/** The problems of an object's exception annotation as findings, pointing at the annotation. */
export function exceptionFindings(exceptions: PolicyExceptions): ObjectFinding[] {
  return exceptions.problems.map((message) => ({
    rule: POLICY_EXCEPTION_RULE,
    severity: "error",
    message,
    path: ["metadata", "annotations", IGNORE_ANNOTATION],
    hint: EXCEPTION_HINT,
  }));
}
