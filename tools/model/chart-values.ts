/**
 * Chart values typed from the charts themselves. `gitops charts types` writes one declaration per
 * pinned chart into a gitignored folder; each adds its chart's values type to ChartValuesRegistry.
 * `ChartValues<"argo-cd">` is that type when it has been generated, and a loose map otherwise, so the
 * type check passes on a fresh clone and, once the types exist, a misspelled chart value is a compile
 * error naming the key.
 */

/** Chart name → the type of its values; augmented by the generated declarations. */
export interface ChartValuesRegistry {}

/** Any values: what a chart whose type has not been generated takes. */
export interface LooseChartValues {
  readonly [key: string]: unknown;
}

/** The values of `chart`, as the chart itself defines them (or loose until generated). */
export type ChartValues<C extends string> = C extends keyof ChartValuesRegistry ? ChartValuesRegistry[C] : LooseChartValues;
