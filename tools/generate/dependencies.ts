import type { Component } from "../model/component.ts";
import { describeObject, groupOf, type KubeObject } from "../model/kube-object.ts";
import { GenerateError } from "./errors.ts";

/** What one component of a cluster brings: its objects. */
export interface ComponentObjects {
  readonly component: Component<any>;
  readonly objects: readonly KubeObject[];
}

function dependencies(component: Component<any>, out = new Set<Component<any>>()): Set<Component<any>> {
  for (const d of component.dependsOn ?? []) {
    if (!d || out.has(d)) continue;
    out.add(d);
    dependencies(d, out);
  }
  return out;
}

/**
 * Objects that need another component of the cluster to be synced first, without a dependsOn (direct or
 * through other dependencies) that orders it so: a custom resource whose CRD the other component
 * installs, or an object in a namespace the other component creates. Sync waves may still order them by
 * chance today; the next unrelated change to dependsOn would not.
 */
export function undeclaredDependencies(apps: readonly ComponentObjects[], sourceOf: (component: Component<any>) => string): GenerateError[] {
  const crdOwner = new Map<string, Component<any>>();
  const namespaceOwner = new Map<string, Component<any>>();
  for (const { component, objects } of apps) {
    for (const crd of component.crds ?? []) crdOwner.set(`${crd.group}/${crd.kind}`, component);
    for (const o of objects) if (o.kind === "Namespace" && groupOf(o.apiVersion) === "" && o.metadata?.name) namespaceOwner.set(o.metadata.name, component);
  }
  const errors: GenerateError[] = [];
  for (const { component, objects } of apps) {
    const needs = dependencies(component);
    const reported = new Set<string>();
    const report = (owner: Component<any> | undefined, what: string, object: KubeObject) => {
      if (!owner || owner === component || needs.has(owner)) return;
      const key = `${owner.name} ${what}`;
      if (reported.has(key)) return;
      reported.add(key);
      errors.push(
        new GenerateError(`${sourceOf(component)}: ${describeObject(object)} needs ${what}, which "${owner.name}" provides, but "${component.name}" does not depend on "${owner.name}": add it to dependsOn`),
      );
    };
    for (const o of objects) {
      report(crdOwner.get(`${groupOf(o.apiVersion)}/${o.kind}`), `the ${o.kind} CRD (${groupOf(o.apiVersion)})`, o);
      const ns = o.metadata?.namespace;
      if (ns) report(namespaceOwner.get(ns), `namespace ${ns}`, o);
    }
  }
  return errors;
}

/**
 * Ingresses whose ingressClassName no component of the cluster provides (declared in `ingressClasses`, or
 * an IngressClass object): no controller would serve them.
 */
export function unservedIngresses(apps: readonly ComponentObjects[], sourceOf: (component: Component<any>) => string, cluster: string): GenerateError[] {
  const classes = new Set<string>();
  for (const { component, objects } of apps) {
    for (const name of component.ingressClasses ?? []) classes.add(name);
    for (const o of objects) if (o.kind === "IngressClass" && o.metadata?.name) classes.add(o.metadata.name);
  }
  const errors: GenerateError[] = [];
  for (const { component, objects } of apps) {
    for (const o of objects) {
      if (o.kind !== "Ingress") continue;
      const name = (o as { spec?: { ingressClassName?: unknown } }).spec?.ingressClassName;
      if (typeof name !== "string" || classes.has(name)) continue;
      const known = [...classes].sort();
      errors.push(
        new GenerateError(
          `${sourceOf(component)}: ${describeObject(o)}: spec.ingressClassName "${name}" is provided by no component of cluster "${cluster}" (${known.length ? `it has ${known.map((k) => `"${k}"`).join(", ")}` : "it has no ingress controller"}); include the component that provides it, or use one the cluster has`,
        ),
      );
    }
  }
  return errors;
}
