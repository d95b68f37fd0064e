import { describe, expect, it } from "vitest";
import { checkObject } from "./api-rules.ts";

/** `rule severity: message` of every finding, the way a table reads best. */
function findings(object: unknown): string[] {
  return checkObject(object).map((f) => `${f.rule} ${f.severity}: ${f.message}`);
}

function deployment(podSpec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: podSpec },
      ...extra,
    },
  };
}

const container = (fields: Record<string, unknown> = {}) => ({ name: "app", image: "nginx:1.27", ...fields });

describe("checkObject: a valid object", () => {
  it("GIVEN a correct Deployment THEN finds nothing", () => {
    const object = deployment({
      containers: [
        container({
          ports: [{ name: "http", containerPort: 8080 }],
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: 1, memory: "1Gi" } },
          readinessProbe: { httpGet: { path: "/", port: "http" } },
          volumeMounts: [{ name: "config", mountPath: "/etc/app" }],
        }),
      ],
      volumes: [{ name: "config", configMap: { name: "web" } }],
    });
    expect(checkObject(object)).toEqual([]);
  });

  it("reports the path of each finding as an array", () => {
    const [finding] = checkObject(deployment({ containers: [container({ ports: [{ containerPort: 0 }] })] }));
    expect(finding.path).toEqual(["spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"]);
  });
});

describe("checkObject: apiVersion and kind (api/missing-type)", () => {
  it.each([
    [null, "api/missing-type error: the document is null, not an object with apiVersion, kind and metadata"],
    [[1], "api/missing-type error: the document is a top-level array, not an object with apiVersion, kind and metadata; kubectl and Kustomize reject it (write one document per object, or a kind: List)"],
    ["text", "api/missing-type error: the document is a string, not an object with apiVersion, kind and metadata"],
  ])("a document that is %j", (value, message) => expect(findings(value)).toEqual([message]));

  it.each([
    [{ kind: "ConfigMap" }, "api/missing-type error: apiVersion is missing"],
    [{ apiVersion: "", kind: "ConfigMap" }, 'api/missing-type error: apiVersion: "" is empty'],
    [{ apiVersion: 1, kind: "ConfigMap" }, "api/missing-type error: apiVersion: 1 is not a string"],
    [{ apiVersion: "apps/v1/beta", kind: "Deployment" }, 'api/missing-type error: apiVersion: "apps/v1/beta" is not of the form GROUP/VERSION or VERSION (e.g. apps/v1, v1)'],
    [{ apiVersion: "v1" }, "api/missing-type error: kind is missing"],
    [{ apiVersion: "v1", kind: " " }, 'api/missing-type error: kind: " " is empty'],
    [{ apiVersion: "v1", kind: "Config Map" }, 'api/missing-type error: kind: "Config Map" is not a kind name (letters and digits, e.g. Deployment)'],
  ])("%j", (object, message) => {
    expect(findings({ ...object, metadata: { name: "x" } })).toEqual([message]);
  });
});

describe("checkObject: names (api/name)", () => {
  const named = (apiVersion: string, kind: string, name: unknown) => ({ apiVersion, kind, metadata: { name } });

  it.each([
    [named("v1", "ConfigMap", "My_Config"), `api/name error: metadata.name: "My_Config" is not a valid ConfigMap name: it must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`],
    [named("v1", "Namespace", "team.a"), `api/name error: metadata.name: "team.a" is not a valid Namespace name: it must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`],
    [named("v1", "Service", "1-api"), `api/name error: metadata.name: "1-api" is not a valid Service name: it must be an RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit`],
    [named("v1", "Service", "api.v1"), `api/name error: metadata.name: "api.v1" is not a valid Service name: it must be an RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit`],
    [named("rbac.authorization.k8s.io/v1", "ClusterRole", "a/b"), `api/name error: metadata.name: "a/b" is not a valid ClusterRole name: it may not contain '/'`],
    [named("batch/v1", "CronJob", "c".repeat(53)), `api/name error: metadata.name: "${"c".repeat(53)}" is not a valid CronJob name: it must be no more than 52 characters (it has 53)`],
    [named("scheduling.k8s.io/v1", "PriorityClass", "system-high"), `api/name error: metadata.name: "system-high" is not a valid PriorityClass name: it may not start with "system-" (reserved for the system's own priority classes)`],
    [named("v1", "PersistentVolume", "PV1"), `api/name error: metadata.name: "PV1" is not a valid PersistentVolume name: it must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`],
    [named("cert-manager.io/v1", "Certificate", "Web"), `api/name error: metadata.name: "Web" is not a valid Certificate name: it must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`],
    [named("v1", "ConfigMap", "x".repeat(254)), `api/name error: metadata.name: "${"x".repeat(254)}" is not a valid ConfigMap name: it must be no more than 253 characters (it has 254)`],
    [named("v1", "ConfigMap", ""), `api/name error: metadata.name: "" is empty`],
    [named("v1", "ConfigMap", 42), "api/name error: metadata.name: 42 is not a string"],
    [{ apiVersion: "v1", kind: "ConfigMap" }, "api/name error: metadata.name is missing (the object has no metadata)"],
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: "x" }, 'api/name error: metadata: "x" is not an object'],
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: {} }, "api/name error: metadata.name is missing"],
    [
      { apiVersion: "batch/v1", kind: "Job", metadata: { generateName: "Migrate_" } },
      `api/name error: metadata.generateName: "Migrate_" does not make valid names: a generated name must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`,
    ],
  ])("%#", (object, message) => expect(findings(object)).toEqual([message]));

  it.each([
    named("rbac.authorization.k8s.io/v1", "ClusterRole", "system:controller:Thing"),
    named("batch/v1", "CronJob", "c".repeat(52)),
    named("scheduling.k8s.io/v1", "PriorityClass", "system-cluster-critical"),
    named("v1", "Namespace", "team-a"),
  ])("accepts %j", (object) => expect(findings(object)).toEqual([]));

  it("GIVEN a CRD whose name is not plural.group THEN reports the expected name", () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widget.example.com" },
      spec: { group: "example.com", names: { plural: "widgets", kind: "Widget" } },
    };
    expect(findings(crd)).toEqual([
      'api/name error: metadata.name: "widget.example.com" must be spec.names.plural + "." + spec.group ("widgets.example.com")',
    ]);
  });
});

describe("checkObject: namespaces (api/namespace)", () => {
  it.each([
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "Team_A" } }, `api/namespace error: metadata.namespace: "Team_A" is not a valid namespace name: it must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`],
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: 7 } }, "api/namespace error: metadata.namespace: 7 is not a string"],
    [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "a", namespace: "shop" } }, 'api/namespace warning: metadata.namespace: "shop" is set on a ClusterRole, which is cluster-scoped; the namespace is ignored'],
  ])("%#", (object, message) => expect(findings(object)).toEqual([message]));
});

describe("checkObject: labels, selectors and annotations (api/label, api/annotation)", () => {
  it("checks label keys and values of the object and of its pod template", () => {
    const object = deployment({ containers: [container()] });
    (object.metadata as Record<string, unknown>).labels = { "app.kubernetes.io/name": "web", "bad key": "x", tier: "front end" };
    ((object.spec as any).template.metadata.labels as Record<string, unknown>)["version"] = "v".repeat(64);
    expect(findings(object)).toEqual([
      `api/label error: metadata.labels: label key "bad key" has a name part "bad key" that is not letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      `api/label error: metadata.labels.tier: label value "front end" must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      "api/label error: spec.template.metadata.labels.version: label value \"" + "v".repeat(64) + '" must be no more than 63 characters (it has 64)',
    ]);
  });

  it("checks selector keys and values", () => {
    const object = deployment({ containers: [container()] });
    (object.spec as any).selector = { matchLabels: { app: "web", "x/y/z": "a" }, matchExpressions: [{ key: "Bad Key", operator: "Exists" }] };
    (object.spec as any).template.metadata.labels = { app: "web", "x/y/z": "a", "Bad Key": "1" };
    expect(findings(object)).toEqual([
      `api/label error: spec.template.metadata.labels: label key "x/y/z" must be a name with at most one '/' (an optional DNS subdomain prefix and a name)`,
      `api/label error: spec.template.metadata.labels: label key "Bad Key" has a name part "Bad Key" that is not letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      `api/label error: spec.selector.matchLabels: selector key "x/y/z" must be a name with at most one '/' (an optional DNS subdomain prefix and a name)`,
      `api/label error: spec.selector.matchExpressions[0].key: selector key "Bad Key" has a name part "Bad Key" that is not letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    ]);
  });

  it("checks a Service's selector values", () => {
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web app" }, ports: [{ port: 80 }] } };
    expect(findings(service)).toEqual([
      `api/label error: spec.selector.app: selector value "web app" must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    ]);
  });

  it("checks annotation keys and their total size", () => {
    const object = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "big", annotations: { "Example.com/x": "1", "kubectl.kubernetes.io/last-applied-configuration": "x".repeat(262144) } },
    };
    const out = checkObject(object);
    expect(out.map((f) => `${f.rule} ${f.severity}: ${f.message}`)).toEqual([
      `api/annotation error: metadata.annotations: annotation key "Example.com/x" has a prefix "Example.com" that is not a lowercase RFC 1123 subdomain (lowercase letters, digits, '-' and '.')`,
      "api/annotation error: metadata.annotations: the annotations total 262206 bytes, more than the limit of 262144 bytes (256 KiB)",
    ]);
    expect(out[1].hint).toBe("a large last-applied-configuration annotation is the usual cause: use server-side apply (Argo CD: ServerSideApply=true)");
  });

  it("accepts annotations of exactly 256 KiB", () => {
    const object = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big", annotations: { a: "x".repeat(262143) } } };
    expect(findings(object)).toEqual([]);
  });
});

describe("checkObject: pod specs (api/name, api/duplicate-name, api/volume-mount, api/port)", () => {
  it("container names are unique DNS labels", () => {
    const object = deployment({ initContainers: [container({ name: "app" })], containers: [container({ name: "Main_App" }), container({ name: "app" })] });
    expect(findings(object)).toEqual([
      `api/name error: spec.template.spec.containers[0].name: "Main_App" is not a valid container name: it must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
      'api/duplicate-name error: spec.template.spec.containers[1].name: "app" is already the name of spec.template.spec.initContainers[0]',
    ]);
  });

  it("volume names are unique DNS labels, and mounts name a volume", () => {
    const object = deployment({
      containers: [
        container({
          volumeMounts: [
            { name: "data", mountPath: "/data" },
            { name: "cache", mountPath: "/data" },
          ],
        }),
      ],
      volumes: [
        { name: "Cache", emptyDir: {} },
        { name: "cache", emptyDir: {} },
        { name: "cache", emptyDir: {} },
      ],
    });
    expect(findings(object)).toEqual([
      `api/name error: spec.template.spec.volumes[0].name: "Cache" is not a valid volume name: it must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
      'api/duplicate-name error: spec.template.spec.volumes[2].name: "cache" is already the name of spec.template.spec.volumes[1]',
      'api/volume-mount error: spec.template.spec.containers[0].volumeMounts[0].name: "data" is not a volume of this pod (volumes: Cache, cache)',
      'api/duplicate-name error: spec.template.spec.containers[0].volumeMounts[1].mountPath: "/data" is already mounted by spec.template.spec.containers[0].volumeMounts[0]',
    ]);
  });

  it("a mount of a pod without volumes says so; a StatefulSet's claim templates count as volumes", () => {
    expect(findings(deployment({ containers: [container({ volumeMounts: [{ name: "data", mountPath: "/d" }] })] }))).toEqual([
      'api/volume-mount error: spec.template.spec.containers[0].volumeMounts[0].name: "data" is not a volume of this pod (volumes: none)',
    ]);
    const sts = deployment({ containers: [container({ volumeMounts: [{ name: "data", mountPath: "/d" }] })] }, {
      serviceName: "web",
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
    });
    sts.kind = "StatefulSet";
    expect(findings(sts)).toEqual([]);
  });

  it("container ports are in range with unique valid names", () => {
    const object = deployment({
      containers: [
        container({
          ports: [
            { name: "http", containerPort: 0 },
            { name: "http", containerPort: 8080, hostPort: 70000 },
            { name: "Metrics", containerPort: 9090 },
          ],
        }),
        container({ name: "sidecar", ports: [{ name: "http", containerPort: 9000 }] }),
      ],
    });
    expect(findings(object)).toEqual([
      "api/port error: spec.template.spec.containers[0].ports[0].containerPort: 0 is not a valid port (1-65535)",
      "api/port error: spec.template.spec.containers[0].ports[1].hostPort: 70000 is not a valid port (1-65535)",
      'api/duplicate-name error: spec.template.spec.containers[0].ports[1].name: "http" is already the name of spec.template.spec.containers[0].ports[0].name',
      `api/port error: spec.template.spec.containers[0].ports[2].name: "Metrics" is not a valid port name: it must be lowercase letters, digits and '-', starting and ending with a letter or digit`,
      'api/duplicate-name warning: spec.template.spec.containers[1].ports[0].name: "http" is already the name of spec.template.spec.containers[0].ports[0].name in another container; a Service targetPort by that name is ambiguous',
    ]);
  });

  it("probe and lifecycle ports are in range and name a port of the container", () => {
    const object = deployment({
      containers: [
        container({
          ports: [{ name: "http", containerPort: 8080 }],
          livenessProbe: { httpGet: { port: 0 } },
          readinessProbe: { tcpSocket: { port: "metrics" } },
          startupProbe: { grpc: { port: 65536 } },
          lifecycle: { preStop: { httpGet: { port: "Admin_Port" } } },
        }),
        container({ name: "bare", readinessProbe: { httpGet: { port: "http" } } }),
      ],
    });
    expect(findings(object)).toEqual([
      "api/port error: spec.template.spec.containers[0].livenessProbe.httpGet.port: 0 is not a valid port (1-65535)",
      'api/port warning: spec.template.spec.containers[0].readinessProbe.tcpSocket.port: "metrics" is not a port name of this container (its ports: http); the kubelet cannot resolve it',
      "api/port error: spec.template.spec.containers[0].startupProbe.grpc.port: 65536 is not a valid port (1-65535)",
      `api/port error: spec.template.spec.containers[0].lifecycle.preStop.httpGet.port: "Admin_Port" is not a valid port name: it must be lowercase letters, digits and '-', starting and ending with a letter or digit`,
      'api/port warning: spec.template.spec.containers[1].readinessProbe.httpGet.port: "http" is not a port name of this container (it names no ports); the kubelet cannot resolve it',
    ]);
  });
});

describe("checkObject: quantities (api/quantity)", () => {
  it("reports invalid, negative and inverted resource quantities", () => {
    const object = deployment({
      containers: [
        container({
          resources: {
            limits: { memory: "1 GB", cpu: "500m" },
            requests: { memory: "500mi", cpu: "1", "ephemeral-storage": "-1" },
          },
        }),
      ],
    });
    const out = checkObject(object);
    const format = "a number with an optional suffix: Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), n, u, m, k, M, G, T, P, E (powers of 1000) or an exponent such as e3";
    expect(out.map((f) => `${f.rule} ${f.severity}: ${f.message} | ${f.hint ?? ""}`)).toEqual([
      `api/quantity error: spec.template.spec.containers[0].resources.requests.memory: "500mi" is not a valid quantity (${format}) | did you mean "500Mi"?`,
      'api/quantity error: spec.template.spec.containers[0].resources.requests.ephemeral-storage: "-1" must not be negative | ',
      `api/quantity error: spec.template.spec.containers[0].resources.limits.memory: "1 GB" is not a valid quantity (${format}) | did you mean "1G"?`,
      'api/quantity error: spec.template.spec.containers[0].resources.requests.cpu: "1" is greater than its limit spec.template.spec.containers[0].resources.limits.cpu "500m" | ',
    ]);
  });

  it("warns about memory in millibytes", () => {
    const out = checkObject(deployment({ containers: [container({ resources: { requests: { memory: "512m" } } })] }));
    expect(out).toEqual([
      {
        rule: "api/quantity",
        severity: "warning",
        message: 'spec.template.spec.containers[0].resources.requests.memory: "512m" means 512/1000 of a byte: the suffix m is milli, not mega',
        path: ["spec", "template", "spec", "containers", 0, "resources", "requests", "memory"],
        hint: 'did you mean "512Mi" or "512M"?',
      },
    ]);
  });

  it("finds quantities in emptyDir, PVCs, StatefulSet claims, PVs, LimitRanges and ResourceQuotas", () => {
    const bad = "12 Gb";
    const message = (path: string) =>
      `api/quantity error: ${path}: "${bad}" is not a valid quantity (a number with an optional suffix: Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), n, u, m, k, M, G, T, P, E (powers of 1000) or an exponent such as e3)`;
    expect(findings(deployment({ containers: [container()], volumes: [{ name: "tmp", emptyDir: { sizeLimit: bad } }] }))).toEqual([
      message("spec.template.spec.volumes[0].emptyDir.sizeLimit"),
    ]);
    expect(findings({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "d" }, spec: { resources: { requests: { storage: bad } } } })).toEqual([
      message("spec.resources.requests.storage"),
    ]);
    expect(findings({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "d" }, spec: { capacity: { storage: bad } } })).toEqual([
      message("spec.capacity.storage"),
    ]);
    expect(findings({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q" }, spec: { hard: { "requests.cpu": "10", "limits.memory": bad } } })).toEqual([
      message('spec.hard["limits.memory"]'),
    ]);
    expect(findings({ apiVersion: "v1", kind: "LimitRange", metadata: { name: "l" }, spec: { limits: [{ type: "Container", max: { cpu: "2" }, defaultRequest: { memory: bad } }] } })).toEqual([
      message("spec.limits[0].defaultRequest.memory"),
    ]);
    const sts = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db" },
      spec: { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: bad } } } }] },
    };
    expect(findings(sts)).toEqual([message("spec.volumeClaimTemplates[0].spec.resources.requests.storage")]);
  });
});

describe("checkObject: Services and Ingresses (api/port, api/duplicate-name)", () => {
  const service = (spec: Record<string, unknown>) => ({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ...spec } });

  it("checks port numbers, target ports and names", () => {
    expect(
      findings(
        service({
          ports: [
            { name: "http", port: 0, targetPort: 70000 },
            { name: "http", port: 443, targetPort: "HTTPS" },
            { name: "Admin", port: 8443, targetPort: "admin" },
            { port: 8080 },
          ],
        }),
      ),
    ).toEqual([
      "api/port error: spec.ports[0].port: 0 is not a valid port (1-65535)",
      "api/port error: spec.ports[0].targetPort: 70000 is not a valid port (1-65535)",
      `api/port error: spec.ports[1].targetPort: "HTTPS" is not a valid port name: it must be lowercase letters, digits and '-', starting and ending with a letter or digit`,
      'api/duplicate-name error: spec.ports[1].name: "http" is already the name of spec.ports[0]',
      `api/port error: spec.ports[2].name: "Admin" is not a valid Service port name: it must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
      "api/port error: spec.ports[3].name is missing; every port of a Service with more than one port needs a name",
    ]);
  });

  it("checks nodePorts against the type and the default range", () => {
    expect(findings(service({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([
      'api/port error: spec.ports[0].nodePort: 30080 may not be set when spec.type is "ClusterIP"',
    ]);
    expect(findings(service({ type: "NodePort", ports: [{ name: "a", port: 80, nodePort: 8080 }, { name: "b", port: 81, nodePort: 70000 }, { name: "c", port: 82, nodePort: 32767 }] }))).toEqual([
      "api/port warning: spec.ports[0].nodePort: 8080 is outside the default NodePort range 30000-32767; the API server rejects it unless its --service-node-port-range includes it",
      "api/port error: spec.ports[1].nodePort: 70000 is not a valid port (1-65535)",
    ]);
  });

  it("rejects the same port and protocol twice", () => {
    expect(findings(service({ ports: [{ name: "a", port: 53, protocol: "UDP" }, { name: "b", port: 53 }, { name: "c", port: 53, protocol: "UDP" }] }))).toEqual([
      "api/port error: spec.ports[2].port: 53/UDP is already the port of spec.ports[0]",
    ]);
  });

  it("checks Ingress backend ports", () => {
    const ingress = {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web" },
      spec: {
        defaultBackend: { service: { name: "web", port: { name: "Http" } } },
        rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 0 } } } }] } }],
      },
    };
    expect(findings(ingress)).toEqual([
      `api/port error: spec.defaultBackend.service.port.name: "Http" is not a valid port name: it must be lowercase letters, digits and '-', starting and ending with a letter or digit`,
      "api/port error: spec.rules[0].http.paths[0].backend.service.port.number: 0 is not a valid port (1-65535)",
    ]);
  });
});

describe("checkObject: enum values (api/enum)", () => {
  it("names the field, the value and the allowed values, with a guess", () => {
    const out = checkObject({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "LoadBalancr", ports: [{ port: 80 }] } });
    expect(out).toEqual([
      {
        rule: "api/enum",
        severity: "error",
        message: 'spec.type: "LoadBalancr" is not one of ClusterIP, ExternalName, LoadBalancer, NodePort',
        path: ["spec", "type"],
        hint: 'did you mean "LoadBalancer"?',
      },
    ]);
  });

  it("checks pod, container, strategy and list fields", () => {
    const object = deployment(
      {
        restartPolicy: "OnFailure",
        dnsPolicy: "ClusterFirstWithHostnet",
        containers: [container({ imagePullPolicy: "always", ports: [{ containerPort: 53, protocol: "ICMP" }] })],
        tolerations: [{ operator: "Exist" }],
      },
      { strategy: { type: "BlueGreen" } },
    );
    expect(findings(object)).toEqual([
      'api/enum error: spec.template.spec.restartPolicy: "OnFailure" is not one of Always',
      'api/enum error: spec.template.spec.dnsPolicy: "ClusterFirstWithHostnet" is not one of ClusterFirst, ClusterFirstWithHostNet, Default, None',
      'api/enum error: spec.template.spec.tolerations[0].operator: "Exist" is not one of Equal, Exists',
      'api/enum error: spec.template.spec.containers[0].imagePullPolicy: "always" is not one of Always, IfNotPresent, Never',
      'api/enum error: spec.template.spec.containers[0].ports[0].protocol: "ICMP" is not one of SCTP, TCP, UDP',
      'api/enum error: spec.strategy.type: "BlueGreen" is not one of Recreate, RollingUpdate',
    ]);
  });

  it("narrows a Job's restart policy", () => {
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" }, spec: { template: { spec: { restartPolicy: "Always", containers: [container()] } } } };
    const [finding] = checkObject(job);
    expect(finding.message).toBe('spec.template.spec.restartPolicy: "Always" is not one of Never, OnFailure');
    expect(finding.hint).toBe("a Job's pods run to completion");
  });

  it("checks every item of a list field", () => {
    const pvc = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "d" }, spec: { accessModes: ["ReadWriteOnce", "ReadWriteAll"], resources: { requests: { storage: "1Gi" } } } };
    expect(findings(pvc)).toEqual([
      'api/enum error: spec.accessModes[1]: "ReadWriteAll" is not one of ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod',
    ]);
  });

  it("leaves empty and non-string values alone", () => {
    expect(findings({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "", sessionAffinity: 3 } })).toEqual([]);
  });
});

describe("checkObject: workload selectors (api/selector-mismatch)", () => {
  it("reports each selector label the template lacks or differs in", () => {
    const object = deployment({ containers: [container()] });
    (object.spec as any).selector = { matchLabels: { app: "web", tier: "front" }, matchExpressions: [{ key: "track", operator: "In", values: ["stable"] }] };
    (object.spec as any).template.metadata.labels = { app: "webapp", track: "canary" };
    expect(findings(object)).toEqual([
      'api/selector-mismatch error: spec.selector.matchLabels.app: "web" does not match spec.template.metadata.labels.app "webapp"',
      'api/selector-mismatch error: spec.selector.matchLabels.tier: "front" does not match spec.template.metadata.labels, which has no label "tier"',
      "api/selector-mismatch error: spec.selector.matchExpressions[0]: {track In (stable)} does not match spec.template.metadata.labels {app: webapp, track: canary}",
    ]);
  });

  it("rejects an empty selector", () => {
    const object = deployment({ containers: [container()] });
    (object.spec as any).selector = {};
    expect(findings(object)).toEqual([
      "api/selector-mismatch error: spec.selector: {} is empty; a Deployment must select its pods by labels (e.g. the template's app label)",
    ]);
  });

  it("checks StatefulSets, DaemonSets, ReplicaSets, Jobs with a selector and Argo Rollouts alike", () => {
    for (const [apiVersion, kind] of [["apps/v1", "StatefulSet"], ["apps/v1", "DaemonSet"], ["apps/v1", "ReplicaSet"], ["batch/v1", "Job"], ["argoproj.io/v1alpha1", "Rollout"]]) {
      const object: Record<string, any> = { ...deployment({ containers: [container()] }), apiVersion, kind };
      (object.spec as any).template.metadata.labels = { app: "api" };
      if (kind === "Job") (object.spec as any).template.spec.restartPolicy = "Never";
      expect(findings(object), kind).toEqual(['api/selector-mismatch error: spec.selector.matchLabels.app: "web" does not match spec.template.metadata.labels.app "api"']);
    }
  });

  it("leaves a Job without a selector alone (the API server generates it)", () => {
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" }, spec: { template: { spec: { restartPolicy: "Never", containers: [container()] } } } };
    expect(findings(job)).toEqual([]);
  });
});

describe("checkObject: a v1 List", () => {
  it("checks each item, prefixing paths and messages with the item", () => {
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ok" } },
        { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "Nodeport", ports: [{ port: 80 }] } },
      ],
    };
    expect(checkObject(list)).toEqual([
      {
        rule: "api/enum",
        severity: "error",
        message: 'items[1]: spec.type: "Nodeport" is not one of ClusterIP, ExternalName, LoadBalancer, NodePort',
        path: ["items", 1, "spec", "type"],
        hint: 'did you mean "NodePort"?',
      },
    ]);
  });
});

describe("checkObject: what the API server rejects although the schema allows it", () => {
  const cronJob = (schedule: string) => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "report" },
    spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [container()] } } } } },
  });
  const claim = (spec: Record<string, unknown>) => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data" }, spec });

  it.each([
    [cronJob("61 * * * *"), 'api/cron-schedule error: spec.schedule: "61 * * * *" is not a valid schedule: minute 61 is out of range 0-59'],
    [cronJob("0 0 * *"), 'api/cron-schedule error: spec.schedule: "0 0 * *" is not a valid schedule: has 4 fields; a schedule has 5 (minute hour day-of-month month day-of-week)'],
    [cronJob("0 0 32 * *"), 'api/cron-schedule error: spec.schedule: "0 0 32 * *" is not a valid schedule: day of month 32 is out of range 1-31'],
    [
      deployment({ containers: [container()] }, { strategy: { type: "Recreate", rollingUpdate: { maxSurge: 1 } } }),
      'api/strategy error: spec.strategy.rollingUpdate: may not be specified when strategy type is "Recreate"',
    ],
    [claim({ accessModes: ["ReadWriteOnce"] }), "api/storage-request error: spec.resources.requests.storage: a claim must request storage (for example 1Gi)"],
    [
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "db" },
        spec: {
          serviceName: "db",
          selector: { matchLabels: { app: "db" } },
          template: { metadata: { labels: { app: "db" } }, spec: { containers: [container()] } },
          volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"] } }],
        },
      },
      "api/storage-request error: spec.volumeClaimTemplates[0].spec.resources.requests.storage: a claim must request storage (for example 1Gi)",
    ],
    [
      { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "web" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 5, maxReplicas: 2 } },
      "api/hpa-range error: spec.minReplicas: 5 must be less than or equal to spec.maxReplicas (2)",
    ],
    [{ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { token: "not base64!" } }, "api/base64 error: data.token: the value is not base64; the API server rejects it"],
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { "bad key": "x" } }, 'api/data-key error: data["bad key"]: "bad key" is not a valid key: keys may hold only letters, digits, "-", "_" and "."'],
    [{ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { "a/b": "x" } }, 'api/data-key error: stringData["a/b"]: "a/b" is not a valid key: keys may hold only letters, digits, "-", "_" and "."'],
    [
      deployment({ containers: [container({ readinessProbe: { httpGet: { path: "/", port: 80 }, exec: { command: ["true"] } } })] }),
      "api/probe error: spec.template.spec.containers[0].readinessProbe: may not specify more than one handler type, got exec and httpGet",
    ],
    [deployment({ containers: [container()] }, { replicas: -1 }), "api/replicas error: spec.replicas: -1 must be greater than or equal to 0"],
    [deployment({ containers: [{ name: "app" }] }), "api/image error: spec.template.spec.containers[0].image: a container needs an image"],
  ])("%#", (object, message) => expect(findings(object)).toEqual([message]));

  it.each([
    cronJob("*/5 * * * *"),
    cronJob("0 3 * * MON-FRI"),
    cronJob("@hourly"),
    cronJob("TZ=Europe/Paris 0 1 1 JAN *"),
    claim({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } }),
    { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { "tls.crt": "aGVsbG8=", empty: "" } },
    { apiVersion: "batch/v1", kind: "Job", metadata: { generateName: "migrate-", annotations: { "argocd.argoproj.io/hook": "PreSync" } }, spec: { template: { spec: { restartPolicy: "Never", containers: [container()] } } } },
  ])("accepts %j", (object) => expect(findings(object)).toEqual([]));
});
