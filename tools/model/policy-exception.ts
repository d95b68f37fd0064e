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
