/**
 * `gitops new`: a typed component.ts from a small template, and the edit that adds it to a cluster.ts.
 * Pure functions over file texts; the command reads and writes.
 */
import { GenerateError } from "../generate/errors.ts";

export type ScaffoldKind = "app" | "component";

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The name as a TypeScript identifier: `web-shop` → `webShop`. */
export function identifierOf(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Why a name cannot be a component's, or undefined. */
export function invalidName(name: string): string | undefined {
  if (!DNS_LABEL.test(name)) return `"${name}" is not a DNS-1123 label (lower-case letters, digits and "-", starting with a letter, at most 63 characters)`;
  return undefined;
}

/** The folder a new component of this kind goes to. */
export function componentDirOf(kind: ScaffoldKind, name: string): string {
  return `${kind === "app" ? "apps" : "infrastructure"}/${name}`;
}

/** A web app behind the ingress, on the webApp helper: every value is a starting point to change. */
export function appTemplate(name: string): string {
  const type = `${identifierOf(name).replace(/^./, (c) => c.toUpperCase())}Values`;
  return `import ingressNginx, { INGRESS_CLASS } from "../../infrastructure/ingress-nginx/component.ts";
import { defineComponent } from "../../tools/model/index.ts";
import { webApp } from "../../tools/platform/web-app.ts";

export interface ${type} {
  readonly image: string;
  readonly replicas: number;
  /** The public host; each cluster gets its own (see fromCluster). */
  readonly host: string;
}

const port = 8080;

export default defineComponent<${type}>({
  name: "${name}",
  description: "The ${name} web app, served behind the ingress.",
  namespace: "${name}",
  dependsOn: [ingressNginx],
  values: {
    dev: { image: "ghcr.io/acme/${name}:0.1.0", replicas: 1, host: "${name}.127.0.0.1.nip.io" },
    prod: { image: "ghcr.io/acme/${name}:0.1.0", replicas: 2, host: "${name}.example.com" },
  },
  // A public host belongs to one cluster per environment.
  fromCluster: (cluster) => (cluster.environment === "prod" ? { host: \`${name}.\${cluster.name}.example.com\` } : {}),
  resources: (v, { namespace }) =>
    webApp({
      name: "${name}",
      namespace,
      image: v.image,
      port,
      replicas: v.replicas,
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
      ingress: { host: v.host, className: INGRESS_CLASS },
      baseline: { ingressFrom: [{ namespace: "ingress-nginx", ports: [{ port }] }] },
    }),
});
`;
}

/** A platform component: its namespace with the baseline; add a chart or objects. */
export function componentTemplate(name: string): string {
  return `import { defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export default defineComponent<Record<string, never>>({
  name: "${name}",
  description: "The ${name} platform component.",
  namespace: "${name}",
  values: { dev: {}, prod: {} },
  resources: (_v, { namespace }) => [...namespaceBaseline({ namespace })],
});
`;
}

/**
 * cluster.ts with the component imported and appended to its `components` list. Throws when the file
 * has no `components: [` list this edit can find, or already imports the component.
 */
export function addToCluster(clusterSource: string, text: string, componentDir: string, name: string): string {
  const spec = `../../${componentDir}/component.ts`;
  if (text.includes(`"${spec}"`)) throw new GenerateError(`${clusterSource}: already imports ${spec}`);
  const ident = identifierOf(name);
  if (new RegExp(`\\b(import|const|let)\\s+${ident}\\b`).test(text)) throw new GenerateError(`${clusterSource}: already has a binding named ${ident}; add ${name} by hand`);
  const open = /^(\s*)components:\s*\[\s*$/m.exec(text);
  if (!open) throw new GenerateError(`${clusterSource}: no "components: [" list on a line of its own; add ${name} by hand`);
  const indent = open[1];
  const closeAt = text.indexOf(`\n${indent}],`, open.index);
  if (closeAt < 0) throw new GenerateError(`${clusterSource}: the components list has no "${indent}]," line; add ${name} by hand`);
  const withEntry = `${text.slice(0, closeAt)}\n${indent}  ${ident},${text.slice(closeAt)}`;
  const imports = [...withEntry.matchAll(/^import .*;$/gm)];
  const last = imports[imports.length - 1];
  const line = `import ${ident} from "${spec}";`;
  if (!last) return `${line}\n${withEntry}`;
  const end = last.index! + last[0].length;
  return `${withEntry.slice(0, end)}\n${line}${withEntry.slice(end)}`;
}
