import { describe, expect, it } from "vitest";
import type { Component } from "../model/component.ts";
import { undeclaredDependencies, unservedIngresses } from "./dependencies.ts";

const rollouts = { name: "argo-rollouts", namespace: "argo-rollouts", crds: [{ group: "argoproj.io", kind: "Rollout", versions: ["v1alpha1"] }] } as unknown as Component<any>;
const gateway = { name: "istio-gateway", namespace: "istio-ingress" } as unknown as Component<any>;
const rollout = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "backend", namespace: "backend" } };
const sourceOf = (c: Component<any>) => `apps/${c.name}/component.ts`;

describe("undeclaredDependencies", () => {
  it("GIVEN a Rollout whose component no longer depends on argo-rollouts THEN an error names the CRD, the provider and the fix", () => {
    const backend = { name: "backend", namespace: "backend", dependsOn: [gateway] } as unknown as Component<any>;
    const errors = undeclaredDependencies([{ component: rollouts, objects: [] }, { component: gateway, objects: [] }, { component: backend, objects: [rollout] }], sourceOf);
    expect(errors.map((e) => e.message)).toEqual([
      'apps/backend/component.ts: Rollout backend/backend needs the Rollout CRD (argoproj.io), which "argo-rollouts" provides, but "backend" does not depend on "argo-rollouts": add it to dependsOn',
    ]);
  });

  it("GIVEN the dependency through another component THEN no error", () => {
    const viaGateway = { name: "istio-gateway", namespace: "istio-ingress", dependsOn: [rollouts] } as unknown as Component<any>;
    const backend = { name: "backend", namespace: "backend", dependsOn: [viaGateway] } as unknown as Component<any>;
    expect(undeclaredDependencies([{ component: rollouts, objects: [] }, { component: viaGateway, objects: [] }, { component: backend, objects: [rollout] }], sourceOf)).toEqual([]);
  });
});

describe("unservedIngresses", () => {
  const ingress = { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "docs", namespace: "docs" }, spec: { ingressClassName: "nginx" } };
  const docs = { name: "docs", namespace: "docs" } as unknown as Component<any>;

  it("GIVEN an Ingress of class nginx on a cluster whose only controller provides traefik THEN an error names the class and what the cluster has", () => {
    const traefik = { name: "traefik", namespace: "traefik", ingressClasses: ["traefik"] } as unknown as Component<any>;
    const errors = unservedIngresses([{ component: traefik, objects: [] }, { component: docs, objects: [ingress] }], sourceOf, "homelab");
    expect(errors.map((e) => e.message)).toEqual([
      'apps/docs/component.ts: Ingress docs/docs: spec.ingressClassName "nginx" is provided by no component of cluster "homelab" (it has "traefik"); include the component that provides it, or use one the cluster has',
    ]);
  });

  it("GIVEN no ingress controller at all THEN the message says so; GIVEN ingress-nginx THEN no error", () => {
    expect(unservedIngresses([{ component: docs, objects: [ingress] }], sourceOf, "local")[0].message).toContain('(it has no ingress controller)');
    const nginx = { name: "ingress-nginx", namespace: "ingress-nginx", ingressClasses: ["nginx"] } as unknown as Component<any>;
    expect(unservedIngresses([{ component: nginx, objects: [] }, { component: docs, objects: [ingress] }], sourceOf, "local")).toEqual([]);
  });
});
