import type { ObjectFinding } from "../findings/finding.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { exceptionFindings, policyExceptionsOf } from "./exceptions.ts";
import { isRecord, type RuleContext } from "./rule.ts";
import { POLICY_RULES } from "./rules.ts";
import { resolvePolicySettings, type PolicySettings } from "./settings.ts";

/** One object to lint; `id` is the caller's handle (e.g. its index among loaded documents) to locate findings. */
export interface LintInput {
  readonly object: unknown;
  readonly id: number;
}

export interface LintResult {
  readonly id: number;
  readonly finding: ObjectFinding;
}

/**
 * Runs every enabled policy rule over a set of objects (a cluster's or a project's rendered output).
 * The set matters: `pdb-for-replicated` looks for PodDisruptionBudgets and autoscalers among the others.
 * Objects waive rules with the `policy.typed-gitops.dev/ignore` annotation; a malformed exception is a
 * `policy-exception` finding. Values that are not Kubernetes objects are left to validate.
 * Throws PolicySettingsError when the settings name an unknown rule.
 */
export function lintObjects(objects: readonly LintInput[], settings: PolicySettings): LintResult[] {
  const resolved = resolvePolicySettings(settings);
  const inputs = objects.filter((o): o is { object: KubeObject; id: number } => isKubeObject(o.object));
  const context: RuleContext = { settings: resolved, objects: inputs.map((o) => o.object) };
  const out: LintResult[] = [];
  for (const { object, id } of inputs) {
    const exceptions = policyExceptionsOf(object);
    for (const finding of exceptionFindings(exceptions)) out.push({ id, finding });
    for (const rule of POLICY_RULES) {
      const severity = resolved.severities.get(rule.id);
      if (severity === undefined || exceptions.ignored.has(rule.id)) continue;
      for (const finding of rule.check(object, context)) {
        out.push({ id, finding: finding.severity === severity ? finding : { ...finding, severity } });
      }
    }
  }
  return out;
}

/** Lints one object on its own (set-level rules see only this object). */
export function lintObject(object: unknown, settings: PolicySettings): ObjectFinding[] {
  return lintObjects([{ object, id: 0 }], settings).map((r) => r.finding);
}

function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && typeof value.kind === "string" && typeof value.apiVersion === "string";
}
