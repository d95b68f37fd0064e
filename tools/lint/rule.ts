import type { ObjectFinding, Severity } from "../findings/finding.ts";
import type { KubeObject } from "../model/kube-object.ts";
import type { ResolvedPolicySettings } from "./settings.ts";

/** Every policy rule, in the order they are reported and documented. */
export const RULE_IDS = [
  "image-pinned",
  "registry-allowed",
  "resources-set",
  "run-as-non-root",
  "no-privileged",
  "no-privilege-escalation",
  "read-only-root-fs",
  "probes-set",
  "no-host-namespaces",
  "no-host-path",
  "capabilities-dropped",
  "no-root-group",
  "no-host-port",
  "no-ssh-port",
  "no-unsafe-sysctls",
  "no-plain-secret",
  "no-duplicate-env",
  "pdb-for-replicated",
  "hpa-min-max",
  "replicas-with-autoscaler",
  "pdb-allows-drain",
  "service-selects-pods",
  "config-change-restarts",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** The rule that reports malformed exception annotations; not a policy rule, so it cannot be ignored or turned off. */
export const POLICY_EXCEPTION_RULE = "policy-exception";

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** `did you mean "image-pinned"?` for a near miss, else the list of rule ids. */
export function suggestRuleId(id: string): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of RULE_IDS) {
    const d = editDistance(id, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  if (best && bestDistance <= Math.max(2, Math.floor(best.length / 4))) return `did you mean "${best}"?`;
  return `known rules: ${RULE_IDS.join(", ")}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** What a rule sees besides the object: the cluster's settings and every object linted with it. */
export interface RuleContext {
  readonly settings: ResolvedPolicySettings;
  /** All objects of the set being linted (a cluster's or a project's rendered output), for rules that look across objects. */
  readonly objects: readonly KubeObject[];
}

/**
 * A Kyverno pattern written against a PodSpec (the `spec` of a Pod); kyverno.ts places it under each
 * pod-bearing kind's pod template. Keys may carry Kyverno anchors (`=(key)`, `X(key)`).
 */
export type PodSpecPattern = Readonly<Record<string, unknown>>;

/** Which pod-bearing kinds a rule applies to. */
export type PodScope = "all" | "long-running";

/** How a rule is enforced in the cluster, or why it is not. */
export type KyvernoSupport =
  | {
      readonly expressible: true;
      readonly scope: PodScope;
      /**
       * The pattern alternatives (one is `pattern`, several are `anyPattern`) for these settings;
       * undefined when the rule checks nothing under them (e.g. no registry allow-list).
       */
      patterns(settings: ResolvedPolicySettings): readonly PodSpecPattern[] | undefined;
      /**
       * Instead of patterns: deny conditions over each container (`element`) of every container list,
       * for what a pattern cannot say (a list that must contain a value, a container setting that
       * falls back to the pod's). `podSpec` is the JMESPath of the pod spec (`request.object.spec…`).
       */
      containerDeny?: (podSpec: string) => Readonly<Record<string, unknown>>;
    }
  | { readonly expressible: false; readonly reason: string };

/** One policy rule: typed data plus the offline check. The same rule generates its Kyverno policy. */
export interface PolicyRule {
  readonly id: RuleId;
  /** Default severity; a cluster's settings may override it or turn the rule off. */
  readonly severity: Severity;
  /** A short imperative title (`Images are pinned to a tag or digest`). */
  readonly title: string;
  /** Why the rule exists, in a sentence or two. */
  readonly rationale: string;
  /** How to fix a finding. */
  readonly hint: string;
  readonly kyverno: KyvernoSupport;
  check(object: KubeObject, context: RuleContext): ObjectFinding[];
}

/** Builds a finding of `rule` with its default severity and hint; lint applies the cluster's severity. */
export function findingOf(
  rule: Pick<PolicyRule, "id" | "severity" | "hint">,
  message: string,
  path: readonly (string | number)[],
  hint: string = rule.hint,
): ObjectFinding {
  return { rule: rule.id, severity: rule.severity, message, path, hint };
}

export type Path = readonly (string | number)[];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
