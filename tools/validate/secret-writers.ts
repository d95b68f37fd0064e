import { arrayAt, containersOf, identityOf, isRecord, podTemplateOf, stringAt, type Record_ } from "./objects.ts";

/** A Secret that a workload of the render creates at run time (a chart's hook Job, a controller). */
export interface WrittenSecret {
  readonly namespace: string;
  readonly name: string;
  /** The workload that writes it, as a message names it: `Job "argocd-redis-secret-init"`. */
  readonly writer: string;
}

interface Grant {
  /** Namespace the grant holds in; "*" for a ClusterRoleBinding. */
  readonly scope: string;
  readonly create: boolean;
  /** Secret names a rule of the role lists in resourceNames (with any verb). */
  readonly names: readonly string[];
}

/**
 * Secrets that workloads of the render create: a workload whose ServiceAccount may create Secrets (by the
 * render's own Roles, ClusterRoles and bindings) writes the Secrets that its role names in `resourceNames`
 * (Argo CD's redis-secret-init hook, MetalLB's memberlist) and those its containers are told to write by a
 * `--…secret-name=<name>` argument or a `…SECRET_NAME` environment variable (kube-webhook-certgen's admission
 * Secrets). Authority and an explicit name are both required: neither alone says a Secret will exist.
 */
export function secretsWrittenByWorkloads(objects: readonly unknown[]): WrittenSecret[] {
  const roles = new Map<string, { create: boolean; names: string[] }>();
  for (const object of objects) {
    const { group, kind, name, namespace } = identityOf(object);
    if (group !== "rbac.authorization.k8s.io" || (kind !== "Role" && kind !== "ClusterRole")) continue;
    const rules = arrayAt(object, ["rules"]).filter(isRecord).filter(onSecrets);
    roles.set(roleKey(kind, kind === "Role" ? namespace : "", name), {
      create: rules.some((r) => includesAny(r.verbs, ["create", "*"])),
      names: rules.flatMap((r) => arrayAt(r, ["resourceNames"]).filter((n): n is string => typeof n === "string")),
    });
  }
  const grants = new Map<string, Grant[]>();
  for (const object of objects) {
    const { group, kind, namespace } = identityOf(object);
    if (group !== "rbac.authorization.k8s.io" || (kind !== "RoleBinding" && kind !== "ClusterRoleBinding")) continue;
    const refKind = stringAt(object, ["roleRef", "kind"]);
    const refName = stringAt(object, ["roleRef", "name"]);
    if (!refKind || !refName) continue;
    const role = roles.get(roleKey(refKind, refKind === "Role" ? namespace : "", refName));
    if (!role) continue;
    const scope = kind === "RoleBinding" ? namespace : "*";
    for (const subject of arrayAt(object, ["subjects"]).filter(isRecord)) {
      if (subject.kind !== "ServiceAccount" || typeof subject.name !== "string") continue;
      const saNamespace = typeof subject.namespace === "string" && subject.namespace !== "" ? subject.namespace : namespace;
      const key = `${saNamespace}/${subject.name}`;
      grants.set(key, [...(grants.get(key) ?? []), { scope, create: role.create, names: role.names }]);
    }
  }
  const out = new Map<string, WrittenSecret>();
  const add = (namespace: string, name: string, writer: string) => {
    if (!out.has(`${namespace}/${name}`)) out.set(`${namespace}/${name}`, { namespace, name, writer });
  };
  for (const object of objects) {
    const template = podTemplateOf(object);
    if (!template) continue;
    const { kind, name, namespace } = identityOf(object);
    const account = stringAt(template.spec, ["serviceAccountName"]) ?? stringAt(template.spec, ["serviceAccount"]) ?? "default";
    const held = grants.get(`${namespace}/${account}`) ?? [];
    const writer = `${kind} ${JSON.stringify(name)}`;
    // Per namespace where the account holds grants: whether it may create Secrets, and the names its roles list.
    const byNamespace = new Map<string, { create: boolean; names: Set<string> }>();
    for (const grant of held) {
      const at = grant.scope === "*" ? namespace : grant.scope;
      const entry = byNamespace.get(at) ?? { create: false, names: new Set<string>() };
      entry.create ||= grant.create;
      for (const n of grant.names) entry.names.add(n);
      byNamespace.set(at, entry);
    }
    for (const [at, { create, names }] of byNamespace) if (create) for (const n of names) add(at, n, writer);
    if (!byNamespace.get(namespace)?.create) continue;
    for (const { container } of containersOf(template)) {
      for (const n of namedSecrets(container)) add(namespace, n, writer);
    }
  }
  return [...out.values()].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}

function roleKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function includesAny(list: unknown, values: readonly string[]): boolean {
  return Array.isArray(list) && list.some((v) => typeof v === "string" && values.includes(v));
}

function onSecrets(rule: Record_): boolean {
  return includesAny(rule.apiGroups, ["", "*"]) && includesAny(rule.resources, ["secrets", "*"]);
}

/** Secret names a container is told to write: `--secret-name=x`, `--ml-secret-name x`, `SECRET_NAME=x`. */
function namedSecrets(container: Record_): string[] {
  const out: string[] = [];
  const literal = (value: string | undefined) => {
    if (value && value !== "" && !value.includes("$(")) out.push(value);
  };
  const args = [...arrayAt(container, ["command"]), ...arrayAt(container, ["args"])].filter((a): a is string => typeof a === "string");
  args.forEach((arg, i) => {
    const match = /^--?[\w.-]*secret-name(?:=(.*))?$/i.exec(arg);
    if (match) literal(match[1] ?? (args[i + 1]?.startsWith("-") ? undefined : args[i + 1]));
  });
  for (const variable of arrayAt(container, ["env"]).filter(isRecord)) {
    if (typeof variable.name === "string" && /SECRET_NAME$/i.test(variable.name) && typeof variable.value === "string") literal(variable.value);
  }
  return out;
}
