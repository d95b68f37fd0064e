import backend from "../../apps/backend/component.ts";
import frontend from "../../apps/frontend/component.ts";
import argoCd from "../../infrastructure/argo-cd/component.ts";
import argoRollouts from "../../infrastructure/argo-rollouts/component.ts";
import certManager from "../../infrastructure/cert-manager/component.ts";
import externalSecrets from "../../infrastructure/external-secrets/component.ts";
import ingressNginx from "../../infrastructure/ingress-nginx/component.ts";
import istioBase from "../../infrastructure/istio-base/component.ts";
import istioGateway from "../../infrastructure/istio-gateway/component.ts";
import istiod from "../../infrastructure/istiod/component.ts";
import kargo from "../../infrastructure/kargo/component.ts";
import kyverno from "../../infrastructure/kyverno/component.ts";
import sealedSecrets from "../../infrastructure/sealed-secrets/component.ts";
import vault from "../../infrastructure/vault/component.ts";
import kubePrometheusStack from "../../infrastructure/kube-prometheus-stack/component.ts";
import postgresql from "../../infrastructure/postgresql/component.ts";
import minio from "../../infrastructure/minio/component.ts";
import loki from "../../infrastructure/loki/component.ts";
import promtail from "../../infrastructure/promtail/component.ts";
import tempo from "../../infrastructure/tempo/component.ts";
import openTelemetryCollector from "../../infrastructure/opentelemetry-collector/component.ts";
import externalPostgres from "../../infrastructure/external-postgres/component.ts";
import externalRedis from "../../infrastructure/external-redis/component.ts";
import velero from "../../infrastructure/velero/component.ts";
import { defineCluster, withValues, type DoksBootstrap } from "../../tools/model/index.ts";
import { MONITORING_TAINT } from "../../tools/platform/node-pools.ts";

/** What OpenTofu creates (bootstrap/doks reads it through the generated cluster.auto.tfvars). */
export const DOKS = {
  provider: "doks",
  region: "fra1",
  vpc: { name: "platform-doks", ipRange: "10.20.0.0/16" },
  nodePools: [
    { name: "primary", size: "s-4vcpu-8gb", count: 3, labels: { "platform.acme.dev/pool": "primary" } },
    {
      name: "monitoring",
      size: "c-4",
      count: 2,
      labels: { "platform.acme.dev/pool": "monitoring" },
      // Only the monitoring components tolerate it (tools/platform/node-pools.ts).
      taints: [MONITORING_TAINT],
    },
  ],
  databases: {
    // Addresses: the private IPs of the nodes after `tofu apply` (README: bootstrap/doks).
    postgres: { name: "platform-pg", engine: "pg", version: "17", size: "db-s-2vcpu-4gb", nodes: 3, addresses: ["10.20.0.11", "10.20.0.12", "10.20.0.13"] },
    redis: { name: "platform-valkey", engine: "valkey", version: "8", size: "db-s-1vcpu-2gb", nodes: 2, addresses: ["10.20.0.21", "10.20.0.22"] },
  },
} as const satisfies DoksBootstrap;

/** DigitalOcean's load balancer for a Service: named, with the PROXY protocol off (ingress sees the LB's health checks). */
const doLoadBalancer = (name: string) => ({
  "service.beta.kubernetes.io/do-loadbalancer-name": name,
  "service.beta.kubernetes.io/do-loadbalancer-healthcheck-protocol": "tcp",
});

export default defineCluster({
  name: "doks",
  description: "Production on DigitalOcean Kubernetes: cloud load balancers, a primary pool and a monitoring pool (bootstrap/doks).",
  environment: "prod",
  kubernetesVersion: "1.34",
  distribution: "doks",
  repo: { url: "https://github.com/acme/platform.git", revision: "main" },
  bootstrap: DOKS,
  components: [
    argoCd,
    certManager,
    withValues(ingressNginx, { serviceAnnotations: doLoadBalancer("platform-ingress") }),
    istioBase,
    istiod,
    withValues(istioGateway, { serviceAnnotations: doLoadBalancer("platform-gateway") }),
    sealedSecrets,
    vault,
    externalSecrets,
    argoRollouts,
    kyverno,
    kargo,
    backend,
    frontend,
    postgresql,
    minio,
    kubePrometheusStack,
    loki,
    promtail,
    tempo,
    openTelemetryCollector,
    // The managed databases OpenTofu creates in the VPC.
    withValues(externalPostgres, { patroni: { addresses: DOKS.databases.postgres.addresses, cidr: DOKS.vpc.ipRange } }),
    withValues(externalRedis, { redis: { addresses: DOKS.databases.redis.addresses, cidr: DOKS.vpc.ipRange } }),
    velero,
  ],
});
