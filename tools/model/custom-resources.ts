/**
 * Custom resources typed from the CRDs of the pinned charts. `gitops charts types` writes, beside each
 * chart's values type, a declaration adding the chart's custom resource kinds to CustomResourceRegistry
 * (kinds an npm package already models, such as cert-manager's, are left to that package).
 * `CustomResource<"metallb.io/v1beta1", "IPAddressPool">` is the type the pinned chart's CRD describes
 * once generated, and a loose object otherwise, so the type check passes on a fresh clone.
 */
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

/** `<group>/<version>/<Kind>` → the custom resource's type; augmented by the generated declarations. */
export interface CustomResourceRegistry {}

/** A custom resource's metadata: a name, and the rest of ObjectMeta. */
export type CustomResourceMetadata = IObjectMeta & { name: string };

/** What a custom resource whose type has not been generated takes: any fields beside the fixed ones. */
export interface LooseCustomResource<ApiVersion extends string, Kind extends string> {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: CustomResourceMetadata;
  // Any: a loose resource must still let a component read what it wrote (`pool.spec.addresses`).
  readonly [key: string]: any;
}

/** The custom resource `kind` of `apiVersion`, as the pinned chart's CRD defines it (loose until generated). */
export type CustomResource<ApiVersion extends string, Kind extends string> = `${ApiVersion}/${Kind}` extends keyof CustomResourceRegistry
  ? CustomResourceRegistry[`${ApiVersion}/${Kind}`]
  : LooseCustomResource<ApiVersion, Kind>;
