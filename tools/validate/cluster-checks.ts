import type { ObjectFinding, Severity } from "../findings/finding.ts";
import { formatPath } from "../findings/finding.ts";
import { selectsWorkloadPods } from "../model/controller-labels.ts";
import { isClusterScoped } from "../model/kube-object.ts";
import type { DeclaredValidateException } from "../model/policy-exception.ts";
import { operatorWorkloads } from "../model/operator-workloads.ts";
import { secretsWrittenByWorkloads } from "./secret-writers.ts";
import {
  arrayAt,
  containersOf,
  getPath,
  identityOf,
  isRecord,
  matchesLabelSelector,
  podTemplateOf,
  recordAt,
  show,
  showSelector,
  stringAt,
  type Identity,
  type Path,
  type PodTemplate,
  type Record_,
} from "./objects.ts";

/** One rendered object of a cluster; `app` is the Argo CD Application that syncs it, `wave` that app's sync wave. */
export interface ClusterObject {
  readonly object: unknown;
  readonly id: number;
  readonly app?: string;
  readonly wave?: number;
}

/** A CRD kind a component of the cluster installs (declared in its `crds`), at the component's wave. */
export interface CrdProvider {
  readonly group: string;
  readonly kind: string;
  readonly wave: number;
  readonly component: string;
  /** Served versions, when known; a custom resource of another version is reported. */
  readonly versions?: readonly string[];
}

export interface ClusterInput {
  readonly objects: readonly ClusterObject[];
  readonly crdProviders: readonly CrdProvider[];
  /** Names of Argo CD Applications whose source path renders no objects. */
  readonly emptyApps: readonly string[];
  /**
   * Reviewed decisions that a finding does not hold for some objects (component.ts `validateExceptions`),
   * already filtered to those in force: their findings are dropped.
   */
  readonly exceptions?: readonly DeclaredValidateException[];
  /**
   * Only the references that stay within one applied unit (a kustomize root, an Application): a Rollout's
   * services, VirtualServices and workloadRef, an HPA's scaleTargetRef. No CRD or cluster-wide checks.
   */
  readonly unitOnly?: boolean;
}

export interface ClusterFinding {
  /** The object the finding is about; undefined for an empty Application that is not among the objects. */
  readonly id: number | undefined;
  readonly finding: ObjectFinding;
}

/** API groups served by the API server itself, never by a CRD. */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "extensions",
  "flowcontrol.apiserver.k8s.io",
  "internal.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
  // Aggregated APIs of well-known add-ons: served by an APIService, not a CRD.
  "metrics.k8s.io",
  "custom.metrics.k8s.io",
  "external.metrics.k8s.io",
]);

/**
 * CRD groups of the platform's operators whose custom resources create no pods, Secrets or other objects that
 * a manifest could refer to, except where the checks below know it (Certificate → Secret, ExternalSecret →
 * Secret, SealedSecret → Secret). A custom resource of any other group may create anything in its namespace.
 */
const KNOWN_CRD_GROUPS: ReadonlySet<string> = new Set([
  "cert-manager.io",
  "acme.cert-manager.io",
  "external-secrets.io",
  "generators.external-secrets.io",
  "bitnami.com",
  "networking.istio.io",
  "security.istio.io",
  "telemetry.istio.io",
  "extensions.istio.io",
  "kyverno.io",
  "policies.kyverno.io",
  "wgpolicyk8s.io",
  "metallb.io",
  "argoproj.io",
  "kargo.akuity.io",
  "gateway.networking.k8s.io",
  "monitoring.coreos.com",
  "source.toolkit.fluxcd.io",
  "notification.toolkit.fluxcd.io",
  "image.toolkit.fluxcd.io",
]);

/**
 * Custom resources of known groups that run pods (an operator creates a StatefulSet for them) whose pods are
 * not modelled (operator-workloads.ts models Prometheus and Alertmanager).
 */
const POD_MAKING_KINDS: ReadonlySet<string> = new Set([
  "monitoring.coreos.com/PrometheusAgent",
  "monitoring.coreos.com/ThanosRuler",
  "argoproj.io/Workflow",
  "argoproj.io/CronWorkflow",
]);

/** Objects that exist in every namespace without being declared. */
const IMPLICIT: Record<string, ReadonlySet<string>> = {
  ServiceAccount: new Set(["default"]),
  ConfigMap: new Set(["kube-root-ca.crt"]),
};

interface Entry {
  readonly item: ClusterObject;
  readonly id: Identity;
}

class ObjectIndex {
  private readonly byKey = new Map<string, Entry[]>();
  private readonly byNamespace = new Map<string, Entry[]>();
  readonly entries: Entry[] = [];

  add(item: ClusterObject): void {
    const id = identityOf(item.object);
    if (!id.kind) return;
    const entry = { item, id };
    this.entries.push(entry);
    const key = this.key(id.group, id.kind, isClusterScoped(id.kind) ? "" : id.namespace, id.name);
    const list = this.byKey.get(key) ?? [];
    list.push(entry);
    this.byKey.set(key, list);
    const inNamespace = this.byNamespace.get(id.namespace) ?? [];
    inNamespace.push(entry);
    this.byNamespace.set(id.namespace, inNamespace);
  }

  key(group: string, kind: string, namespace: string, name: string): string {
    return `${group}/${kind}/${namespace}/${name}`;
  }

  find(group: string, kind: string, namespace: string, name: string): Entry | undefined {
    return this.byKey.get(this.key(group, kind, isClusterScoped(kind) ? "" : namespace, name))?.[0];
  }

  inNamespace(namespace: string): readonly Entry[] {
    return this.byNamespace.get(namespace) ?? [];
  }
}

/**
 * Checks of a cluster's rendered objects as a whole: every custom resource has a CRD installed by the cluster
 * (in an earlier wave, when another app installs it), every reference resolves, every Application renders
 * something. Pure: the findings name the objects by the ids given.
 */
export function checkCluster(input: ClusterInput): ClusterFinding[] {
  return checkClusterWithExceptions(input).findings;
}

/** An object a validate exception names, for which the cluster's checks found nothing to waive. */
export interface IdleException {
  readonly exception: DeclaredValidateException;
  readonly target: DeclaredValidateException["objects"][number];
}

/** The warning about an exception's object that waived nothing (the caller places it at the exception). */
export function idleExceptionFinding({ exception, target }: IdleException): ObjectFinding {
  const ns = target.namespace ?? exception.namespace;
  return {
    rule: "cluster/idle-exception",
    severity: "warning",
    message: `validate exception of component "${exception.component}" for "${exception.rule}" names ${target.kind ?? "an object"} ${ns}/${target.name}, for which this cluster's checks find nothing to waive: remove it if it is stale`,
    hint: "an exception should waive a finding the checks report; one that waives nothing would hide a real one later",
  };
}

/** checkCluster, and the objects of the exceptions that waived nothing (stale, or meant for another cluster). */
export function checkClusterWithExceptions(input: ClusterInput): { findings: ClusterFinding[]; idle: IdleException[] } {
  const findings = checkAll(input);
  const exceptions = input.exceptions ?? [];
  if (exceptions.length === 0) return { findings, idle: [] };
  const byId = new Map(input.objects.map((o) => [o.id, o.object]));
  const used = new Set<DeclaredValidateException["objects"][number]>();
  const kept = findings.filter(({ id, finding }) => {
    if (id === undefined) return true;
    const { kind, name, namespace } = identityOf(byId.get(id));
    let waived = false;
    for (const e of exceptions) {
      if (e.rule !== finding.rule) continue;
      for (const o of e.objects) {
        if (o.name === name && (o.kind ?? kind) === kind && (o.namespace ?? e.namespace) === namespace) {
          used.add(o);
          waived = true;
        }
      }
    }
    return !waived;
  });
  const idle = exceptions.flatMap((exception) => exception.objects.filter((target) => !used.has(target)).map((target) => ({ exception, target })));
  return { findings: kept, idle };
}

function checkAll(input: ClusterInput): ClusterFinding[] {
  const findings: ClusterFinding[] = [];
  const index = new ObjectIndex();
  for (const item of input.objects) if (isRecord(item.object)) index.add(item);
  const context = new Context(index, findings);
  if (input.unitOnly) {
    for (const entry of index.entries) {
      const key = `${entry.id.group}/${entry.id.kind}`;
      if (key === "argoproj.io/Rollout") context.checkRollout(entry, true);
      else if (key === "autoscaling/HorizontalPodAutoscaler") context.checkScaleTarget(entry);
    }
    return findings;
  }
  checkCrds(index, input.crdProviders, findings);
  for (const entry of index.entries) {
    const { object } = entry.item;
    const { group, kind } = entry.id;
    const template = podTemplateOf(object);
    if (template) context.checkPodReferences(entry, template);
    switch (`${group}/${kind}`) {
      case "/Service":
        context.checkServiceSelector(entry);
        break;
      case "networking.k8s.io/Ingress":
        context.checkIngress(entry);
        break;
      case "cert-manager.io/Certificate":
        context.checkIssuerRef(entry, ["spec", "issuerRef"]);
        break;
      case "external-secrets.io/ExternalSecret":
        context.checkExternalSecret(entry, []);
        break;
      case "external-secrets.io/ClusterExternalSecret":
        context.checkExternalSecret(entry, ["spec", "externalSecretSpec"]);
        break;
      case "argoproj.io/Rollout":
        context.checkRollout(entry);
        break;
      case "autoscaling/HorizontalPodAutoscaler":
        context.checkScaleTarget(entry);
        break;
      case "policy/PodDisruptionBudget":
        context.checkDisruptionBudget(entry);
        break;
    }
  }
  checkEmptyApplications(index, input.emptyApps, findings);
  return findings;
}

// --- CRDs ----------------------------------------------------------------------------------------------

interface Provision {
  /** Undefined for a CRD among the objects whose wave is not known: its order cannot be checked. */
  readonly wave: number | undefined;
  readonly component: string | undefined;
  readonly versions: readonly string[] | undefined;
}

function checkCrds(index: ObjectIndex, providers: readonly CrdProvider[], findings: ClusterFinding[]): void {
  const provided = new Map<string, Provision[]>();
  const provide = (group: string, kind: string, provision: Provision) => {
    const key = `${group}/${kind}`;
    provided.set(key, [...(provided.get(key) ?? []), provision]);
  };
  for (const p of providers) provide(p.group, p.kind, { wave: p.wave, component: p.component, versions: p.versions });
  for (const { item, id } of index.entries) {
    if (id.group !== "apiextensions.k8s.io" || id.kind !== "CustomResourceDefinition") continue;
    const group = stringAt(item.object, ["spec", "group"]);
    const kind = stringAt(item.object, ["spec", "names", "kind"]);
    if (!group || !kind) continue;
    const versions = arrayAt(item.object, ["spec", "versions"])
      .filter((v) => isRecord(v) && v.served !== false && typeof v.name === "string")
      .map((v) => (v as Record_).name as string);
    provide(group, kind, { wave: item.wave, component: item.app, versions: versions.length ? versions : undefined });
  }

  for (const { item, id } of index.entries) {
    if (BUILT_IN_GROUPS.has(id.group)) continue;
    const type = `apiVersion ${show(id.apiVersion)}, kind ${show(id.kind)}`;
    const provisions = provided.get(`${id.group}/${id.kind}`);
    if (!provisions) {
      findings.push({
        id: item.id,
        finding: {
          rule: "cluster/missing-crd",
          severity: "error",
          message: `${type}: no component of this cluster installs the CustomResourceDefinition of ${id.kind} (${id.group})`,
          path: ["kind"],
          hint: "add the component that installs this CRD to the cluster (and declare the kind in its crds), or remove the object",
        },
      });
      continue;
    }
    const version = id.apiVersion.slice(id.apiVersion.indexOf("/") + 1);
    const known = provisions.filter((p) => p.versions);
    if (known.length === provisions.length && !known.some((p) => p.versions!.includes(version))) {
      const served = [...new Set(known.flatMap((p) => p.versions!))].join(", ");
      findings.push({
        id: item.id,
        finding: {
          rule: "cluster/missing-crd",
          severity: "error",
          message: `${type}: the installed ${id.kind} CRD does not serve version ${show(version)} (it serves ${served})`,
          path: ["apiVersion"],
        },
      });
      continue;
    }
    if (item.wave === undefined) continue;
    const inTime = provisions.some(
      (p) => p.wave === undefined || (item.app !== undefined && p.component === item.app) || p.wave < item.wave!,
    );
    if (!inTime) {
      const earliest = [...provisions].sort((a, b) => a.wave! - b.wave!)[0];
      const by = earliest.component ? `by ${show(earliest.component)} ` : "";
      const app = item.app ? `app ${show(item.app)}, ` : "";
      findings.push({
        id: item.id,
        finding: {
          rule: "cluster/crd-order",
          severity: "error",
          message: `${type}: synced in wave ${item.wave} (${app}wave of the custom resource) but its CRD is installed ${by}in wave ${earliest.wave}; the CRD must come in an earlier wave`,
          path: ["kind"],
          hint: "make the component that uses the kind depend on the one that installs its CRD",
        },
      });
    }
  }
}

// --- references ----------------------------------------------------------------------------------------

class Context {
  private readonly secrets = new Set<string>();
  private readonly secretsAnywhere = new Set<string>();
  private readonly producedSecrets = new Set<string>();

  /** Per namespace, the workloads operators make from custom resources of the render (operator-workloads.ts). */
  private readonly operatorMade = new Map<string, Entry[]>();

  constructor(
    private readonly index: ObjectIndex,
    private readonly findings: ClusterFinding[],
  ) {
    // Secrets that workloads of the render create at run time (chart hooks, controllers) have keys we cannot know.
    for (const written of secretsWrittenByWorkloads(index.entries.map((e) => e.item.object))) {
      this.secrets.add(`${written.namespace}/${written.name}`);
      this.producedSecrets.add(`${written.namespace}/${written.name}`);
    }
    for (const { item } of index.entries) {
      for (const object of operatorWorkloads(item.object)) {
        const entry = { item: { ...item, object }, id: identityOf(object) };
        this.operatorMade.set(entry.id.namespace, [...(this.operatorMade.get(entry.id.namespace) ?? []), entry]);
      }
    }
    for (const { item, id } of index.entries) {
      const object = item.object;
      const ns = id.namespace;
      const produce = (name: string | undefined) => {
        if (!name) return;
        this.secrets.add(`${ns}/${name}`);
        this.producedSecrets.add(`${ns}/${name}`);
      };
      if (id.group === "" && id.kind === "Secret") {
        this.secrets.add(`${ns}/${id.name}`);
        // The token controller fills a service-account token Secret's keys (token, ca.crt, namespace).
        if (stringAt(object, ["type"]) === "kubernetes.io/service-account-token") produce(id.name);
      }
      else if (id.group === "external-secrets.io" && id.kind === "ExternalSecret") produce(stringAt(object, ["spec", "target", "name"]) ?? id.name);
      else if (id.group === "external-secrets.io" && id.kind === "ClusterExternalSecret") {
        const name = stringAt(object, ["spec", "externalSecretSpec", "target", "name"]) ?? stringAt(object, ["spec", "externalSecretName"]) ?? id.name;
        this.secretsAnywhere.add(name);
      } else if (id.group === "bitnami.com" && id.kind === "SealedSecret") produce(stringAt(object, ["spec", "template", "metadata", "name"]) ?? id.name);
      else if (id.group === "cert-manager.io" && id.kind === "Certificate") produce(stringAt(object, ["spec", "secretName"]));
    }
  }

  private report(entry: Entry, path: Path, severity: Severity, message: string, hint?: string): void {
    this.findings.push({
      id: entry.item.id,
      finding: { rule: "cluster/dangling-reference", severity, message, path, ...(hint ? { hint } : {}) },
    });
  }

  /**
   * Why something missing from `namespace` may still exist at run time: a custom resource there makes objects
   * (of any kind, or pods) that are not among the rendered ones and not modelled.
   */
  private mayProvide(namespace: string, pods: boolean): string | undefined {
    if (namespace === "") return undefined;
    const producer = this.index.inNamespace(namespace).find(
      ({ id }) => !BUILT_IN_GROUPS.has(id.group) && (!KNOWN_CRD_GROUPS.has(id.group) || (pods && POD_MAKING_KINDS.has(`${id.group}/${id.kind}`))),
    );
    return producer ? `${producer.id.kind} ${show(producer.id.name)} (${producer.id.group}) in namespace ${show(namespace)} may create what is missing` : undefined;
  }

  /** A reference into `namespace` that resolves to nothing: an error, or a warning where something may provide it. */
  private missing(entry: Entry, path: Path, namespace: string, message: string, pods = false): void {
    const excuse = this.mayProvide(namespace, pods);
    if (excuse) this.report(entry, path, "warning", `${message}; ${excuse}`);
    else this.report(entry, path, "error", message);
  }

  private exists(group: string, kind: string, namespace: string, name: string): boolean {
    if (IMPLICIT[kind]?.has(name) && group === "") return true;
    if (group === "" && kind === "Secret") return this.secrets.has(`${namespace}/${name}`) || this.secretsAnywhere.has(name);
    return this.index.find(group, kind, namespace, name) !== undefined;
  }

  private where(kind: string, namespace: string, name: string): string {
    return isClusterScoped(kind) || namespace === "" ? `${kind} ${show(name)}` : `${kind} ${show(name)} in namespace ${show(namespace)}`;
  }

  private requireObject(entry: Entry, path: Path, group: string, kind: string, name: unknown, namespace = entry.id.namespace): Entry | undefined {
    if (typeof name !== "string" || name === "") return undefined;
    if (this.exists(group, kind, namespace, name)) return this.index.find(group, kind, namespace, name);
    this.missing(entry, path, isClusterScoped(kind) ? "" : namespace, `${formatPath(path)}: ${this.where(kind, namespace, name)} does not exist`);
    return undefined;
  }

  // Pod specs: ConfigMaps, Secrets, ServiceAccount, PersistentVolumeClaims.
  checkPodReferences(entry: Entry, template: PodTemplate): void {
    const object = entry.item.object;
    const spec = template.specPath;
    const ns = entry.id.namespace;
    for (const field of ["serviceAccountName", "serviceAccount"]) {
      const name = getPath(object, [...spec, field]);
      if (field === "serviceAccount" && getPath(object, [...spec, "serviceAccountName"]) !== undefined) continue;
      this.requireObject(entry, [...spec, field], "", "ServiceAccount", name);
    }
    arrayAt(object, [...spec, "imagePullSecrets"]).forEach((ref, i) => {
      const name = isRecord(ref) ? ref.name : undefined;
      if (typeof name !== "string" || this.exists("", "Secret", ns, name)) return;
      const path = [...spec, "imagePullSecrets", i, "name"];
      this.report(entry, path, "warning", `${formatPath(path)}: ${this.where("Secret", ns, name)} does not exist; pulling a private image will fail`);
    });
    arrayAt(object, [...spec, "volumes"]).forEach((volume, i) => {
      if (!isRecord(volume)) return;
      const base = [...spec, "volumes", i];
      if (isRecord(volume.configMap) && volume.configMap.optional !== true) {
        this.requireObject(entry, [...base, "configMap", "name"], "", "ConfigMap", volume.configMap.name);
      }
      if (isRecord(volume.secret) && volume.secret.optional !== true) {
        this.requireObject(entry, [...base, "secret", "secretName"], "", "Secret", volume.secret.secretName);
      }
      arrayAt(volume, ["projected", "sources"]).forEach((source, j) => {
        for (const [field, kind] of [["configMap", "ConfigMap"], ["secret", "Secret"]] as const) {
          const ref = recordAt(source, [field]);
          if (ref && ref.optional !== true) this.requireObject(entry, [...base, "projected", "sources", j, field, "name"], "", kind, ref.name);
        }
      });
      if (isRecord(volume.persistentVolumeClaim)) this.checkClaim(entry, [...base, "persistentVolumeClaim", "claimName"], volume.persistentVolumeClaim.claimName);
    });
    for (const { container, path } of containersOf(template)) {
      arrayAt(container, ["envFrom"]).forEach((source, k) => {
        for (const [field, kind] of [["configMapRef", "ConfigMap"], ["secretRef", "Secret"]] as const) {
          const ref = recordAt(source, [field]);
          if (ref && ref.optional !== true) this.requireObject(entry, [...path, "envFrom", k, field, "name"], "", kind, ref.name);
        }
      });
      arrayAt(container, ["env"]).forEach((variable, k) => {
        for (const [field, kind] of [["configMapKeyRef", "ConfigMap"], ["secretKeyRef", "Secret"]] as const) {
          const ref = recordAt(variable, ["valueFrom", field]);
          if (!ref || ref.optional === true) continue;
          const refPath = [...path, "env", k, "valueFrom", field];
          const target = this.requireObject(entry, [...refPath, "name"], "", kind, ref.name);
          if (target && typeof ref.key === "string") this.checkKey(entry, [...refPath, "key"], target, ref.key);
        }
      });
    }
  }

  /** A key of a ConfigMap or Secret declared here (a Secret produced by a controller has keys we cannot know). */
  private checkKey(entry: Entry, path: Path, target: Entry, key: string): void {
    const { kind, namespace, name } = target.id;
    if (kind === "Secret" && this.producedSecrets.has(`${namespace}/${name}`)) return;
    const fields = kind === "ConfigMap" ? ["data", "binaryData"] : ["data", "stringData"];
    const keys = fields.flatMap((f) => Object.keys(recordAt(target.item.object, [f]) ?? {}));
    if (keys.includes(key)) return;
    this.report(
      entry,
      path,
      "error",
      `${formatPath(path)}: ${show(key)} is not a key of ${this.where(kind, namespace, name)} (${keys.length ? `keys: ${keys.join(", ")}` : "it has no keys"})`,
    );
  }

  private checkClaim(entry: Entry, path: Path, claimName: unknown): void {
    if (typeof claimName !== "string" || claimName === "") return;
    const ns = entry.id.namespace;
    if (this.exists("", "PersistentVolumeClaim", ns, claimName)) return;
    // A StatefulSet's claims are named <template>-<statefulset>-<ordinal>.
    for (const other of this.index.inNamespace(ns)) {
      if (other.id.group !== "apps" || other.id.kind !== "StatefulSet") continue;
      for (const claim of arrayAt(other.item.object, ["spec", "volumeClaimTemplates"])) {
        const template = stringAt(claim, ["metadata", "name"]);
        if (template && new RegExp(`^${escape(`${template}-${other.id.name}`)}-\\d+$`).test(claimName)) return;
      }
    }
    this.missing(entry, path, ns, `${formatPath(path)}: ${this.where("PersistentVolumeClaim", ns, claimName)} does not exist`);
  }

  private readonly templates = new Map<string, { entry: Entry; template: PodTemplate }[]>();

  private podTemplatesIn(namespace: string): { entry: Entry; template: PodTemplate }[] {
    let out = this.templates.get(namespace);
    if (!out) {
      out = [];
      for (const entry of [...this.index.inNamespace(namespace), ...(this.operatorMade.get(namespace) ?? [])]) {
        const template = podTemplateOf(entry.item.object);
        if (template) out.push({ entry, template });
      }
      this.templates.set(namespace, out);
    }
    return out;
  }

  checkServiceSelector(entry: Entry): void {
    const object = entry.item.object;
    const selector = recordAt(object, ["spec", "selector"]);
    if (!selector || Object.keys(selector).length === 0 || stringAt(object, ["spec", "type"]) === "ExternalName") return;
    const ns = entry.id.namespace;
    const matched = this.podTemplatesIn(ns).filter(({ entry: workload, template }) => selectsWorkloadPods(selector, workload.item.object, template.labels ?? {}));
    if (matched.length === 0) {
      this.missing(entry, ["spec", "selector"], ns, `spec.selector: ${showSelector(selector)} matches no pod template in namespace ${show(ns)}`, true);
      return;
    }
    arrayAt(object, ["spec", "ports"]).forEach((port, i) => {
      const target = isRecord(port) ? port.targetPort : undefined;
      if (typeof target !== "string" || /^\d+$/.test(target)) return;
      const declared = matched.some(({ template }) =>
        containersOf(template).some(({ container }) => arrayAt(container, ["ports"]).some((p) => isRecord(p) && p.name === target)),
      );
      if (!declared) {
        const path = ["spec", "ports", i, "targetPort"];
        const pods = matched.map(({ entry: e }) => `${e.id.kind} ${e.id.name}`).join(", ");
        this.report(entry, path, "error", `${formatPath(path)}: ${show(target)} is not a port name of the pods it selects (${pods})`);
      }
    });
  }

  checkIngress(entry: Entry): void {
    const object = entry.item.object;
    const backends: Path[] = [];
    if (recordAt(object, ["spec", "defaultBackend", "service"])) backends.push(["spec", "defaultBackend"]);
    arrayAt(object, ["spec", "rules"]).forEach((_, i) =>
      arrayAt(object, ["spec", "rules", i, "http", "paths"]).forEach((__, j) => backends.push(["spec", "rules", i, "http", "paths", j, "backend"])),
    );
    for (const backend of backends) {
      const service = recordAt(object, [...backend, "service"]);
      if (!service) continue;
      const target = this.requireObject(entry, [...backend, "service", "name"], "", "Service", service.name);
      if (!target) continue;
      const ports = arrayAt(target.item.object, ["spec", "ports"]).filter(isRecord);
      const number = getPath(service, ["port", "number"]);
      const name = getPath(service, ["port", "name"]);
      const where = `Service ${target.id.namespace ? `${target.id.namespace}/` : ""}${target.id.name}`;
      if (typeof number === "number" && !ports.some((p) => p.port === number)) {
        const path = [...backend, "service", "port", "number"];
        this.report(entry, path, "error", `${formatPath(path)}: ${number} is not a port of ${where} (ports: ${ports.map((p) => String(p.port)).join(", ") || "none"})`);
      }
      if (typeof name === "string" && !ports.some((p) => p.name === name)) {
        const path = [...backend, "service", "port", "name"];
        const names = ports.map((p) => p.name).filter((n) => typeof n === "string");
        this.report(entry, path, "error", `${formatPath(path)}: ${show(name)} is not a port name of ${where} (port names: ${names.join(", ") || "none"})`);
      }
    }
    // cert-manager's ingress-shim issues certificates for annotated Ingresses.
    const annotations = recordAt(object, ["metadata", "annotations"]) ?? {};
    for (const [annotation, kind] of [["cert-manager.io/cluster-issuer", "ClusterIssuer"], ["cert-manager.io/issuer", "Issuer"]] as const) {
      const name = annotations[annotation];
      if (typeof name === "string") this.requireObject(entry, ["metadata", "annotations", annotation], "cert-manager.io", kind, name);
    }
  }

  checkIssuerRef(entry: Entry, refPath: Path): void {
    const ref = recordAt(entry.item.object, refPath);
    if (!ref) return;
    const group = typeof ref.group === "string" && ref.group !== "" ? ref.group : "cert-manager.io";
    if (group !== "cert-manager.io") return; // an external issuer, whose kinds we do not know
    const kind = typeof ref.kind === "string" && ref.kind !== "" ? ref.kind : "Issuer";
    if (kind !== "Issuer" && kind !== "ClusterIssuer") return;
    this.requireObject(entry, [...refPath, "name"], "cert-manager.io", kind, ref.name);
  }

  /** `specBase`: where the ExternalSecret spec is, [] for an ExternalSecret itself. */
  checkExternalSecret(entry: Entry, specBase: Path): void {
    const object = entry.item.object;
    const clusterWide = entry.id.kind === "ClusterExternalSecret";
    const spec: Path = specBase.length ? specBase : ["spec"];
    const refs: Path[] = [[...spec, "secretStoreRef"]];
    arrayAt(object, [...spec, "data"]).forEach((_, i) => refs.push([...spec, "data", i, "sourceRef", "storeRef"]));
    arrayAt(object, [...spec, "dataFrom"]).forEach((_, i) => refs.push([...spec, "dataFrom", i, "sourceRef", "storeRef"]));
    for (const refPath of refs) {
      const ref = recordAt(object, refPath);
      if (!ref) continue;
      const kind = typeof ref.kind === "string" && ref.kind !== "" ? ref.kind : "SecretStore";
      if (kind !== "SecretStore" && kind !== "ClusterSecretStore") continue;
      if (clusterWide && kind === "SecretStore") continue; // resolved in each target namespace
      this.requireObject(entry, [...refPath, "name"], "external-secrets.io", kind, ref.name);
    }
  }

  checkRollout(entry: Entry, unitOnly = false): void {
    const object = entry.item.object;
    const ns = entry.id.namespace;
    const services: Path[] = [
      ["spec", "strategy", "canary", "canaryService"],
      ["spec", "strategy", "canary", "stableService"],
      ["spec", "strategy", "blueGreen", "activeService"],
      ["spec", "strategy", "blueGreen", "previewService"],
    ];
    for (const path of services) this.requireObject(entry, path, "", "Service", getPath(object, path));
    const istio = ["spec", "strategy", "canary", "trafficRouting", "istio"];
    const virtualServices: Path[] = [];
    if (recordAt(object, [...istio, "virtualService"])) virtualServices.push([...istio, "virtualService", "name"]);
    arrayAt(object, [...istio, "virtualServices"]).forEach((_, i) => virtualServices.push([...istio, "virtualServices", i, "name"]));
    for (const path of virtualServices) {
      const value = getPath(object, path);
      if (typeof value !== "string" || value === "") continue;
      // Argo Rollouts accepts `name.namespace` for a VirtualService in another namespace.
      const dot = value.indexOf(".");
      const [name, namespace] = dot > 0 && !this.exists("networking.istio.io", "VirtualService", ns, value) ? [value.slice(0, dot), value.slice(dot + 1)] : [value, ns];
      this.requireObject(entry, path, "networking.istio.io", "VirtualService", name, namespace);
    }
    const destinationRule = [...istio, "destinationRule", "name"];
    this.requireObject(entry, destinationRule, "networking.istio.io", "DestinationRule", getPath(object, destinationRule));
    const stableIngress = ["spec", "strategy", "canary", "trafficRouting", "nginx", "stableIngress"];
    this.requireObject(entry, stableIngress, "networking.k8s.io", "Ingress", getPath(object, stableIngress));
    const workloadRef = recordAt(object, ["spec", "workloadRef"]);
    if (workloadRef && typeof workloadRef.kind === "string") {
      const group = typeof workloadRef.apiVersion === "string" && workloadRef.apiVersion.includes("/") ? workloadRef.apiVersion.split("/")[0] : "apps";
      this.requireObject(entry, ["spec", "workloadRef", "name"], group, workloadRef.kind, workloadRef.name);
    }
    if (unitOnly) return;
    // Analysis templates of steps, background analysis and blue-green promotion analysis.
    const templateLists: Path[] = [
      ["spec", "strategy", "canary", "analysis", "templates"],
      ["spec", "strategy", "blueGreen", "prePromotionAnalysis", "templates"],
      ["spec", "strategy", "blueGreen", "postPromotionAnalysis", "templates"],
    ];
    arrayAt(object, ["spec", "strategy", "canary", "steps"]).forEach((_, i) =>
      templateLists.push(["spec", "strategy", "canary", "steps", i, "analysis", "templates"]),
    );
    for (const list of templateLists) {
      arrayAt(object, list).forEach((template, j) => {
        if (!isRecord(template)) return;
        const kind = template.clusterScope === true ? "ClusterAnalysisTemplate" : "AnalysisTemplate";
        this.requireObject(entry, [...list, j, "templateName"], "argoproj.io", kind, template.templateName);
      });
    }
  }

  checkScaleTarget(entry: Entry): void {
    const ref = recordAt(entry.item.object, ["spec", "scaleTargetRef"]);
    if (!ref || typeof ref.kind !== "string") return;
    const apiVersion = typeof ref.apiVersion === "string" ? ref.apiVersion : "";
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
    this.requireObject(entry, ["spec", "scaleTargetRef", "name"], group, ref.kind, ref.name);
  }

  checkDisruptionBudget(entry: Entry): void {
    const selector = recordAt(entry.item.object, ["spec", "selector"]);
    if (!selector) return;
    const matchLabels = recordAt(selector, ["matchLabels"]) ?? {};
    if (Object.keys(matchLabels).length === 0 && arrayAt(selector, ["matchExpressions"]).length === 0) return;
    const ns = entry.id.namespace;
    if (this.podTemplatesIn(ns).some(({ template }) => matchesLabelSelector(selector, template.labels))) return;
    const message = `spec.selector: ${showSelector(selector)} matches no pod template in namespace ${show(ns)}; the budget protects nothing`;
    const excuse = this.mayProvide(ns, true);
    this.report(entry, ["spec", "selector"], "warning", excuse ? `${message}; ${excuse}` : message);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// --- Applications --------------------------------------------------------------------------------------

function checkEmptyApplications(index: ObjectIndex, emptyApps: readonly string[], findings: ClusterFinding[]): void {
  for (const app of emptyApps) {
    const entry = index.entries.find((e) => e.id.group === "argoproj.io" && e.id.kind === "Application" && e.id.name === app);
    if (!entry) {
      findings.push({ id: undefined, finding: { rule: "cluster/empty-application", severity: "error", message: `Application ${show(app)} renders no objects` } });
      continue;
    }
    const object = entry.item.object;
    let path: Path | undefined;
    if (stringAt(object, ["spec", "source", "path"]) !== undefined) path = ["spec", "source", "path"];
    else {
      const i = arrayAt(object, ["spec", "sources"]).findIndex((s) => typeof stringAt(s, ["path"]) === "string");
      if (i >= 0) path = ["spec", "sources", i, "path"];
    }
    const message = path
      ? `${formatPath(path)}: ${show(getPath(object, path))} renders no objects, so Application ${show(app)} would sync nothing`
      : `Application ${show(app)} renders no objects`;
    findings.push({ id: entry.item.id, finding: { rule: "cluster/empty-application", severity: "error", message, ...(path ? { path } : {}) } });
  }
}
