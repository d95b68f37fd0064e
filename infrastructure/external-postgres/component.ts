import { Service } from "kubernetes-models/v1/Service";
import { EndpointSlice } from "kubernetes-models/discovery.k8s.io/v1/EndpointSlice";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { defineComponent, type ObjectLike } from "../../tools/model/index.ts";

/** The namespace that holds in-cluster names for data services running outside the cluster. */
export const EXTERNAL_DATA_NAMESPACE = "external-data";

/** An external service reached through a selector-less headless Service and a static EndpointSlice. */
export interface ExternalEndpoints {
  /** The nodes' IPv4 addresses (each node is one endpoint). */
  readonly addresses: readonly string[];
  /** The network the nodes live in, for consumers' NetworkPolicy egress rules. */
  readonly cidr: string;
}

export interface ExternalPostgresValues {
  /** The Patroni nodes; clients connect to all of them and pick the primary (libpq `target_session_attrs=read-write`). */
  readonly patroni: ExternalEndpoints;
}

/** Service name and port of the external Patroni cluster: `external-postgres.external-data.svc:5432`. */
export const EXTERNAL_POSTGRES = { service: "external-postgres", namespace: EXTERNAL_DATA_NAMESPACE, port: 5432 } as const;

// Not the endpointslice controller: it must leave these hand-written slices alone.
const MANAGED_BY = "gitops.typed-platform.dev";

/**
 * A headless Service without a selector plus one static EndpointSlice: DNS answers with every
 * address, and nothing in the cluster proxies or health-checks the external nodes.
 */
export function externalService(options: {
  readonly name: string;
  readonly namespace: string;
  readonly portName: string;
  readonly port: number;
  readonly endpoints: ExternalEndpoints;
  readonly labels: Readonly<Record<string, string>>;
}): ObjectLike[] {
  const { name, namespace, portName, port, endpoints } = options;
  const labels = { ...options.labels };
  return [
    new Service({
      metadata: { name, namespace, labels },
      spec: { clusterIP: "None", ports: [{ name: portName, port, targetPort: port, protocol: "TCP" }] },
    }),
    new EndpointSlice({
      metadata: {
        name: `${name}-static`,
        namespace,
        labels: { ...labels, "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": MANAGED_BY },
      },
      addressType: "IPv4",
      ports: [{ name: portName, port, protocol: "TCP" }],
      endpoints: endpoints.addresses.map((address) => ({ addresses: [address], conditions: { ready: true } })),
    }),
  ];
}

export default defineComponent<ExternalPostgresValues>({
  name: "external-postgres",
  description: "In-cluster DNS name for the external Patroni HA PostgreSQL: a headless Service with static EndpointSlices.",
  namespace: EXTERNAL_DATA_NAMESPACE,
  values: {
    // kind's docker network (172.18.0.0/16): the Patroni containers run beside the kind nodes.
    dev: { patroni: { addresses: ["172.18.0.21", "172.18.0.22", "172.18.0.23"], cidr: "172.18.0.0/16" } },
    prod: { patroni: { addresses: ["10.20.0.11", "10.20.0.12", "10.20.0.13"], cidr: "10.20.0.0/24" } },
  },
  resources: (v, { namespace }) => [
    // The namespace runs no pods: deny all traffic and allow no pods at all.
    ...namespaceBaseline({ namespace, quota: { cpu: "0", memory: "0", pods: 0 } }),
    ...externalService({
      name: EXTERNAL_POSTGRES.service,
      namespace,
      portName: "postgres",
      port: EXTERNAL_POSTGRES.port,
      endpoints: v.patroni,
      labels: { "app.kubernetes.io/name": "external-postgres", "app.kubernetes.io/part-of": "external-data" },
    }),
  ],
});
