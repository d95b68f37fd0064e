import { defineComponent } from "../../tools/model/index.ts";
import externalPostgres, { EXTERNAL_DATA_NAMESPACE, externalService, type ExternalEndpoints } from "../external-postgres/component.ts";

export interface ExternalRedisValues {
  /** The Redis cluster's nodes; cluster-aware clients discover the slot map from any of them. */
  readonly redis: ExternalEndpoints;
}

/** Service name and port of the external Redis cluster: `external-redis.external-data.svc:6379`. */
export const EXTERNAL_REDIS = { service: "external-redis", namespace: EXTERNAL_DATA_NAMESPACE, port: 6379 } as const;

export default defineComponent<ExternalRedisValues>({
  name: "external-redis",
  description: "In-cluster DNS name for the external Redis cluster: a headless Service with static EndpointSlices.",
  namespace: EXTERNAL_DATA_NAMESPACE,
  // external-postgres owns the namespace and its baseline (NetworkPolicies, quota).
  createNamespace: false,
  dependsOn: [externalPostgres],
  values: {
    dev: { redis: { addresses: ["172.18.0.31", "172.18.0.32", "172.18.0.33"], cidr: "172.18.0.0/16" } },
    prod: {
      redis: { addresses: ["10.20.1.11", "10.20.1.12", "10.20.1.13", "10.20.1.14", "10.20.1.15", "10.20.1.16"], cidr: "10.20.1.0/24" },
    },
  },
  resources: (v, { namespace }) =>
    externalService({
      name: EXTERNAL_REDIS.service,
      namespace,
      portName: "redis",
      port: EXTERNAL_REDIS.port,
      endpoints: v.redis,
      labels: { "app.kubernetes.io/name": "external-redis", "app.kubernetes.io/part-of": "external-data" },
    }),
});
