import { POLICY_EXCEPTION_NAMESPACE } from "../model/policy-exception.ts";

/** The namespace the platform installs Kyverno into. */
export const KYVERNO_NAMESPACE = "kyverno";

/**
 * The Kyverno chart's `config.resourceFilters` as this platform sets them: the chart's defaults (3.x)
 * without `[ReplicaSet,*,*]` and `[ReplicaSet/?*,*,*]`, so that a bare ReplicaSet is checked like any
 * workload (a ReplicaSet a Deployment owns is skipped by the policies' own precondition instead).
 * Entries are `[Kind,Namespace,Name]` with wildcards; the chart runs them through `tpl`.
 */
export const RESOURCE_FILTERS: readonly string[] = [
  "[Event,*,*]",
  "[*/*,kube-system,*]",
  "[*/*,kube-public,*]",
  "[*/*,kube-node-lease,*]",
  "[Node,*,*]",
  "[Node/?*,*,*]",
  "[APIService,*,*]",
  "[APIService/?*,*,*]",
  "[TokenReview,*,*]",
  "[SubjectAccessReview,*,*]",
  "[SelfSubjectAccessReview,*,*]",
  "[Binding,*,*]",
  "[Pod/binding,*,*]",
  "[EphemeralReport,*,*]",
  "[ClusterEphemeralReport,*,*]",
  ...["admission", "background", "cleanup", "reports"].flatMap((c) => [
    `[ClusterRole,*,{{ template "kyverno.${c}-controller.roleName" . }}]`,
    `[ClusterRole,*,{{ template "kyverno.${c}-controller.roleName" . }}:core]`,
    `[ClusterRole,*,{{ template "kyverno.${c}-controller.roleName" . }}:additional]`,
  ]),
  ...["admission", "background", "cleanup", "reports"].map((c) => `[ClusterRoleBinding,*,{{ template "kyverno.${c}-controller.roleName" . }}]`),
  '[ServiceAccount,{{ include "kyverno.namespace" . }},{{ template "kyverno.admission-controller.serviceAccountName" . }}]',
  '[ServiceAccount/?*,{{ include "kyverno.namespace" . }},{{ template "kyverno.admission-controller.serviceAccountName" . }}]',
];

/** What the cluster's Kyverno is configured with, as far as admission of an object depends on it. */
export interface KyvernoClusterConfig {
  /** Effective resource filters: objects matching one are never checked. */
  readonly resourceFilters: readonly string[];
  /** Namespaces the webhooks never see (their namespaceSelector) or the filters drop whole. */
  readonly excludedNamespaces: readonly string[];
  /** The only namespace whose PolicyExceptions Kyverno honours; undefined when exceptions are off. */
  readonly exceptionNamespace?: string;
}

/**
 * The configuration the Kyverno component gives the chart (`excludeKyvernoNamespace: true` prepends
 * `[*\/*,<namespace>,*]`; the webhooks skip kube-system and Kyverno's namespace).
 */
export function kyvernoClusterConfig(namespace: string = KYVERNO_NAMESPACE): KyvernoClusterConfig {
  return {
    resourceFilters: [`[*/*,${namespace},*]`, ...RESOURCE_FILTERS],
    excludedNamespaces: ["kube-node-lease", "kube-public", "kube-system", namespace].sort(),
    exceptionNamespace: POLICY_EXCEPTION_NAMESPACE,
  };
}

/** Namespaces Kyverno never checks, so lint does not either. */
export const KYVERNO_EXCLUDED_NAMESPACES: readonly string[] = kyvernoClusterConfig().excludedNamespaces;
