import type { Environment } from "../model/environment.ts";
import type { KubeObject } from "../model/kube-object.ts";
import type { DeclaredPolicyException } from "../model/policy-exception.ts";
import { IGNORE_ANNOTATION } from "./exceptions.ts";
import type { KyvernoSettings } from "./kyverno.ts";
import type { RuleId } from "./rule.ts";

/**
 * The rule table's evidence: for each rule, manifests that pass and fail, what the offline check says
 * (exact messages and paths) and, beside it, what the generated Kyverno policy does with the same
 * manifest (which rule and which pattern path decides). lint.test.ts and kyverno.test.ts run them all.
 */
export interface PolicyFixture {
  readonly name: string;
  readonly rule: RuleId;
  /** @default { environment: "dev" } */
  readonly settings?: Omit<KyvernoSettings, "environment"> & { readonly environment?: Environment };
  /** Typed exceptions of the set (lint honours them; the Kyverno side gets their PolicyExceptions). */
  readonly exceptions?: readonly DeclaredPolicyException[];
  /** The manifest under test first; then any other objects of the set (for rules that look across objects). */
  readonly objects: readonly KubeObject[];
  /** Findings of the rule (and of policy-exception) on the first object; empty when it passes. */
  readonly offline: readonly { readonly message: string; readonly path: string }[];
  readonly kyverno: KyvernoExpectation;
  /** Why the offline verdict and Kyverno's differ; required exactly when they do. */
  readonly divergence?: string;
}

export type KyvernoExpectation =
  /** The policy rule that applied and passed (and the anyPattern alternative that held). */
  | { readonly verdict: "pass"; readonly rule: string; readonly anyPattern?: number }
  /** The policy rule that failed and the path each pattern (each anyPattern alternative) failed at. */
  | { readonly verdict: "fail"; readonly rule: string; readonly at: readonly string[] }
  /** No rule applied: the kind is not matched, a namespace is excluded, a PolicyException waives it. */
  | { readonly verdict: "skip"; readonly reason: "not-matched" | "excluded" | "precondition" | "exception" | "pattern" }
  /** The rule has no Kyverno policy (see its `kyverno.reason`). */
  | { readonly verdict: "offline-only" };

// ---- manifests ----

type Obj = Record<string, unknown>;

const RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };
const SECURE = { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const PROBE = { httpGet: { path: "/healthz", port: 8080 } };

/** A container that passes every rule; `patch` replaces fields, `undefined` removes them. */
function container(patch: Obj = {}): Obj {
  const base: Obj = {
    name: "api",
    image: "ghcr.io/acme/api:1.4.2",
    resources: RESOURCES,
    securityContext: SECURE,
    livenessProbe: PROBE,
    readinessProbe: PROBE,
  };
  return prune({ ...base, ...patch });
}

/** A hardened container's securityContext with fields replaced or (`undefined`) removed. */
function secure(patch: Obj): Obj {
  return prune({ ...SECURE, ...patch });
}

function prune(object: Obj): Obj {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

function meta(name: string, annotations?: Record<string, string>): KubeObject["metadata"] {
  return { name, namespace: "shop", ...(annotations ? { annotations } : {}) };
}

const LABELS = { app: "api" };

function podSpec(patch: Obj = {}): Obj {
  return prune({ containers: [container()], ...patch });
}

function workload(
  apiVersion: string,
  kind: string,
  spec: Obj,
  extra: Obj = {},
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: meta("api", annotations),
    spec: { selector: { matchLabels: LABELS }, ...extra, template: { metadata: { labels: LABELS }, spec } },
  };
}

const deployment = (spec: Obj = podSpec(), extra: Obj = {}, annotations?: Record<string, string>) =>
  workload("apps/v1", "Deployment", spec, extra, annotations);
const statefulSet = (spec: Obj = podSpec()) => workload("apps/v1", "StatefulSet", spec, { serviceName: "api" });
const daemonSet = (spec: Obj = podSpec()) => workload("apps/v1", "DaemonSet", spec);
const replicaSet = (spec: Obj = podSpec()) => workload("apps/v1", "ReplicaSet", spec);
const rollout = (spec: Obj = podSpec(), extra: Obj = {}) => workload("argoproj.io/v1alpha1", "Rollout", spec, extra);

function job(spec: Obj = podSpec({ restartPolicy: "Never" })): KubeObject {
  return { apiVersion: "batch/v1", kind: "Job", metadata: meta("migrate"), spec: { template: { spec } } };
}

function cronJob(spec: Obj = podSpec({ restartPolicy: "OnFailure" })): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta("backup"),
    spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec } } } },
  };
}

function pod(spec: Obj = podSpec(), annotations?: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { ...meta("api", annotations), labels: LABELS }, spec };
}

function secret(name: string, fields: Obj, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "Secret", metadata: meta(name, annotations), ...fields };
}

function pdb(selector: Obj): KubeObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: meta("api"),
    spec: { maxUnavailable: 1, selector },
  };
}

function hpa(minReplicas: number | undefined, maxReplicas: number | undefined): KubeObject {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta("api"),
    spec: prune({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
      minReplicas,
      maxReplicas,
    }),
  };
}

const C0 = "spec.template.spec.containers[0]";
const K0 = "/spec/template/spec/containers/0";
const DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

// ---- the table ----

export const POLICY_FIXTURES: readonly PolicyFixture[] = [
  // image-pinned
  {
    name: "a versioned tag passes",
    rule: "image-pinned",
    objects: [deployment()],
    offline: [],
    kyverno: { verdict: "pass", rule: "image-pinned-workload" },
  },
  {
    name: ":latest fails",
    rule: "image-pinned",
    objects: [deployment(podSpec({ containers: [container({ image: "nginx:latest" })] }))],
    offline: [{ message: 'container "api" image "nginx:latest" uses the :latest tag', path: `${C0}.image` }],
    kyverno: { verdict: "fail", rule: "image-pinned-workload", at: [`${K0}/image/`] },
  },
  {
    name: "an untagged init container image in a CronJob fails",
    rule: "image-pinned",
    objects: [
      cronJob(
        podSpec({ restartPolicy: "OnFailure", initContainers: [container({ name: "setup", image: "busybox" })] }),
      ),
    ],
    offline: [
      {
        message: 'init container "setup" image "busybox" has no tag, so it pulls :latest',
        path: "spec.jobTemplate.spec.template.spec.initContainers[0].image",
      },
    ],
    kyverno: {
      verdict: "fail",
      rule: "image-pinned-cronjob",
      at: ["/spec/jobTemplate/spec/template/spec/initContainers/0/image/"],
    },
  },
  {
    name: "a registry port is not a tag",
    rule: "image-pinned",
    objects: [pod(podSpec({ containers: [container({ image: "localhost:5000/api" })] }))],
    offline: [
      {
        message: 'container "api" image "localhost:5000/api" has no tag, so it pulls :latest',
        path: "spec.containers[0].image",
      },
    ],
    kyverno: { verdict: "fail", rule: "image-pinned-pod", at: ["/spec/containers/0/image/"] },
  },
  {
    name: "a tag after a registry port passes",
    rule: "image-pinned",
    objects: [pod(podSpec({ containers: [container({ image: "localhost:5000/api:1.0" })] }))],
    offline: [],
    kyverno: { verdict: "pass", rule: "image-pinned-pod" },
  },
  {
    name: "a digest pins even :latest",
    rule: "image-pinned",
    objects: [deployment(podSpec({ containers: [container({ image: `nginx:latest@${DIGEST}` })] }))],
    offline: [],
    kyverno: { verdict: "pass", rule: "image-pinned-workload" },
  },
  {
    name: "requireDigest: a tag alone fails",
    rule: "image-pinned",
    settings: { requireDigest: true },
    objects: [statefulSet()],
    offline: [
      {
        message:
          'container "api" image "ghcr.io/acme/api:1.4.2" is not pinned by digest, which this cluster requires (name@sha256:…)',
        path: `${C0}.image`,
      },
    ],
    kyverno: { verdict: "fail", rule: "image-pinned-workload", at: [`${K0}/image/`] },
  },
  {
    name: "requireDigest: a digest passes",
    rule: "image-pinned",
    settings: { requireDigest: true },
    objects: [statefulSet(podSpec({ containers: [container({ image: `ghcr.io/acme/api@${DIGEST}` })] }))],
    offline: [],
    kyverno: { verdict: "pass", rule: "image-pinned-workload" },
  },
  {
    name: "a typed exception naming the Deployment waives the rule",
    rule: "image-pinned",
    exceptions: [
      { component: "shop", namespace: "shop", rule: "image-pinned", objects: [{ kind: "Deployment", name: "api" }], reason: "upstream publishes only latest" },
    ],
    objects: [deployment(podSpec({ containers: [container({ image: "nginx:latest" })] }))],
    offline: [],
    kyverno: { verdict: "skip", reason: "exception" },
  },
  {
    name: "a typed exception for another object waives nothing",
    rule: "image-pinned",
    exceptions: [
      { component: "shop", namespace: "shop", rule: "image-pinned", objects: [{ kind: "StatefulSet", name: "api" }], reason: "upstream publishes only latest" },
    ],
    objects: [deployment(podSpec({ containers: [container({ image: "nginx:latest" })] }))],
    offline: [{ message: 'container "api" image "nginx:latest" uses the :latest tag', path: "spec.template.spec.containers[0].image" }],
    kyverno: { verdict: "fail", rule: "image-pinned-workload", at: [`${K0}/image/`] },
  },
  {
    name: "the retired ignore annotation waives nothing, and says so",
    rule: "image-pinned",
    objects: [
      deployment(
        podSpec({ containers: [container({ image: "nginx:latest" })] }),
        {},
        { [IGNORE_ANNOTATION]: "image-pinned: upstream publishes only latest" },
      ),
    ],
    offline: [
      {
        message: `the annotation ${IGNORE_ANNOTATION} waives nothing: anyone who can write the object could exempt it`,
        path: `metadata.annotations["${IGNORE_ANNOTATION}"]`,
      },
      { message: 'container "api" image "nginx:latest" uses the :latest tag', path: "spec.template.spec.containers[0].image" },
    ],
    kyverno: { verdict: "fail", rule: "image-pinned-workload", at: [`${K0}/image/`] },
  },

  // registry-allowed
  {
    name: "an image from an allowed path prefix passes",
    rule: "registry-allowed",
    settings: { registries: ["ghcr.io/acme", "registry.k8s.io"] },
    objects: [deployment()],
    offline: [],
    kyverno: { verdict: "pass", rule: "registry-allowed-workload" },
  },
  {
    name: "a Docker Hub image fails when only other registries are allowed",
    rule: "registry-allowed",
    settings: { registries: ["ghcr.io/acme", "registry.k8s.io"] },
    objects: [deployment(podSpec({ containers: [container({ image: "nginx:1.27" })] }))],
    offline: [
      {
        message:
          'container "api" image "nginx:1.27" (docker.io/library/nginx) is not from an allowed registry (ghcr.io/acme, registry.k8s.io)',
        path: `${C0}.image`,
      },
    ],
    kyverno: { verdict: "fail", rule: "registry-allowed-workload", at: [`${K0}/image/`] },
  },
  {
    name: "another organisation on an allowed host fails",
    rule: "registry-allowed",
    settings: { registries: ["ghcr.io/acme"] },
    objects: [
      job(podSpec({ restartPolicy: "Never", containers: [container({ image: "ghcr.io/acme-evil/api:1.0" })] })),
    ],
    offline: [
      {
        message: 'container "api" image "ghcr.io/acme-evil/api:1.0" is not from an allowed registry (ghcr.io/acme)',
        path: `${C0}.image`,
      },
    ],
    kyverno: { verdict: "fail", rule: "registry-allowed-workload", at: [`${K0}/image/`] },
  },
  {
    name: "docker.io allows images written without a registry",
    rule: "registry-allowed",
    settings: { registries: ["docker.io"] },
    objects: [
      pod(
        podSpec({
          containers: [container({ image: "bitnami/redis:7.2" }), container({ name: "proxy", image: "nginx:1.27" })],
        }),
      ),
    ],
    offline: [],
    kyverno: { verdict: "pass", rule: "registry-allowed-pod" },
  },
  {
    name: "docker.io does not allow a local registry",
    rule: "registry-allowed",
    settings: { registries: ["docker.io"] },
    objects: [pod(podSpec({ containers: [container({ image: "localhost:5000/api:1.0" })] }))],
    offline: [
      {
        message: 'container "api" image "localhost:5000/api:1.0" is not from an allowed registry (docker.io)',
        path: "spec.containers[0].image",
      },
    ],
    kyverno: { verdict: "fail", rule: "registry-allowed-pod", at: ["/spec/containers/0/image/"] },
  },
  {
    name: "docker.io/library allows official images only",
    rule: "registry-allowed",
    settings: { registries: ["docker.io/library"] },
    objects: [
      pod(
        podSpec({
          containers: [container({ image: "nginx:1.27" }), container({ name: "cache", image: "bitnami/redis:7.2" })],
        }),
      ),
    ],
    offline: [
      {
        message:
          'container "cache" image "bitnami/redis:7.2" (docker.io/bitnami/redis) is not from an allowed registry (docker.io/library)',
        path: "spec.containers[1].image",
      },
    ],
    kyverno: { verdict: "fail", rule: "registry-allowed-pod", at: ["/spec/containers/1/image/"] },
  },

  // resources-set
  {
    name: "requests and a memory limit pass",
    rule: "resources-set",
    objects: [statefulSet()],
    offline: [],
    kyverno: { verdict: "pass", rule: "resources-set-workload" },
  },
  {
    name: "no resources at all fails three times",
    rule: "resources-set",
    objects: [deployment(podSpec({ containers: [container({ resources: undefined })] }))],
    offline: [
      { message: 'container "api" has no CPU request', path: `${C0}.resources.requests.cpu` },
      { message: 'container "api" has no memory request', path: `${C0}.resources.requests.memory` },
      { message: 'container "api" has no memory limit', path: `${C0}.resources.limits.memory` },
    ],
    kyverno: { verdict: "fail", rule: "resources-set-workload", at: [`${K0}/resources/`] },
  },
  {
    name: "a missing memory limit fails",
    rule: "resources-set",
    objects: [
      pod(
        podSpec({
          containers: [container({ resources: { requests: { cpu: 1, memory: "1Gi" }, limits: { cpu: 2 } } })],
        }),
      ),
    ],
    offline: [{ message: 'container "api" has no memory limit', path: "spec.containers[0].resources.limits.memory" }],
    kyverno: { verdict: "fail", rule: "resources-set-pod", at: ["/spec/containers/0/resources/limits/memory/"] },
  },
  {
    name: "an init container without resources fails",
    rule: "resources-set",
    objects: [
      job(
        podSpec({
          restartPolicy: "Never",
          initContainers: [container({ name: "wait", resources: { limits: { memory: "64Mi" } } })],
        }),
      ),
    ],
    offline: [
      {
        message: 'init container "wait" has no CPU request',
        path: "spec.template.spec.initContainers[0].resources.requests.cpu",
      },
      {
        message: 'init container "wait" has no memory request',
        path: "spec.template.spec.initContainers[0].resources.requests.memory",
      },
    ],
    kyverno: {
      verdict: "fail",
      rule: "resources-set-workload",
      at: ["/spec/template/spec/initContainers/0/resources/requests/"],
    },
  },

  // run-as-non-root
  {
    name: "runAsNonRoot on the pod covers its containers",
    rule: "run-as-non-root",
    objects: [
      deployment(
        podSpec({
          securityContext: { runAsNonRoot: true },
          containers: [container({ securityContext: secure({ runAsNonRoot: undefined }) })],
        }),
      ),
    ],
    offline: [],
    kyverno: { verdict: "pass", rule: "run-as-non-root-workload" },
  },
  {
    name: "a non-zero runAsUser on the container passes",
    rule: "run-as-non-root",
    objects: [
      daemonSet(
        podSpec({
          containers: [container({ securityContext: secure({ runAsNonRoot: undefined, runAsUser: 10001 }) })],
        }),
      ),
    ],
    offline: [],
    kyverno: { verdict: "pass", rule: "run-as-non-root-workload" },
  },
  {
    name: "a non-zero runAsUser on the pod passes",
    rule: "run-as-non-root",
    objects: [
      pod(
        podSpec({
          securityContext: { runAsUser: 1000 },
          containers: [container({ securityContext: secure({ runAsNonRoot: undefined }) })],
        }),
      ),
    ],
    offline: [],
    kyverno: { verdict: "pass", rule: "run-as-non-root-pod" },
  },
  {
    name: "nothing set may run as root",
    rule: "run-as-non-root",
    objects: [deployment(podSpec({ containers: [container({ securityContext: undefined })] }))],
    offline: [
      {
        message: 'container "api" may run as root: set runAsNonRoot: true or a non-zero runAsUser',
        path: `${C0}.securityContext.runAsNonRoot`,
      },
    ],
    kyverno: { verdict: "fail", rule: "run-as-non-root-workload", at: ["request.object.spec.template.spec.containers[0]/"] },
  },
  {
    name: "runAsUser: 0 runs as root",
    rule: "run-as-non-root",
    objects: [
      rollout(
        podSpec({ containers: [container({ securityContext: secure({ runAsNonRoot: undefined, runAsUser: 0 }) })] }),
      ),
    ],
    offline: [{ message: 'container "api" runs as root (runAsUser: 0)', path: `${C0}.securityContext.runAsUser` }],
    kyverno: { verdict: "fail", rule: "run-as-non-root-workload", at: ["request.object.spec.template.spec.containers[0]/"] },
  },
  {
    name: "a container overriding the pod's runAsNonRoot with false may run as root",
    rule: "run-as-non-root",
    objects: [
      replicaSet(
        podSpec({
          securityContext: { runAsNonRoot: true },
          containers: [container({ securityContext: secure({ runAsNonRoot: false }) })],
        }),
      ),
    ],
    offline: [
      {
        message: 'container "api" may run as root: runAsNonRoot is false and no non-zero runAsUser is set',
        path: `${C0}.securityContext.runAsNonRoot`,
      },
    ],
    kyverno: { verdict: "fail", rule: "run-as-non-root-workload", at: ["request.object.spec.template.spec.containers[0]/"] },
  },
  {
    name: "runAsUser: 0 on the pod wins over the container's runAsNonRoot",
    rule: "run-as-non-root",
    objects: [pod(podSpec({ securityContext: { runAsUser: 0 } }))],
    offline: [
      {
        message: 'container "api" runs as root (runAsUser: 0 in the pod securityContext)',
        path: "spec.securityContext.runAsUser",
      },
    ],
    kyverno: { verdict: "fail", rule: "run-as-non-root-pod", at: ["request.object.spec.containers[0]/"] },
  },
  {
    name: "an ephemeral container without a user may run as root",
    rule: "run-as-non-root",
    objects: [pod(podSpec({ ephemeralContainers: [{ name: "debug", image: "busybox:1.36" }] }))],
    offline: [
      {
        message: 'ephemeral container "debug" may run as root: set runAsNonRoot: true or a non-zero runAsUser',
        path: "spec.ephemeralContainers[0].securityContext.runAsNonRoot",
      },
    ],
    kyverno: { verdict: "fail", rule: "run-as-non-root-pod", at: ["request.object.spec.ephemeralContainers[0]/"] },
  },
  {
    name: "containers qualifying in different ways pass, offline and in Kyverno",
    rule: "run-as-non-root",
    objects: [
      deployment(
        podSpec({
          containers: [
            container(),
            container({ name: "sidecar", securityContext: secure({ runAsNonRoot: undefined, runAsUser: 1000 }) }),
          ],
        }),
      ),
    ],
    offline: [],
    kyverno: { verdict: "pass", rule: "run-as-non-root-workload" },
  },
  {
    name: "a Rollout that references a Deployment has no pod template to check",
    rule: "run-as-non-root",
    objects: [
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata: meta("api"),
        spec: { workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" } },
      },
    ],
    offline: [],
    kyverno: { verdict: "skip", reason: "pattern" },
  },

  // no-privileged
  {
    name: "an unprivileged container passes",
    rule: "no-privileged",
    objects: [deployment()],
    offline: [],
    kyverno: { verdict: "pass", rule: "no-privileged-workload" },
  },
  {
    name: "a privileged container fails",
    rule: "no-privileged",
    objects: [daemonSet(podSpec({ containers: [container({ securityContext: secure({ privileged: true }) })] }))],
    offline: [
      { message: 'container "api" is privileged (privileged: true)', path: `${C0}.securityContext.privileged` },
    ],
    kyverno: { verdict: "fail", rule: "no-privileged-workload", at: [`${K0}/securityContext/privileged/`] },
  },
  {
    name: "a privileged ephemeral container fails",
    rule: "no-privileged",
    objects: [
      pod(
        podSpec({
          ephemeralContainers: [{ name: "debug", image: "busybox:1.36", securityContext: { privileged: true } }],
        }),
      ),
    ],
    offline: [
      {
        message: 'ephemeral container "debug" is privileged (privileged: true)',
        path: "spec.ephemeralContainers[0].securityContext.privileged",
      },
    ],
    kyverno: {
      verdict: "fail",
      rule: "no-privileged-pod",
      at: ["/spec/ephemeralContainers/0/securityContext/privileged/"],
    },
  },

  // no-privilege-escalation
  {
    name: "allowPrivilegeEscalation: false passes",
    rule: "no-privilege-escalation",
    objects: [cronJob()],
    offline: [],
    kyverno: { verdict: "pass", rule: "no-privilege-escalation-cronjob" },
  },
  {
    name: "a missing allowPrivilegeEscalation fails",
    rule: "no-privilege-escalation",
    objects: [
      deployment(
        podSpec({ containers: [container({ securityContext: secure({ allowPrivilegeEscalation: undefined }) })] }),
      ),
    ],
    offline: [
      {
        message: 'container "api" does not set allowPrivilegeEscalation: false',
        path: `${C0}.securityContext.allowPrivilegeEscalation`,
      },
    ],
    kyverno: {
      verdict: "fail",
      rule: "no-privilege-escalation-workload",
      at: [`${K0}/securityContext/allowPrivilegeEscalation/`],
    },
  },
  {
    name: "allowPrivilegeEscalation: true fails",
    rule: "no-privilege-escalation",
    objects: [
      pod(
        podSpec({
          initContainers: [container({ name: "setup", securityContext: secure({ allowPrivilegeEscalation: true }) })],
        }),
      ),
    ],
    offline: [
      {
        message: 'init container "setup" allows privilege escalation (allowPrivilegeEscalation: true)',
        path: "spec.initContainers[0].securityContext.allowPrivilegeEscalation",
      },
    ],
    kyverno: {
      verdict: "fail",
      rule: "no-privilege-escalation-pod",
      at: ["/spec/initContainers/0/securityContext/allowPrivilegeEscalation/"],
    },
  },

  // read-only-root-fs
  {
    name: "a read-only root filesystem passes",
    rule: "read-only-root-fs",
    objects: [deployment()],
    offline: [],
    kyverno: { verdict: "pass", rule: "read-only-root-fs-workload" },
  },
  {
    name: "a writable root filesystem fails",
    rule: "read-only-root-fs",
    objects: [
      deployment(
        podSpec({ containers: [container({ securityContext: secure({ readOnlyRootFilesystem: undefined }) })] }),
      ),
    ],
    offline: [
      {
        message: 'container "api" has a writable root filesystem: set readOnlyRootFilesystem: true',
        path: `${C0}.securityContext.readOnlyRootFilesystem`,
      },
    ],
    kyverno: {
      verdict: "fail",
      rule: "read-only-root-fs-workload",
      at: [`${K0}/securityContext/readOnlyRootFilesystem/`],
    },
  },
  {
    name: "readOnlyRootFilesystem: false waived with a reason",
    rule: "read-only-root-fs",
    objects: [
      deployment(podSpec({ containers: [container({ securityContext: secure({ readOnlyRootFilesystem: false }) })] })),
    ],
    exceptions: [
      { component: "shop", namespace: "shop", rule: "read-only-root-fs", objects: [{ name: "api" }], reason: "the chart writes its cache under /var/lib", expires: "2099-12-31" },
    ],
    offline: [],
    kyverno: { verdict: "skip", reason: "exception" },
  },

  // probes-set
  {
    name: "liveness and readiness probes pass",
    rule: "probes-set",
    objects: [deployment()],
    offline: [],
    kyverno: { verdict: "pass", rule: "probes-set-workload", anyPattern: 1 },
  },
  {
    name: "a Deployment without probes fails",
    rule: "probes-set",
    objects: [
      deployment(podSpec({ containers: [container({ livenessProbe: undefined, readinessProbe: undefined })] })),
    ],
    offline: [
      { message: 'container "api" has no liveness probe', path: `${C0}.livenessProbe` },
      { message: 'container "api" has no readiness probe', path: `${C0}.readinessProbe` },
    ],
    kyverno: {
      verdict: "fail",
      rule: "probes-set-workload",
      at: ["/spec/template/spec/restartPolicy/", `${K0}/readinessProbe/`],
    },
  },
  {
    name: "a bare Pod without a readiness probe fails",
    rule: "probes-set",
    objects: [pod(podSpec({ containers: [container({ readinessProbe: undefined })] }))],
    offline: [{ message: 'container "api" has no readiness probe', path: "spec.containers[0].readinessProbe" }],
    kyverno: {
      verdict: "fail",
      rule: "probes-set-pod",
      at: ["/spec/restartPolicy/", "/spec/containers/0/readinessProbe/"],
    },
  },
  {
    name: "a Pod that runs to completion needs no probes",
    rule: "probes-set",
    objects: [
      pod(
        podSpec({
          restartPolicy: "Never",
          containers: [container({ livenessProbe: undefined, readinessProbe: undefined })],
        }),
      ),
    ],
    offline: [],
    kyverno: { verdict: "pass", rule: "probes-set-pod", anyPattern: 0 },
  },
  {
    name: "a Job needs no probes",
    rule: "probes-set",
    objects: [
      job(
        podSpec({
          restartPolicy: "Never",
          containers: [container({ livenessProbe: undefined, readinessProbe: undefined })],
        }),
      ),
    ],
    offline: [],
    kyverno: { verdict: "skip", reason: "not-matched" },
  },

  // no-host-namespaces
  {
    name: "a pod in its own namespaces passes",
    rule: "no-host-namespaces",
    objects: [deployment(podSpec({ hostNetwork: false }))],
    offline: [],
    kyverno: { verdict: "pass", rule: "no-host-namespaces-workload" },
  },
  {
    name: "hostNetwork and hostPID fail",
    rule: "no-host-namespaces",
    objects: [daemonSet(podSpec({ hostNetwork: true, hostPID: true }))],
    offline: [
      {
        message: "pod shares the host's network namespace (hostNetwork: true)",
        path: "spec.template.spec.hostNetwork",
      },
      { message: "pod shares the host's process (PID) namespace (hostPID: true)", path: "spec.template.spec.hostPID" },
    ],
    kyverno: { verdict: "fail", rule: "no-host-namespaces-workload", at: ["/spec/template/spec/hostNetwork/"] },
  },
  {
    name: "hostIPC fails in a CronJob",
    rule: "no-host-namespaces",
    objects: [cronJob(podSpec({ restartPolicy: "OnFailure", hostIPC: true }))],
    offline: [
      {
        message: "pod shares the host's IPC namespace (hostIPC: true)",
        path: "spec.jobTemplate.spec.template.spec.hostIPC",
      },
    ],
    kyverno: {
      verdict: "fail",
      rule: "no-host-namespaces-cronjob",
      at: ["/spec/jobTemplate/spec/template/spec/hostIPC/"],
    },
  },

  // no-host-path
  {
    name: "an emptyDir volume passes",
    rule: "no-host-path",
    objects: [deployment(podSpec({ volumes: [{ name: "tmp", emptyDir: {} }] }))],
    offline: [],
    kyverno: { verdict: "pass", rule: "no-host-path-workload" },
  },
  {
    name: "a hostPath volume fails",
    rule: "no-host-path",
    objects: [
      daemonSet(
        podSpec({
          volumes: [
            { name: "tmp", emptyDir: {} },
            { name: "docker-sock", hostPath: { path: "/var/run/docker.sock", type: "Socket" } },
          ],
        }),
      ),
    ],
    offline: [
      {
        message: 'volume "docker-sock" mounts the host path "/var/run/docker.sock"',
        path: "spec.template.spec.volumes[1].hostPath",
      },
    ],
    kyverno: { verdict: "fail", rule: "no-host-path-workload", at: ["/spec/template/spec/volumes/1/hostPath/"] },
  },

  // no-plain-secret
  {
    name: "a Secret with stringData fails",
    rule: "no-plain-secret",
    objects: [secret("db-credentials", { type: "Opaque", stringData: { username: "app", password: "hunter2" } })],
    offline: [
      { message: 'Secret "db-credentials" has plain stringData (keys: username, password)', path: "stringData" },
    ],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a Secret with data fails",
    rule: "no-plain-secret",
    objects: [secret("api-token", { data: { token: "c2VjcmV0" } })],
    offline: [{ message: 'Secret "api-token" has plain data (keys: token)', path: "data" }],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a service-account token Secret passes",
    rule: "no-plain-secret",
    objects: [
      secret(
        "ci-token",
        { type: "kubernetes.io/service-account-token", data: { token: "" } },
        { "kubernetes.io/service-account.name": "ci" },
      ),
    ],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a TLS Secret made by cert-manager passes",
    rule: "no-plain-secret",
    objects: [
      secret(
        "api-tls",
        { type: "kubernetes.io/tls", data: { "tls.crt": "", "tls.key": "" } },
        { "cert-manager.io/certificate-name": "api" },
      ),
    ],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },

  // no-duplicate-env
  {
    name: "distinct env names pass",
    rule: "no-duplicate-env",
    objects: [
      deployment(
        podSpec({
          containers: [
            container({
              env: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
              ],
            }),
          ],
        }),
      ),
    ],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "an env name set twice fails",
    rule: "no-duplicate-env",
    objects: [
      deployment(
        podSpec({
          containers: [
            container({
              env: [
                { name: "LOG_LEVEL", value: "info" },
                { name: "PORT", value: "8080" },
                { name: "LOG_LEVEL", value: "debug" },
              ],
            }),
          ],
        }),
      ),
    ],
    offline: [
      {
        message: 'container "api" sets env var "LOG_LEVEL" 2 times (env[0], env[2]); the last one wins',
        path: `${C0}.env[2].name`,
      },
    ],
    kyverno: { verdict: "offline-only" },
  },

  // pdb-for-replicated
  {
    name: "replicas in prod without a PodDisruptionBudget fail",
    rule: "pdb-for-replicated",
    settings: { environment: "prod" },
    objects: [deployment(podSpec(), { replicas: 3 })],
    offline: [
      {
        message: 'Deployment "api" runs 3 replicas in prod but no PodDisruptionBudget selects its pods (app=api)',
        path: "spec.replicas",
      },
    ],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a PodDisruptionBudget that selects the pods passes",
    rule: "pdb-for-replicated",
    settings: { environment: "prod" },
    objects: [deployment(podSpec(), { replicas: 3 }), pdb({ matchLabels: { app: "api" } })],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a PodDisruptionBudget for other pods does not count",
    rule: "pdb-for-replicated",
    settings: { environment: "prod" },
    objects: [
      deployment(podSpec(), { replicas: 2 }),
      pdb({ matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] }),
    ],
    offline: [
      {
        message: 'Deployment "api" runs 2 replicas in prod but no PodDisruptionBudget selects its pods (app=api)',
        path: "spec.replicas",
      },
    ],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "an autoscaler's minimum counts as replicas",
    rule: "pdb-for-replicated",
    settings: { environment: "prod" },
    objects: [deployment(), hpa(2, 10)],
    offline: [
      {
        message:
          'Deployment "api" scales to at least 2 replicas (HorizontalPodAutoscaler "api") in prod but no PodDisruptionBudget selects its pods (app=api)',
        path: "spec.template.metadata.labels",
      },
    ],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "dev needs no PodDisruptionBudget",
    rule: "pdb-for-replicated",
    objects: [deployment(podSpec(), { replicas: 3 })],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },

  // hpa-min-max
  {
    name: "min below max passes",
    rule: "hpa-min-max",
    objects: [hpa(2, 10)],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "min above max fails",
    rule: "hpa-min-max",
    objects: [hpa(5, 3)],
    offline: [
      {
        message: 'HorizontalPodAutoscaler "api" has minReplicas 5 greater than maxReplicas 3',
        path: "spec.minReplicas",
      },
    ],
    kyverno: { verdict: "offline-only" },
  },

  // capabilities-dropped
  {
    name: "dropping ALL passes",
    rule: "capabilities-dropped",
    objects: [deployment()],
    offline: [],
    kyverno: { verdict: "pass", rule: "capabilities-dropped-workload" },
  },
  {
    name: "keeping the default capabilities fails",
    rule: "capabilities-dropped",
    objects: [deployment(podSpec({ containers: [container({ securityContext: secure({ capabilities: undefined }) })] }))],
    offline: [{ message: 'container "api" does not drop ALL capabilities', path: `${C0}.securityContext.capabilities.drop` }],
    kyverno: { verdict: "fail", rule: "capabilities-dropped-workload", at: ["request.object.spec.template.spec.containers[0]/"] },
  },
  {
    name: "adding SYS_ADMIN fails, NET_BIND_SERVICE is allowed",
    rule: "capabilities-dropped",
    objects: [deployment(podSpec({ containers: [container({ securityContext: secure({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE", "SYS_ADMIN"] } }) })] }))],
    offline: [{ message: 'container "api" adds capabilities SYS_ADMIN', path: `${C0}.securityContext.capabilities.add` }],
    kyverno: { verdict: "fail", rule: "capabilities-dropped-workload", at: ["request.object.spec.template.spec.containers[0]/"] },
  },

  // no-root-group
  {
    name: "no runAsGroup passes",
    rule: "no-root-group",
    objects: [deployment()],
    offline: [],
    kyverno: { verdict: "pass", rule: "no-root-group-workload" },
  },
  {
    name: "runAsGroup: 0 in the pod securityContext fails",
    rule: "no-root-group",
    objects: [deployment(podSpec({ securityContext: { runAsGroup: 0 } }))],
    offline: [{ message: "pod runs as group 0 (runAsGroup: 0 in the pod securityContext)", path: "spec.template.spec.securityContext.runAsGroup" }],
    kyverno: { verdict: "fail", rule: "no-root-group-workload", at: ["/spec/template/spec/securityContext/runAsGroup/"] },
  },

  // no-host-port
  {
    name: "a containerPort without hostPort passes",
    rule: "no-host-port",
    objects: [deployment(podSpec({ containers: [container({ ports: [{ containerPort: 8080 }] })] }))],
    offline: [],
    kyverno: { verdict: "pass", rule: "no-host-port-workload" },
  },
  {
    name: "a hostPort fails",
    rule: "no-host-port",
    objects: [deployment(podSpec({ containers: [container({ ports: [{ containerPort: 8080, hostPort: 8080 }] })] }))],
    offline: [{ message: 'container "api" binds host port 8080', path: `${C0}.ports[0].hostPort` }],
    kyverno: { verdict: "fail", rule: "no-host-port-workload", at: [`${K0}/ports/0/hostPort/`] },
  },

  // no-ssh-port
  {
    name: "port 8080 passes",
    rule: "no-ssh-port",
    objects: [deployment(podSpec({ containers: [container({ ports: [{ containerPort: 8080 }] })] }))],
    offline: [],
    kyverno: { verdict: "pass", rule: "no-ssh-port-workload" },
  },
  {
    name: "port 22 fails",
    rule: "no-ssh-port",
    objects: [deployment(podSpec({ containers: [container({ ports: [{ containerPort: 22 }] })] }))],
    offline: [{ message: 'container "api" exposes port 22 (SSH)', path: `${C0}.ports[0].containerPort` }],
    kyverno: { verdict: "fail", rule: "no-ssh-port-workload", at: [`${K0}/ports/0/containerPort/`] },
  },

  // no-unsafe-sysctls
  {
    name: "a safe sysctl passes",
    rule: "no-unsafe-sysctls",
    objects: [deployment(podSpec({ securityContext: { sysctls: [{ name: "net.ipv4.tcp_syncookies", value: "1" }] } }))],
    offline: [],
    kyverno: { verdict: "pass", rule: "no-unsafe-sysctls-workload" },
  },
  {
    name: "kernel.msgmax fails",
    rule: "no-unsafe-sysctls",
    objects: [deployment(podSpec({ securityContext: { sysctls: [{ name: "kernel.msgmax", value: "65536" }] } }))],
    offline: [{ message: "pod sets the unsafe sysctl kernel.msgmax", path: "spec.template.spec.securityContext.sysctls[0].name" }],
    kyverno: { verdict: "fail", rule: "no-unsafe-sysctls-workload", at: ["/spec/template/spec/securityContext/sysctls/0/name/"] },
  },

  // replicas-with-autoscaler
  {
    name: "a workload the autoscaler scales without spec.replicas passes",
    rule: "replicas-with-autoscaler",
    objects: [deployment(), hpa(2, 5)],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "spec.replicas beside an autoscaler fails (Argo CD and the HPA would fight)",
    rule: "replicas-with-autoscaler",
    objects: [deployment(podSpec(), { replicas: 3 }), hpa(2, 5)],
    offline: [{ message: 'Deployment "api" sets spec.replicas: 3 while HorizontalPodAutoscaler "api" scales it; each sync resets the autoscaler\'s count', path: "spec.replicas" }],
    kyverno: { verdict: "offline-only" },
  },

  // pdb-allows-drain
  {
    name: "maxUnavailable: 1 passes",
    rule: "pdb-allows-drain",
    objects: [pdb({ matchLabels: LABELS }), deployment(podSpec(), { replicas: 2 })],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "minAvailable equal to the replicas blocks every drain",
    rule: "pdb-allows-drain",
    objects: [
      { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta("api"), spec: { minAvailable: 2, selector: { matchLabels: LABELS } } },
      deployment(podSpec(), { replicas: 2 }),
    ],
    offline: [{ message: 'PodDisruptionBudget "api" requires minAvailable: 2 pods of Deployment "api", and it runs 2: no pod may be evicted, so drains hang', path: "spec.minAvailable" }],
    kyverno: { verdict: "offline-only" },
  },

  // service-selects-pods
  {
    name: "a Service selecting the workload's pods passes",
    rule: "service-selects-pods",
    objects: [service(LABELS), deployment()],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a Service selecting no pod template fails",
    rule: "service-selects-pods",
    objects: [service({ app: "apii" }), deployment()],
    offline: [{ message: 'Service "api" selects app=apii, which no pod template in namespace shop carries', path: "spec.selector" }],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a Service selecting one StatefulSet pod by the pod-name label its controller adds passes",
    rule: "service-selects-pods",
    objects: [service({ ...LABELS, "statefulset.kubernetes.io/pod-name": "api-1" }), workload("apps/v1", "StatefulSet", podSpec(), { serviceName: "api", replicas: 2 })],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a Service selecting a StatefulSet ordinal at or above spec.replicas fails",
    rule: "service-selects-pods",
    objects: [service({ ...LABELS, "statefulset.kubernetes.io/pod-name": "api-2" }), workload("apps/v1", "StatefulSet", podSpec(), { serviceName: "api", replicas: 2 })],
    offline: [{ message: 'Service "api" selects app=api, statefulset.kubernetes.io/pod-name=api-2, which no pod template in namespace shop carries', path: "spec.selector" }],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a Service selecting the pod-template-hash a Deployment adds passes",
    rule: "service-selects-pods",
    objects: [service({ ...LABELS, "pod-template-hash": "5d8f7c9b6" }), deployment()],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a Service selecting the pods the Prometheus Operator makes from a Prometheus of the set passes",
    rule: "service-selects-pods",
    objects: [
      service({ "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": "k8s" }),
      { apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: meta("k8s"), spec: { replicas: 1 } },
    ],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a Service selecting another Prometheus than the set's fails",
    rule: "service-selects-pods",
    objects: [
      service({ "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": "other" }),
      { apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: meta("k8s"), spec: { replicas: 1 } },
    ],
    offline: [{ message: 'Service "api" selects app.kubernetes.io/name=prometheus, operator.prometheus.io/name=other, which no pod template in namespace shop carries', path: "spec.selector" }],
    kyverno: { verdict: "offline-only" },
  },

  // config-change-restarts
  {
    name: "a checksum annotation of the config passes",
    rule: "config-change-restarts",
    objects: [withTemplateAnnotations(configured(), { "checksum/api-config": "3f1c0d2a" }), configMap("api-config")],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "a <name>/checksum annotation (Kargo's chart) passes",
    rule: "config-change-restarts",
    objects: [withTemplateAnnotations(configured(), { "configmap/checksum": "9b1e77c0" }), configMap("api-config")],
    offline: [],
    kyverno: { verdict: "offline-only" },
  },
  {
    name: "an envFrom ConfigMap with a fixed name and no checksum fails",
    rule: "config-change-restarts",
    objects: [configured(), configMap("api-config")],
    offline: [{ message: 'Deployment "api" reads ConfigMap "api-config", but a change to it restarts no pod (no content hash in the name, no checksum annotation)', path: `${C0}.envFrom[0].configMapRef.name` }],
    kyverno: { verdict: "offline-only" },
  },
];

function service(selector: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: meta("api"), spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } };
}

function configMap(name: string): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(name), data: { LOG_LEVEL: "info" } };
}

/** A Deployment that reads ConfigMap api-config through envFrom. */
function configured(): KubeObject {
  return deployment(podSpec({ containers: [container({ envFrom: [{ configMapRef: { name: "api-config" } }] })] }));
}

function withTemplateAnnotations(object: KubeObject, annotations: Record<string, string>): KubeObject {
  const copy = structuredClone(object);
  const template = (copy.spec as { template: { metadata: Record<string, unknown> } }).template;
  template.metadata = { ...template.metadata, annotations };
  return copy;
}

/** A manifest that passes every rule, in every pod-bearing kind (a Rollout and CronJob included). */
export const HARDENED_OBJECTS: readonly KubeObject[] = [
  pod(),
  deployment(),
  statefulSet(),
  daemonSet(),
  replicaSet(),
  rollout(),
  job(),
  cronJob(),
];
