import type { Environment } from "./environment.ts";
import type { ObjectLike } from "./kube-object.ts";
import type { DeclaredPolicyException, PolicyExceptionSpec, ValidateExceptionSpec } from "./policy-exception.ts";

export type Distribution = "kind" | "k3s" | "doks" | "generic";

/** A custom resource kind that a component installs (its CRD ships with the component or its chart). */
export interface CrdKind {
  readonly group: string;
  readonly kind: string;
  /** Served versions, e.g. ["v1"]. */
  readonly versions: readonly string[];
}

/** A pinned Helm chart, delivered as an Argo CD Application source (Flux: a HelmRelease). */
export interface HelmChart<V> {
  /** Chart repository URL (https or oci). */
  readonly repoURL: string;
  readonly chart: string;
  /** Exact chart version; ranges are refused so that every render is reproducible. */
  readonly version: string;
  /** Helm release name. @default the component name */
  readonly releaseName?: string;
  /** Typed chart values for an environment's values. */
  readonly values: (values: V, context: ComponentContext) => object;
}

export interface ComponentContext {
  readonly environment: Environment;
  /** The component's namespace, for convenience in resource functions. */
  readonly namespace: string;
  /** The cluster being generated, when the component is rendered for a cluster-specific overlay. */
  readonly cluster?: string;
}

/** What a component may know of the cluster it is generated for. */
export interface ClusterFacts {
  readonly name: string;
  readonly environment: Environment;
  readonly distribution: Distribution;
  readonly kubernetesVersion: string;
  /** Names of the components the cluster includes. */
  readonly components: readonly string[];
  /** The cluster's policy settings (cluster.ts `policy`), for components that enforce them. */
  readonly policy?: {
    readonly rules?: Readonly<Record<string, "off" | "error" | "warning">>;
    readonly registries?: readonly string[];
    readonly requireDigest?: boolean;
  };
  /** The policy exceptions every component of the cluster declares, for the component that enforces policy. */
  readonly policyExceptions?: readonly DeclaredPolicyException[];
}

export interface ComponentSpec<V> {
  /** DNS-1123 label; the folder name under infrastructure/ or apps/ must be the same. */
  readonly name: string;
  /** One line: what this component is. Shown in the catalogue and in the Argo CD Application. */
  readonly description?: string;
  /** Namespace the component's namespaced objects (and chart) go to. */
  readonly namespace: string;
  /** Components that must be synced before this one (typed imports, never strings). */
  readonly dependsOn?: readonly Component<any>[];
  /** CRD kinds this component installs. */
  readonly crds?: readonly CrdKind[];
  /**
   * IngressClass names this component provides (an ingress controller whose chart creates the class).
   * An Ingress whose ingressClassName no component of its cluster provides is an error.
   */
  readonly ingressClasses?: readonly string[];
  readonly chart?: HelmChart<V>;
  /** Values per environment. */
  readonly values: { readonly [E in Environment]: V };
  /** The component's own objects for a set of values. */
  readonly resources?: (values: V, context: ComponentContext) => readonly ObjectLike[];
  /**
   * A role that at most one component of a cluster may fill, for alternatives such as the log agent
   * (promtail or alloy). A cluster that includes two components with the same role is refused.
   */
  readonly role?: string;
  /** Distributions the component can run on. @default every distribution */
  readonly runsOn?: readonly Distribution[];
  /**
   * Values derived from the cluster (its policy, its other components), applied before the cluster's
   * own `withValues`. When they change the component's objects, the cluster gets its own overlay.
   */
  readonly fromCluster?: (cluster: ClusterFacts) => Partial<V>;
  /** Pod Security Standard the namespace enforces (label pod-security.kubernetes.io/enforce); audit and warn are always "restricted". @default "restricted" */
  readonly podSecurity?: "privileged" | "baseline" | "restricted";
  /** Create the namespace as part of this component. @default true */
  readonly createNamespace?: boolean;
  /**
   * Objects of this component that need not follow a policy rule, each with the reason (and an expiry).
   * Lint honours them; the cluster gets them as Kyverno PolicyExceptions. @default none
   */
  readonly policyExceptions?: readonly PolicyExceptionSpec[];
  /**
   * Objects of this component (its chart's included) for which a finding of validate's cluster checks does not
   * hold, each with the reason (and an expiry): what they refer to exists at run time although nothing in the
   * render makes it. Validate drops those findings. @default none
   */
  readonly validateExceptions?: readonly ValidateExceptionSpec[];
}

export interface Component<V = unknown> extends ComponentSpec<V> {
  readonly __component: true;
  /** The file that called defineComponent (absolute path), found from the call stack. */
  readonly sourceFile: string | undefined;
}

/** Declares a component; call it once, in `component.ts`, and export the result as `default`. */
export function defineComponent<V>(spec: ComponentSpec<V>): Component<V> {
  return Object.freeze({ ...spec, __component: true as const, sourceFile: callerFile() });
}

export function isComponent(value: unknown): value is Component {
  return typeof value === "object" && value !== null && (value as Component).__component === true;
}

/** The file of the caller's caller: the component.ts or cluster.ts that called define*(). */
export function callerFile(): string | undefined {
  const stack = new Error().stack?.split("\n") ?? [];
  for (const line of stack.slice(3)) {
    const match = /\((?:file:\/\/)?(.*?):\d+:\d+\)$/.exec(line) ?? /at (?:file:\/\/)?(.*?):\d+:\d+$/.exec(line);
    if (match && !match[1].includes("/tools/model/")) return decodeURIComponent(match[1]);
  }
  return undefined;
}
