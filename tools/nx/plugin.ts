/**
 * Nx plugin: one project per component (infrastructure/<name>, apps/<name>) and per cluster
 * (clusters/<name>), with cached `generate`, `render`, `validate` and `lint` targets, plus the `tools`
 * and `schemas` projects every other project depends on. Dependencies come from the typed imports in
 * component.ts and cluster.ts files.
 *
 * Loaded by Nx directly (Node strips the types), so it imports only files without TypeScript-only runtime syntax.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type {
  CreateDependencies,
  CreateNodesResult,
  CreateNodesV2,
  RawProjectGraphDependency,
  TargetConfiguration,
} from "nx/src/devkit-exports.js";
import { DependencyType } from "nx/src/config/project-graph.js";
import { importedComponentDirs, referencedDataFiles } from "../workspace/imports.ts";

export interface GitopsPluginOptions {
  /** Command that runs the gitops CLI. @default "node tools/bin/gitops.mjs" */
  readonly cli?: string;
}

const TOOLING = [
  "{workspaceRoot}/tools/**/*.ts",
  // The TypeScript loader the CLI registers (tools/workspace/register-typescript.mjs).
  "{workspaceRoot}/tools/**/*.mjs",
  "!{workspaceRoot}/tools/**/*.test.ts",
  // The benchmark changes no target's output.
  "!{workspaceRoot}/tools/bench/**/*",
  "{workspaceRoot}/tools/bin/*",
  "{workspaceRoot}/package-lock.json",
  "{workspaceRoot}/tsconfig.base.json",
];
const SCHEMAS = ["{workspaceRoot}/schemas/**/*"];

function normalizeOptions(options: GitopsPluginOptions | undefined): Required<GitopsPluginOptions> {
  return { cli: options?.cli ?? "node tools/bin/gitops.mjs" };
}

function target(command: string, config: Omit<TargetConfiguration, "command" | "executor">): TargetConfiguration {
  return { command, cache: true, ...config, options: { cwd: "{workspaceRoot}" } };
}

export function componentTargets(name: string, cli: string): Record<string, TargetConfiguration> {
  const generated = ["generated"];
  const rendered = `{workspaceRoot}/dist/render/components/${name}`;
  return {
    generate: target(`${cli} generate --component ${name}`, {
      inputs: ["component-source", "^component-source", ...TOOLING],
      outputs: ["{projectRoot}/base", "{projectRoot}/overlays"],
      metadata: { description: `Write ${name}'s base/ and overlays/ from component.ts` },
    }),
    render: target(`${cli} render --component ${name}`, {
      dependsOn: ["generate"],
      inputs: [...generated, ...TOOLING],
      outputs: [rendered],
      metadata: { description: `Build every overlay of ${name} as Kustomize would` },
    }),
    validate: target(`${cli} validate --component ${name}`, {
      dependsOn: ["render"],
      // component.ts too: findings name the line of component.ts that made each object.
      inputs: [...generated, "component-source", ...TOOLING, ...SCHEMAS],
      outputs: [`{workspaceRoot}/dist/findings/validate/components/${name}.json`],
      metadata: { description: `Validate ${name}'s rendered overlays against strict schemas and API rules` },
    }),
    lint: target(`${cli} lint --component ${name}`, {
      dependsOn: ["render"],
      inputs: [...generated, "component-source", ...TOOLING],
      outputs: [`{workspaceRoot}/dist/findings/lint/components/${name}.json`],
      metadata: { description: `Check ${name}'s rendered overlays against the policy rules` },
    }),
  };
}

export function clusterTargets(name: string, cli: string): Record<string, TargetConfiguration> {
  const generated = ["{projectRoot}/**/*.yaml", "^generated"];
  const sources = ["component-source", "^component-source"];
  return {
    generate: target(`${cli} generate --cluster ${name}`, {
      inputs: [...sources, ...TOOLING],
      // bootstrap/<name>/ also holds hand-written files (OpenTofu): only the generated ones are outputs.
      outputs: [
        "{projectRoot}/apps",
        "{projectRoot}/components",
        "{projectRoot}/charts",
        "{projectRoot}/root.yaml",
        `{workspaceRoot}/bootstrap/${name}/facts.env`,
        `{workspaceRoot}/bootstrap/${name}/*.yaml`,
        `{workspaceRoot}/bootstrap/${name}/cluster.auto.tfvars`,
      ],
      metadata: { description: `Write cluster ${name}'s Argo CD root app, AppProjects and Applications` },
    }),
    render: target(`${cli} render --cluster ${name}`, {
      dependsOn: ["generate"],
      inputs: [...generated, ...TOOLING],
      outputs: [`{workspaceRoot}/dist/render/${name}`],
      metadata: { description: `Render every object Argo CD applies to cluster ${name}` },
    }),
    validate: target(`${cli} validate --cluster ${name}`, {
      dependsOn: ["render"],
      inputs: [...generated, ...sources, ...TOOLING, ...SCHEMAS],
      outputs: [`{workspaceRoot}/dist/findings/validate/${name}.json`],
      metadata: { description: `Validate cluster ${name}: schemas, API rules, CRD order and references` },
    }),
    lint: target(`${cli} lint --cluster ${name}`, {
      dependsOn: ["render"],
      inputs: [...generated, ...sources, ...TOOLING],
      outputs: [`{workspaceRoot}/dist/findings/lint/${name}.json`],
      metadata: { description: `Check cluster ${name} against the policy rules` },
    }),
  };
}

function nodesFor(file: string, cli: string): CreateNodesResult {
  const root = path.posix.dirname(file);
  const name = path.posix.basename(root);
  if (file.startsWith("clusters/")) {
    return { projects: { [root]: { name, projectType: "application", tags: ["type:cluster"], targets: clusterTargets(name, cli) } } };
  }
  const scope = root.split("/")[0];
  return {
    projects: {
      [root]: { name, projectType: "library", tags: ["type:component", `scope:${scope}`], targets: componentTargets(name, cli) },
    },
  };
}

export const createNodesV2: CreateNodesV2<GitopsPluginOptions> = [
  "{infrastructure/*/component.ts,apps/*/component.ts,clusters/*/cluster.ts,tools/package.json,schemas/package.json,apps/images/images.yaml}",
  async (files, options) => {
    const { cli } = normalizeOptions(options);
    return files.map((file) => {
      if (file === "apps/images/images.yaml") {
        // The image tags Kargo promotes: data that the apps and Kargo read.
        return [file, { projects: { "apps/images": { name: "images", tags: ["type:data"], targets: {} } } }] as const;
      }
      if (file === "tools/package.json" || file === "schemas/package.json") {
        const root = path.posix.dirname(file);
        const targets: Record<string, TargetConfiguration> =
          root === "tools"
            ? // The tests read the whole workspace (every overlay, the committed generated files): not cached.
              { test: { command: "vitest run", options: { cwd: "{workspaceRoot}" }, cache: false } }
            : { build: target(`${cli} schemas build`, { inputs: ["{workspaceRoot}/package-lock.json", "{workspaceRoot}/tools/schemas/**/*.ts"], outputs: ["{projectRoot}/kubernetes"] }) };
        // What other projects' `^component-source` takes from tools/: the toolchain's code, not its tests.
        const namedInputs = root === "tools" ? { "component-source": ["{projectRoot}/**/*.ts", "{projectRoot}/**/*.mjs", "{projectRoot}/bin/*", "!{projectRoot}/**/*.test.ts", "!{projectRoot}/testing/**/*", "!{projectRoot}/bench/**/*", "!{projectRoot}/**/fixtures/**/*"] } : undefined;
        return [file, { projects: { [root]: { name: root, tags: ["type:tooling"], targets, ...(namedInputs ? { namedInputs } : {}) } } }] as const;
      }
      return [file, nodesFor(file, cli)] as const;
    });
  },
];

/** Static edges from each component or cluster file's imports of component.ts files, and implicit edges to tools and schemas. */
export const createDependencies: CreateDependencies<GitopsPluginOptions> = (_options, context) => {
  // `context.projects` is keyed by project name.
  const byRoot = new Map(Object.entries(context.projects).map(([name, p]) => [p.root, name]));
  const deps: RawProjectGraphDependency[] = [];
  for (const [name, project] of Object.entries(context.projects)) {
    const root = project.root;
    const file = root.startsWith("clusters/") ? `${root}/cluster.ts` : `${root}/component.ts`;
    if (!/^(infrastructure|apps|clusters)\//.test(root) || !existsSync(path.join(context.workspaceRoot, file))) continue;
    const text = readFileSync(path.join(context.workspaceRoot, file), "utf8");
    for (const dir of importedComponentDirs(context.workspaceRoot, file, text)) {
      const target = byRoot.get(dir);
      if (target && target !== name) deps.push({ source: name, target, type: DependencyType.static, sourceFile: file });
    }
    // Data files read with new URL("…", import.meta.url) belong to the project whose root holds them.
    for (const data of referencedDataFiles(file, text)) {
      const owner = [...byRoot.keys()].filter((r) => data.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
      const target = owner ? byRoot.get(owner) : undefined;
      if (target && target !== name) deps.push({ source: name, target, type: DependencyType.static, sourceFile: file });
    }
    // tools/ is also an npm workspace package, so its project name may come from its package.json.
    for (const tooling of ["tools", "schemas"]) {
      const target = byRoot.get(tooling);
      if (target) deps.push({ source: name, target, type: DependencyType.implicit });
    }
  }
  return deps;
};
