import type { Component } from "./component.ts";

/** One object a policy exception waives a rule for. */
export interface PolicyExceptionObject {
  /** The object's kind (`Deployment`, `DaemonSet`…). @default any kind */
  readonly kind?: string;
  /** @default the namespace of the component that declares the exception */
  readonly namespace?: string;
  readonly name: string;
}

/**
 * A reviewed decision that some objects need not follow one policy rule. Declared in a component's
 * `policyExceptions`; lint honours it offline and the cluster gets it as a Kyverno PolicyException in
 * POLICY_EXCEPTION_NAMESPACE, which only the platform's AppProject may write.
 */
export interface PolicyExceptionSpec {
  /** The rule id it waives (`no-host-path`). */
  readonly rule: string;
  readonly objects: readonly PolicyExceptionObject[];
  /** Why the objects cannot follow the rule, for whoever reviews it later. */
  readonly reason: string;
  /** Last day (YYYY-MM-DD, UTC) the exception holds; after it, lint reports it as an error. @default never */
  readonly expires?: string;
}

/** An exception together with the component that declared it. */
export interface DeclaredPolicyException extends PolicyExceptionSpec {
  readonly component: string;
  /** The declaring component's namespace: the default of each object's `namespace`. */
  readonly namespace: string;
  /** The declaring component.ts (as its Component knows it), for locating findings. */
  readonly source?: string;
}

/** The one namespace Kyverno reads PolicyExceptions from (the chart's `features.policyExceptions.namespace`). */
export const POLICY_EXCEPTION_NAMESPACE = "policy-exceptions";

/** Every exception the components declare, in component-name order then declaration order. */
export function declaredPolicyExceptions(components: readonly Pick<Component<any>, "name" | "namespace" | "policyExceptions" | "sourceFile">[]): DeclaredPolicyException[] {
  return [...components]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((c) =>
      (c.policyExceptions ?? []).map((e) => ({
        ...e,
        component: c.name,
        namespace: c.namespace,
        ...(c.sourceFile ? { source: c.sourceFile } : {}),
      })),
    );
}

/** The findings of validate's cluster checks that a component may waive for named objects. */
export type ValidateExceptionRule = "cluster/dangling-reference" | "cluster/missing-crd" | "cluster/crd-order";

/**
 * A reviewed decision that a finding of validate's cluster checks does not hold for some objects: what they
 * refer to exists at run time although nothing in the render makes it (the cluster's distribution provides
 * it). Declared in a component's `validateExceptions`; validate drops the finding, and the reason stays in
 * component.ts for whoever reviews it later.
 */
export interface ValidateExceptionSpec {
  readonly rule: ValidateExceptionRule;
  readonly objects: readonly PolicyExceptionObject[];
  /** Why the finding does not hold. */
  readonly reason: string;
  /** Last day (YYYY-MM-DD, UTC) the exception holds; after it, the finding is reported again. @default never */
  readonly expires?: string;
}

/** A validate exception together with the component that declared it. */
export interface DeclaredValidateException extends ValidateExceptionSpec {
  readonly component: string;
  /** The declaring component's namespace: the default of each object's `namespace`. */
  readonly namespace: string;
  /** The declaring component.ts (as its Component knows it), for locating findings. */
  readonly source?: string;
}

/** Every validate exception the components declare that holds on `today` (YYYY-MM-DD), in component-name order. */
export function declaredValidateExceptions(
  components: readonly (Pick<Component<any>, "name" | "namespace" | "validateExceptions"> & { readonly sourceFile?: string })[],
  today: string,
): DeclaredValidateException[] {
  return [...components]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((c) => (c.validateExceptions ?? []).map((e) => ({ ...e, component: c.name, namespace: c.namespace, ...(c.sourceFile ? { source: c.sourceFile } : {}) })))
    .filter((e) => e.expires === undefined || e.expires >= today);
}
