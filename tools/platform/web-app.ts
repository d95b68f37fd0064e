import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { ObjectLike } from "../model/kube-object.ts";
import { namespaceBaseline, type BaselineOptions } from "./baseline.ts";

type Json = Record<string, unknown>;

export interface WebAppResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

/**
 * A stateless web app: what a typical HTTP service needs, with the platform's defaults (non-root,
 * read-only root filesystem, probes, spread over nodes, a PodDisruptionBudget, the namespace baseline).
 * Every part can be turned off or changed: `configure` receives each object before it is returned.
 */
export interface WebAppOptions {
  readonly name: string;
  readonly namespace: string;
  /** Pod and object labels. @default { "app.kubernetes.io/name": name } */
  readonly labels?: Readonly<Record<string, string>>;
  /** Image reference, `repository:tag` or `repository@sha256:…`. */
  readonly image: string;
  /** The port the container listens on (named `http`). */
  readonly port: number;
  /** Fixed replicas; left out of the Deployment when `autoscaling` is set (the autoscaler owns the count, and a GitOps sync would reset it). */
  readonly replicas: number;
  readonly resources: WebAppResources;
  /** The user and group the container runs as. @default { user: 10001, group: 10001 } */
  readonly runAs?: { readonly user: number; readonly group: number };
  /** HTTP path of the readiness and liveness probes. @default "/" */
  readonly probePath?: string;
  /** Probe periods in seconds. @default { readiness: 5, liveness: 15 } */
  readonly probePeriods?: { readonly readiness: number; readonly liveness: number };
  /** A writable /tmp in memory of this size (the root filesystem is read-only). @default none */
  readonly tmp?: string;
  /** Environment of the container: a ConfigMap `<name>-config` mounted with envFrom. @default none */
  readonly config?: Readonly<Record<string, string>>;
  /** The Service's port. @default 80 */
  readonly servicePort?: number;
  /** An Ingress for a public host. */
  readonly ingress?: {
    readonly host: string;
    readonly className: string;
    /** cert-manager ClusterIssuer for the TLS certificate (`<name>-tls`); no TLS when omitted. */
    readonly clusterIssuer?: string;
  };
  /** CPU-based autoscaling; without it, `replicas` is fixed. */
  readonly autoscaling?: { readonly min: number; readonly max: number; readonly cpuUtilization: number };
  /** The PodDisruptionBudget's maxUnavailable, or false for none. @default 1 */
  readonly maxUnavailable?: number | false;
  /** The namespace baseline (network policies, quota, defaults), or false when another component owns the namespace. */
  readonly baseline?: Omit<BaselineOptions, "namespace"> | false;
  /** Changes any object before it is returned (by kind); return the object, changed or replaced. */
  readonly configure?: { readonly [kind: string]: (object: Json) => Json };
}

/** The objects of a web app: baseline, ConfigMap, Deployment, Service, Ingress, HPA and PDB, in that order. */
export function webApp(o: WebAppOptions): ObjectLike[] {
  const { name, namespace } = o;
  const labels = { ...(o.labels ?? { "app.kubernetes.io/name": name }) };
  const runAs = o.runAs ?? { user: 10001, group: 10001 };
  const probePath = o.probePath ?? "/";
  const periods = o.probePeriods ?? { readiness: 5, liveness: 15 };
  const configure = (object: Json): Json => o.configure?.[object.kind as string]?.(object) ?? object;
  const objects: Json[] = [];
  if (o.baseline !== false) objects.push(...(namespaceBaseline({ namespace, ...(o.baseline ?? {}) }) as unknown as Json[]));
  const configName = `${name}-config`;
  if (o.config) objects.push(configure(new ConfigMap({ metadata: { name: configName, namespace, labels }, data: { ...o.config } }) as unknown as Json));
  objects.push(
    configure(
      new Deployment({
        metadata: { name, namespace, labels },
        spec: {
          ...(o.autoscaling ? {} : { replicas: o.replicas }),
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: runAs.user, runAsGroup: runAs.group, seccompProfile: { type: "RuntimeDefault" } },
              topologySpreadConstraints: [
                { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } },
              ],
              containers: [
                {
                  name,
                  image: o.image,
                  ports: [{ name: "http", containerPort: o.port }],
                  ...(o.config ? { envFrom: [{ configMapRef: { name: configName } }] } : {}),
                  resources: { requests: { ...o.resources.requests }, limits: { ...o.resources.limits } },
                  readinessProbe: { httpGet: { path: probePath, port: "http" }, periodSeconds: periods.readiness },
                  livenessProbe: { httpGet: { path: probePath, port: "http" }, periodSeconds: periods.liveness },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                  ...(o.tmp ? { volumeMounts: [{ name: "tmp", mountPath: "/tmp" }] } : {}),
                },
              ],
              ...(o.tmp ? { volumes: [{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: o.tmp } }] } : {}),
            },
          },
        },
      }) as unknown as Json,
    ),
  );
  objects.push(
    configure(
      new Service({
        metadata: { name, namespace, labels },
        spec: { selector: labels, ports: [{ name: "http", port: o.servicePort ?? 80, targetPort: "http" }] },
      }) as unknown as Json,
    ),
  );
  if (o.ingress) {
    const { host, className, clusterIssuer } = o.ingress;
    objects.push(
      configure(
        new Ingress({
          metadata: { name, namespace, labels, ...(clusterIssuer ? { annotations: { "cert-manager.io/cluster-issuer": clusterIssuer } } : {}) },
          spec: {
            ingressClassName: className,
            ...(clusterIssuer ? { tls: [{ hosts: [host], secretName: `${name}-tls` }] } : {}),
            rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }],
          },
        }) as unknown as Json,
      ),
    );
  }
  if (o.autoscaling) {
    objects.push(
      configure(
        new HorizontalPodAutoscaler({
          metadata: { name, namespace, labels },
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
            minReplicas: o.autoscaling.min,
            maxReplicas: o.autoscaling.max,
            metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: o.autoscaling.cpuUtilization } } }],
          },
        }) as unknown as Json,
      ),
    );
  }
  if (o.maxUnavailable !== false) {
    objects.push(
      configure(new PodDisruptionBudget({ metadata: { name, namespace, labels }, spec: { maxUnavailable: o.maxUnavailable ?? 1, selector: { matchLabels: labels } } }) as unknown as Json),
    );
  }
  return objects as unknown as ObjectLike[];
}
