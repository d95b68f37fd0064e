import type { Severity } from "../findings/finding.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { POLICY_EXCEPTION_NAMESPACE, type DeclaredPolicyException } from "../model/policy-exception.ts";
import { exceptionProblems, exceptionTargets } from "./exceptions.ts";
import type { PodShape } from "./pod-spec.ts";
import { isRecord, type PodScope, type PodSpecPattern, type PolicyRule, type RuleId } from "./rule.ts";
import { POLICY_RULES } from "./rules.ts";
import { PolicySettingsError, resolvePolicySettings, type PolicySettings, type ResolvedPolicySettings } from "./settings.ts";

/** Namespaces whose workloads (typically a chart's, invisible to offline lint) a rule does not apply to, and why. */
export interface NamespaceExemption {
  readonly namespaces: readonly string[];
  readonly rules: readonly string[];
  readonly reason: string;
}

export interface KyvernoSettings extends PolicySettings {
  /** Chart workloads that need an exception in the cluster: excluded by namespace, per rule, with a reason. */
  readonly exemptions?: readonly NamespaceExemption[];
  /**
   * The cluster serves Argo Rollouts (argoproj.io/v1alpha1), so policies also match Rollout. Kyverno
   * refuses a policy that names a kind the API server does not know.
   * @default true
   */
  readonly argoRollouts?: boolean;
}

export const ROLLOUT_KIND = "argoproj.io/v1alpha1/Rollout";

/**
 * Controllers whose children the policies may skip, as `apiVersion/kind` of an owner reference with
 * `controller: true`: each is matched by the policies itself (its pod template was checked when it was
 * admitted). Any other owner (a ConfigMap, a made-up kind) skips nothing, so naming an owner is no way
 * around the policies.
 */
export const CHECKED_CONTROLLERS = [
  "apps/v1/DaemonSet",
  "apps/v1/Deployment",
  "apps/v1/ReplicaSet",
  "apps/v1/StatefulSet",
  "argoproj.io/v1alpha1/Rollout",
  "batch/v1/CronJob",
  "batch/v1/Job",
  "v1/ReplicationController",
] as const;

/** The JMESPath that counts an object's controller owners among CHECKED_CONTROLLERS. */
export const CHECKED_OWNER_COUNT = `length((request.object.metadata.ownerReferences || \`[]\`)[?controller && contains(\`${JSON.stringify(CHECKED_CONTROLLERS)}\`, join('/', [apiVersion, kind]))])`;

/** Skip only objects a checked controller made (pods of a ReplicaSet, Jobs of a CronJob). */
export const SKIP_OWNED_PRECONDITION = {
  all: [{ key: `{{ ${CHECKED_OWNER_COUNT} }}`, operator: "Equals", value: 0 }],
} as const;

const SEVERITY_WORDS: Record<Severity, string> = { error: "high", warning: "medium" };

/** Kinds each rule of a policy matches, by where they keep the pod spec. */
function kindsFor(shape: PodShape, scope: PodScope, rollouts: boolean): string[] {
  switch (shape) {
    case "pod":
      return ["Pod"];
    case "template": {
      const kinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"];
      if (scope === "all") kinds.push("Job");
      if (rollouts) kinds.push(ROLLOUT_KIND);
      return kinds;
    }
    case "cron":
      return scope === "all" ? ["CronJob"] : [];
  }
}

/**
 * Places a pattern written against a PodSpec where each shape keeps it. Every step is an equality
 * anchor, like the offline check that skips an object without a pod template (a Rollout with workloadRef).
 */
export function wrapPodSpecPattern(shape: PodShape, pattern: PodSpecPattern): Record<string, unknown> {
  const template = { "=(template)": { "=(spec)": pattern } };
  switch (shape) {
    case "pod":
      return { "=(spec)": pattern };
    case "template":
      return { "=(spec)": template };
    case "cron":
      return { "=(spec)": { "=(jobTemplate)": { "=(spec)": template } } };
  }
}

const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;
const SPEC_PATH: Record<PodShape, string> = { pod: "spec", template: "spec.template.spec", cron: "spec.jobTemplate.spec.template.spec" };

const SHAPE_SUFFIX: Record<PodShape, string> = { pod: "pod", template: "workload", cron: "cronjob" };

/**
 * One Kyverno ClusterPolicy per rule Kyverno can express and the settings enable: Enforce in prod for
 * rules of severity error, Audit otherwise (a warning never blocks admission). Rules match the
 * pod-bearing kinds explicitly (autogen is off: it cannot cover Rollout); objects a checked controller owns are
 * skipped (SKIP_OWNED_PRECONDITION), any other object is checked whatever owner it names.
 */
export function kyvernoPolicies(settings: KyvernoSettings): KubeObject[] {
  const resolved = resolvePolicySettings(settings);
  for (const exemption of settings.exemptions ?? []) {
    for (const id of exemption.rules) {
      if (!POLICY_RULES.some((r) => r.id === id)) throw new PolicySettingsError(`unknown rule "${id}" in exemptions for ${exemption.namespaces.join(", ")}`);
    }
    if (!exemption.reason.trim()) throw new PolicySettingsError(`the exemption of ${exemption.namespaces.join(", ")} from ${exemption.rules.join(", ")} needs a reason`);
  }
  const rollouts = settings.argoRollouts ?? true;
  const out: KubeObject[] = [];
  for (const rule of POLICY_RULES) {
    const severity = resolved.severities.get(rule.id);
    if (severity === undefined || !rule.kyverno.expressible) continue;
    const patterns = rule.kyverno.containerDeny ? [] : rule.kyverno.patterns(resolved);
    if (!rule.kyverno.containerDeny && (!patterns || patterns.length === 0)) continue;
    const exempt = (settings.exemptions ?? []).filter((e) => e.rules.includes(rule.id)).flatMap((e) => e.namespaces);
    out.push(policyFor(rule, severity, rule.kyverno.scope, patterns ?? [], resolved, rollouts, [...new Set(exempt)].sort(), rule.kyverno.containerDeny));
  }
  return out;
}

function policyFor(
  rule: PolicyRule,
  severity: Severity,
  scope: PodScope,
  patterns: readonly PodSpecPattern[],
  settings: ResolvedPolicySettings,
  rollouts: boolean,
  exemptNamespaces: readonly string[] = [],
  containerDeny?: (podSpec: string) => Readonly<Record<string, unknown>>,
): KubeObject {
  const failureAction = settings.environment === "prod" && severity === "error" ? "Enforce" : "Audit";
  const rules = (["pod", "template", "cron"] as const)
    .map((shape) => ({ shape, kinds: kindsFor(shape, scope, rollouts) }))
    .filter(({ kinds }) => kinds.length > 0)
    .map(({ shape, kinds }) => {
      const wrapped = patterns.map((p) => wrapPodSpecPattern(shape, p));
      return {
        name: `${rule.id}-${SHAPE_SUFFIX[shape]}`,
        match: { any: [{ resources: { kinds } }] },
        ...(exemptNamespaces.length ? { exclude: { any: [{ resources: { namespaces: [...exemptNamespaces] } }] } } : {}),
        preconditions: SKIP_OWNED_PRECONDITION,
        validate: {
          failureAction,
          message: `${rule.title}. ${rule.hint}`,
          ...(containerDeny
            ? { foreach: CONTAINER_LISTS.map((list) => ({ list: `request.object.${SPEC_PATH[shape]}.${list}`, deny: { conditions: containerDeny(`request.object.${SPEC_PATH[shape]}`) } })) }
            : wrapped.length === 1
              ? { pattern: wrapped[0] }
              : { anyPattern: wrapped }),
        },
      };
    });
  return {
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: {
      name: rule.id,
      labels: { "app.kubernetes.io/managed-by": "typed-gitops" },
      annotations: {
        "policies.kyverno.io/title": rule.title,
        "policies.kyverno.io/description": `${rule.rationale} ${rule.hint}`,
        "policies.kyverno.io/severity": SEVERITY_WORDS[severity],
        "policies.kyverno.io/category": "typed-gitops",
        "policies.kyverno.io/subject": "Pod",
        "pod-policies.kyverno.io/autogen-controllers": "none",
      },
    },
    spec: { background: true, rules },
  };
}

/** Which rules have a Kyverno policy, and why the others run offline only. */
export function kyvernoCoverage(): { enforced: RuleId[]; offlineOnly: { id: RuleId; reason: string }[] } {
  const enforced: RuleId[] = [];
  const offlineOnly: { id: RuleId; reason: string }[] = [];
  for (const rule of POLICY_RULES) {
    if (rule.kyverno.expressible) enforced.push(rule.id);
    else offlineOnly.push({ id: rule.id, reason: rule.kyverno.reason });
  }
  return { enforced, offlineOnly };
}


export const EXCEPTION_ANNOTATIONS = {
  component: "policy.typed-gitops.dev/component",
  reason: "policy.typed-gitops.dev/reason",
  expires: "policy.typed-gitops.dev/expires",
} as const;

/**
 * The Kyverno PolicyExceptions (kyverno.io/v2) of the components' typed exceptions, in
 * POLICY_EXCEPTION_NAMESPACE: one per exception whose rule has a policy under these settings (an
 * exception of an offline-only or disabled rule has nothing to waive in the cluster). An expired one is
 * still written, so that output does not depend on the day; lint reports it as an error.
 * Throws PolicySettingsError on a malformed exception, naming its component.
 */
export function kyvernoPolicyExceptions(exceptions: readonly DeclaredPolicyException[], settings: KyvernoSettings): KubeObject[] {
  for (const exception of exceptions) {
    const [problem] = exceptionProblems(exception);
    if (problem) throw new PolicySettingsError(problem);
  }
  const ruleNames = new Map(
    kyvernoPolicies(settings).map((p) => [p.metadata.name, ((p.spec as { rules: { name: string }[] }).rules).map((r) => r.name)]),
  );
  const out: KubeObject[] = [];
  const used = new Map<string, number>();
  for (const exception of exceptions) {
    const names = ruleNames.get(exception.rule);
    if (!names) continue;
    const base = `${exception.component}-${exception.rule}`;
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    out.push({
      apiVersion: "kyverno.io/v2",
      kind: "PolicyException",
      metadata: {
        name: count === 1 ? base : `${base}-${count}`,
        namespace: POLICY_EXCEPTION_NAMESPACE,
        labels: { "app.kubernetes.io/managed-by": "typed-gitops" },
        annotations: {
          [EXCEPTION_ANNOTATIONS.component]: exception.component,
          [EXCEPTION_ANNOTATIONS.reason]: exception.reason,
          ...(exception.expires ? { [EXCEPTION_ANNOTATIONS.expires]: exception.expires } : {}),
        },
      },
      spec: {
        exceptions: [{ policyName: exception.rule, ruleNames: names }],
        match: {
          any: exceptionTargets(exception).map((t) => ({
            resources: { ...(t.kind ? { kinds: [t.kind] } : {}), namespaces: [t.namespace], names: [t.name] },
          })),
        },
      },
    });
  }
  return out;
}
