import { describe, expect, it } from "vitest";
import { findDuplicates } from "./duplicates.ts";

const obj = (apiVersion: string, kind: string, name: string, namespace?: string) => ({
  apiVersion,
  kind,
  metadata: namespace ? { name, namespace } : { name },
});

describe("findDuplicates", () => {
  it("GIVEN the same group/kind/namespace/name twice THEN reports the second, naming both places", () => {
    const places = ["apps/web/base/deployment.yaml:1", "apps/web/base/extra.yaml:12"];
    const out = findDuplicates(
      [
        { object: obj("apps/v1", "Deployment", "web", "shop"), id: 0 },
        { object: obj("apps/v1", "Deployment", "web", "shop"), id: 1 },
      ],
      (id) => places[id],
    );
    expect(out).toEqual([
      {
        id: 1,
        duplicateOf: 0,
        finding: {
          rule: "api/duplicate-object",
          severity: "error",
          message:
            'metadata.name: "web": Deployment (apps) shop/web is defined twice, at apps/web/base/deployment.yaml:1 and at apps/web/base/extra.yaml:12',
          path: ["metadata", "name"],
          hint: "one of them overwrites the other when applied; rename one or remove it",
        },
      },
    ]);
  });

  it("ignores the version: extensions and apps are different groups, v1beta1 and v1 of one group are not", () => {
    const out = findDuplicates([
      { object: obj("autoscaling/v1", "HorizontalPodAutoscaler", "web", "shop"), id: 10 },
      { object: obj("autoscaling/v2", "HorizontalPodAutoscaler", "web", "shop"), id: 11 },
      { object: obj("extensions/v1beta1", "Deployment", "web", "shop"), id: 12 },
      { object: obj("apps/v1", "Deployment", "web", "shop"), id: 13 },
    ]);
    expect(out.map((d) => [d.id, d.duplicateOf, d.finding.message])).toEqual([
      [11, 10, 'metadata.name: "web": HorizontalPodAutoscaler (autoscaling) shop/web is defined twice, at #10 and at #11'],
    ]);
  });

  it("tells namespaces apart, but not for cluster-scoped kinds", () => {
    const out = findDuplicates([
      { object: obj("v1", "ConfigMap", "cfg", "a"), id: 1 },
      { object: obj("v1", "ConfigMap", "cfg", "b"), id: 2 },
      { object: obj("rbac.authorization.k8s.io/v1", "ClusterRole", "reader"), id: 3 },
      { object: obj("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", "ignored"), id: 4 },
      { object: obj("v1", "ConfigMap", "cfg", "a"), id: 5 },
      { object: obj("v1", "ConfigMap", "cfg", "a"), id: 6 },
    ]);
    expect(out.map((d) => d.finding.message)).toEqual([
      'metadata.name: "reader": ClusterRole (rbac.authorization.k8s.io) reader is defined twice, at #3 and at #4',
      'metadata.name: "cfg": ConfigMap a/cfg is defined twice, at #1 and at #5',
      'metadata.name: "cfg": ConfigMap a/cfg is defined twice, at #1 and at #6',
    ]);
  });

  it("skips what has no kind or name", () => {
    expect(findDuplicates([{ object: { apiVersion: "v1" }, id: 1 }, { object: { apiVersion: "v1" }, id: 2 }, { object: null, id: 3 }])).toEqual([]);
  });
});
