export * from "./component.ts";
export * from "./cluster.ts";
export * from "./environment.ts";
export * from "./kube-object.ts";
export * from "./chart-values.ts";
export * from "./policy-exception.ts";
export * from "./custom-resources.ts";
