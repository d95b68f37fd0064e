import type { Severity } from "../findings/finding.ts";
import { EXCEPTION_HINT } from "./exceptions.ts";
import { POLICY_EXCEPTION_RULE, RULE_IDS, type PolicyRule, type RuleId } from "./rule.ts";
import { hpaMinMax, pdbForReplicated } from "./rules/availability.ts";
import { noDuplicateEnv } from "./rules/env.ts";
import { configChangeRestarts, pdbAllowsDrain, replicasWithAutoscaler, serviceSelectsPods } from "./rules/gitops.ts";
import { noHostNamespaces, noHostPath } from "./rules/host.ts";
import { capabilitiesDropped, noHostPort, noRootGroup, noSshPort, noUnsafeSysctls } from "./rules/pod-hardening.ts";
import { imagePinned, registryAllowed } from "./rules/images.ts";
import { probesSet } from "./rules/probes.ts";
import { resourcesSet } from "./rules/resources.ts";
import { noPlainSecret } from "./rules/secrets.ts";
import { noPrivilegeEscalation, noPrivileged, readOnlyRootFs, runAsNonRoot } from "./rules/security-context.ts";

export type { PolicyRule, RuleContext, RuleId, KyvernoSupport, PodSpecPattern } from "./rule.ts";
export { RULE_IDS, POLICY_EXCEPTION_RULE, isRuleId } from "./rule.ts";

const BY_ID: Readonly<Record<RuleId, PolicyRule>> = {
  "image-pinned": imagePinned,
  "registry-allowed": registryAllowed,
  "resources-set": resourcesSet,
  "run-as-non-root": runAsNonRoot,
  "no-privileged": noPrivileged,
  "no-privilege-escalation": noPrivilegeEscalation,
  "read-only-root-fs": readOnlyRootFs,
  "probes-set": probesSet,
  "no-host-namespaces": noHostNamespaces,
  "no-host-path": noHostPath,
  "capabilities-dropped": capabilitiesDropped,
  "no-root-group": noRootGroup,
  "no-host-port": noHostPort,
  "no-ssh-port": noSshPort,
  "no-unsafe-sysctls": noUnsafeSysctls,
  "no-plain-secret": noPlainSecret,
  "no-duplicate-env": noDuplicateEnv,
  "pdb-for-replicated": pdbForReplicated,
  "hpa-min-max": hpaMinMax,
  "replicas-with-autoscaler": replicasWithAutoscaler,
  "pdb-allows-drain": pdbAllowsDrain,
  "service-selects-pods": serviceSelectsPods,
  "config-change-restarts": configChangeRestarts,
};

/** Every policy rule, in RULE_IDS order. */
export const POLICY_RULES: readonly PolicyRule[] = RULE_IDS.map((id) => BY_ID[id]);

export function ruleById(id: RuleId): PolicyRule {
  return BY_ID[id];
}

/** What a report (SARIF, docs) says about each rule lint can emit, the exception rule included. */
export interface RuleDescriptor {
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  readonly hint: string;
  readonly severity: Severity;
}

export const POLICY_EXCEPTION_DESCRIPTOR: RuleDescriptor = {
  id: POLICY_EXCEPTION_RULE,
  title: "Policy exceptions name a known rule and give a reason",
  rationale: "An exception is a decision someone must be able to review later: it needs the rule it waives and why.",
  hint: EXCEPTION_HINT,
  severity: "error",
};

export function ruleDescriptors(): RuleDescriptor[] {
  return [
    ...POLICY_RULES.map(({ id, title, rationale, hint, severity }) => ({ id, title, rationale, hint, severity })),
    POLICY_EXCEPTION_DESCRIPTOR,
  ];
}
