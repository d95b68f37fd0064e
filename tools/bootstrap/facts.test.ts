import { describe, expect, it } from "vitest";
import { defineCluster, type ClusterSpec, type KindBootstrap } from "../model/index.ts";
import { mayNeedFormatting } from "../generate/yaml-file.ts";
import { bootstrapFacts, cidrRange } from "./facts.ts";
import { bootstrapFiles, doksTfvars, factsEnv, kindConfig } from "./files.ts";
import metallb from "../../infrastructure/metallb/component.ts";
import { withValues } from "../model/index.ts";
import doks from "../../clusters/doks/cluster.ts";
import homelab from "../../clusters/homelab/cluster.ts";

const KIND: KindBootstrap = {
  provider: "kind",
  kindVersion: "v0.30.0",
  nodeImage: `kindest/node:v1.34.0@sha256:${"a".repeat(64)}`,
  workers: 3,
  network: { name: "kind", subnet: "172.18.0.0/16" },
  podSubnet: "10.244.0.0/16",
  serviceSubnet: "10.96.0.0/12",
  portMappings: [{ containerPort: 80, hostPort: 80 }],
};
const APPLICATION = {
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Application",
  metadata: { name: "argo-cd", namespace: "argocd" },
  spec: {
    destination: { namespace: "argocd" },
    sources: [{ repoURL: "https://charts.example", chart: "argo-cd", targetRevision: "1.2.3", helm: { releaseName: "argocd", valuesObject: { a: 1 } } }],
  },
};

function kindCluster(overrides: Partial<ClusterSpec> = {}, bootstrap: Partial<KindBootstrap> = {}) {
  return defineCluster({
    name: "dev",
    environment: "dev",
    kubernetesVersion: "1.34",
    distribution: "kind",
    repo: { url: "https://git.example/platform.git", revision: "main" },
    components: [],
    bootstrap: { ...KIND, ...bootstrap },
    ...overrides,
  });
}

describe("bootstrapFacts", () => {
  it("takes the Argo CD install from the Application's chart source, release name included", () => {
    const facts = bootstrapFacts(kindCluster(), "clusters/dev/cluster.ts", APPLICATION)!;
    expect(facts.argocd).toEqual({ repoURL: "https://charts.example", chart: "argo-cd", version: "1.2.3", releaseName: "argocd", namespace: "argocd", values: { a: 1 } });
    expect(facts.kubeContext).toBe("kind-dev");
    expect(facts.tools.map((t) => t.name)).toEqual(["docker", "helm", "kind", "kubectl"]);
  });

  it.each([
    [{}, { nodeImage: "kindest/node:v1.34.0" }, "clusters/dev/cluster.ts: bootstrap.nodeImage \"kindest/node:v1.34.0\" must be pinned by digest: kindest/node:vX.Y.Z@sha256:<64 hex digits>"],
    [{}, { nodeImage: `kindest/node:v1.33.1@sha256:${"b".repeat(64)}` }, "clusters/dev/cluster.ts: bootstrap.nodeImage is Kubernetes v1.33.1, but kubernetesVersion is 1.34"],
    [{}, { podSubnet: "10.244.0.0/33" }, 'clusters/dev/cluster.ts: bootstrap.podSubnet "10.244.0.0/33" must be a CIDR such as 10.244.0.0/16'],
    [{}, { portMappings: [{ containerPort: 80, hostPort: 70000 }] }, "clusters/dev/cluster.ts: bootstrap.portMappings[0].hostPort must be a port (1-65535), got 70000"],
    [{ distribution: "k3s" as const }, {}, 'clusters/dev/cluster.ts: bootstrap.provider "kind" must be the cluster\'s distribution "k3s"'],
    [{ delivery: "flux" as const }, {}, "clusters/dev/cluster.ts: bootstrap.fluxVersion is required: the cluster is delivered by Flux"],
    [
      { components: [withValues(metallb, { addresses: ["192.168.1.200-192.168.1.250"] })] },
      {},
      "clusters/dev/cluster.ts: metallb's address range 192.168.1.200-192.168.1.250 is outside the kind network 172.18.0.0/16 (bootstrap.network.subnet): nothing would reach it",
    ],
  ])("refuses %j %j", (cluster, bootstrap, message) => {
    expect(() => bootstrapFacts(kindCluster(cluster, bootstrap), "clusters/dev/cluster.ts", APPLICATION)).toThrow(message);
  });

  it("refuses a cluster delivered by Argo CD without Argo CD", () => {
    expect(() => bootstrapFacts(kindCluster(), "clusters/dev/cluster.ts", undefined)).toThrow(
      "clusters/dev/cluster.ts: the cluster includes no component that installs Argo CD (argoproj.io Application), so nothing can take it over",
    );
  });

  it("reads CIDRs strictly", () => {
    expect(cidrRange("172.18.0.0/16")).toEqual([0xac120000, 0xac12ffff]);
    expect(cidrRange("172.18.0.1/16")).toBeUndefined();
    expect(cidrRange("300.0.0.0/8")).toBeUndefined();
  });
});

describe("the generated bootstrap files", () => {
  it("give kind the pinned image on every node and the port mappings on the control plane", () => {
    const config = kindConfig(bootstrapFacts(kindCluster(), "c", APPLICATION)!) as { nodes: { role: string; image: string; extraPortMappings?: unknown[] }[] };
    expect(config.nodes.map((n) => n.role)).toEqual(["control-plane", "worker", "worker", "worker"]);
    expect(new Set(config.nodes.map((n) => n.image))).toEqual(new Set([KIND.nodeImage]));
    expect(config.nodes[0].extraPortMappings).toEqual([{ containerPort: 80, hostPort: 80, protocol: "TCP" }]);
  });

  it("quote shell values so that a quote in a value stays data", () => {
    const facts = bootstrapFacts(kindCluster({ repo: { url: "https://git.example/it's.git", revision: "main" } }), "c", APPLICATION)!;
    expect(factsEnv(facts)).toContain("REPO_URL='https://git.example/it'\\''s.git'\n");
  });

  it("are never handed to prettier's YAML formatter (facts.env and the tfvars are not YAML)", () => {
    for (const [cluster, application] of [
      [kindCluster(), APPLICATION],
      [doks, APPLICATION],
      [homelab, undefined],
    ] as const) {
      const facts = bootstrapFacts(cluster, "clusters/x/cluster.ts", application)!;
      for (const file of bootstrapFiles(facts).filter((f) => !f.path.endsWith(".yaml"))) {
        expect(mayNeedFormatting(file.body), file.path).toBe(false);
      }
    }
    expect(doksTfvars(bootstrapFacts(doks, "c", APPLICATION)!)).toContain('  {\n    name       = "monitoring"\n    size       = "c-4"\n    node_count = 2\n');
  });
});
