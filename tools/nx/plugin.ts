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
  /** Nx executor of the gitops targets. @default "@typed-gitops/tools:gitops" (tools/nx/executors.json) */
  readonly executor?: string;
}

const TOOLING = [
  "{workspaceRoot}/tools/**/*.ts",
  // The TypeScript loader the CLI registers (tools/workspace/register-typescript.mjs) and the executor.
  "{workspaceRoot}/tools/**/*.mjs",
  "{workspaceRoot}/tools/**/*.cjs",
  "!{workspaceRoot}/tools/**/*.test.ts",
  // The benchmark changes no target's output.
  "!{workspaceRoot}/tools/bench/**/*",
  "{workspaceRoot}/tools/bin/*",
  "{workspaceRoot}/package-lock.json",
  "{workspaceRoot}/tsconfig.base.json",
];
const SCHEMAS = ["{workspaceRoot}/schemas/**/*"];
/**
 * The digest of every pinned chart. The charts themselves (the chart cache) and the values types made from
 * them (.gitops/chart-types, gitignored) are not files Nx can hash; the lock stands for their bytes. Nx
 * hashes whole files, so a change to one chart's entry reaches every target that reads some chart.
 */
const CHART_LOCK = ["{workspaceRoot}/charts.lock.json"];
/**
 * What a target that reads charts also depends on, besides the lock: the environment that decides whether a
 * chart is rendered (GITOPS_CHARTS=off skips charts, GITOPS_CHART_MIRROR is where they come from), whether a
 * chart that is not rendered is an error (CI=true), and which Helm and kubectl run. A result made under other
 * settings is never served from the cache.
 */
const CHART_INPUTS: NonNullable<TargetConfiguration["inputs"]> = [
  ...CHART_LOCK,
  ...["GITOPS_CHARTS", "GITOPS_CHART_MIRROR", "CI", "GITOPS_HELM", "GITOPS_KUBECTL"].map((env) => ({ env })),
];

function normalizeOptions(options: GitopsPluginOptions | undefined): Required<GitopsPluginOptions> {
  return { executor: options?.executor ?? "@typed-gitops/tools:gitops" };
}

type Command = "generate" | "render" | "validate" | "lint";

function target(executor: string, options: { command: Command; component?: string; cluster?: string }, config: Omit<TargetConfiguration, "command" | "executor" | "options">): TargetConfiguration {
  return { executor, cache: true, ...config, options };
}

/*
 * Generated files are committed: a person may edit them, and a cache hit must never restore files over
 * the work tree. So `generate` declares no outputs (a cache hit only skips the work), and its inputs hold
 * the generated files too, so that an edited, deleted or added file makes it run (and refuse hand edits).
 * Render, validate and lint depend on the `generate` of their project and of every component it includes
 * (`^generate`), and the CLI refuses to check generated files that differ from what the sources produce,
 * so they never report on stale files.
 */

/*
 * A project's own files, sources and generated ones in one pattern: Nx applies the exclusions of a
 * named input such as `component-source` to every file pattern of the task's own project.
 */
const OWN_FILES = "{projectRoot}/**/*";

/** Whether a component.ts pins a Helm chart (`chart: {`). */
export function pinsChart(componentSource: string): boolean {
  return /^\s*chart:\s*\{/m.test(componentSource);
}

/**
 * Every generate type-checks component.ts files (the component's and those it imports) whose chart values are
 * typed from the charts, so each reads the lock. `chart`: the component pins a Helm chart, whose validate
 * also checks the values against the chart's values.schema.json.
 */
export function componentTargets(name: string, executor: string, chart = false): Record<string, TargetConfiguration> {
  const generated: string[] = [];
  const sources = [OWN_FILES, "^component-source"];
  const rendered = `{workspaceRoot}/dist/render/components/${name}`;
  const charts = chart ? CHART_INPUTS : [];
  return {
    generate: target(executor, { command: "generate", component: name }, {
      inputs: [...sources, ...generated, ...TOOLING, ...CHART_INPUTS],
      outputs: [],
      metadata: { description: `Write ${name}'s base/ and overlays/ from component.ts` },
    }),
    render: target(executor, { command: "render", component: name }, {
      dependsOn: ["generate"],
      inputs: [...sources, ...generated, ...TOOLING],
      outputs: [rendered],
      metadata: { description: `Build every overlay of ${name} as Kustomize would` },
    }),
    validate: target(executor, { command: "validate", component: name }, {
      dependsOn: ["render"],
      // component.ts too: findings name the line of component.ts that made each object.
      inputs: [...sources, ...generated, ...TOOLING, ...SCHEMAS, ...charts],
      outputs: [`{workspaceRoot}/dist/findings/validate/components/${name}.json`],
      metadata: { description: `Validate ${name}'s rendered overlays against strict schemas and API rules` },
    }),
    lint: target(executor, { command: "lint", component: name }, {
      dependsOn: ["render"],
      inputs: [...sources, ...generated, ...TOOLING],
      outputs: [`{workspaceRoot}/dist/findings/lint/components/${name}.json`],
      metadata: { description: `Check ${name}'s rendered overlays against the policy rules` },
    }),
  };
}

export function clusterTargets(name: string, executor: string): Record<string, TargetConfiguration> {
  const own: string[] = [];
  const generated = ["^generated"];
  const sources = [OWN_FILES, "^component-source"];
  return {
    // cluster.ts may set chart values (withValues), type-checked against the charts' types; render templates the charts.
    generate: target(executor, { command: "generate", cluster: name }, {
      inputs: [...sources, ...own, ...TOOLING, `{workspaceRoot}/bootstrap/${name}/**/*`, ...CHART_INPUTS],
      outputs: [],
      metadata: { description: `Write cluster ${name}'s Argo CD root app, AppProjects and Applications` },
    }),
    render: target(executor, { command: "render", cluster: name }, {
      dependsOn: ["generate", "^generate"],
      inputs: [...sources, ...generated, ...TOOLING, ...CHART_INPUTS],
      outputs: [`{workspaceRoot}/dist/render/${name}`],
      metadata: { description: `Render every object Argo CD applies to cluster ${name}` },
    }),
    validate: target(executor, { command: "validate", cluster: name }, {
      dependsOn: ["render"],
      inputs: [...generated, ...sources, ...TOOLING, ...SCHEMAS, ...CHART_INPUTS],
      outputs: [`{workspaceRoot}/dist/findings/validate/${name}.json`],
      metadata: { description: `Validate cluster ${name}: schemas, API rules, CRD order and references` },
    }),
    lint: target(executor, { command: "lint", cluster: name }, {
      dependsOn: ["render"],
      inputs: [...generated, ...sources, ...TOOLING, ...CHART_INPUTS],
      outputs: [`{workspaceRoot}/dist/findings/lint/${name}.json`],
      metadata: { description: `Check cluster ${name} against the policy rules` },
    }),
    // Compares with a git ref ($NX_BASE, else origin/main, else main): not a function of the inputs, so not cached.
    diff: { command: `node tools/bin/gitops.mjs diff --cluster ${name}`, cache: false, options: { cwd: "{workspaceRoot}" }, metadata: { description: `Rendered diff of cluster ${name} against the base ref, with risks` } },
  };
}

function nodesFor(file: string, executor: string, workspaceRoot: string): CreateNodesResult {
  const root = path.posix.dirname(file);
  const name = path.posix.basename(root);
  if (file.startsWith("clusters/")) {
    return { projects: { [root]: { name, projectType: "application", tags: ["type:cluster"], targets: clusterTargets(name, executor) } } };
  }
  const scope = root.split("/")[0];
  return {
    projects: {
      [root]: { name, projectType: "library", tags: ["type:component", `scope:${scope}`], targets: componentTargets(name, executor, pinsChart(readFileSync(path.join(workspaceRoot, file), "utf8"))) },
    },
  };
}

export const createNodesV2: CreateNodesV2<GitopsPluginOptions> = [
  "{infrastructure/*/component.ts,apps/*/component.ts,clusters/*/cluster.ts,tools/package.json,schemas/package.json,apps/images/images.yaml}",
  async (files, options, context) => {
    const { executor } = normalizeOptions(options);
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
            : { build: { command: "node tools/bin/gitops.mjs schemas build", cache: true, inputs: ["{workspaceRoot}/package-lock.json", "{workspaceRoot}/tools/schemas/**/*.ts"], outputs: ["{projectRoot}/kubernetes"], options: { cwd: "{workspaceRoot}" } } };
        // What other projects' `^component-source` takes from tools/: the toolchain's code, not its tests.
        const namedInputs = root === "tools" ? { "component-source": ["{projectRoot}/**/*.ts", "{projectRoot}/**/*.mjs", "{projectRoot}/bin/*", "!{projectRoot}/**/*.test.ts", "!{projectRoot}/testing/**/*", "!{projectRoot}/bench/**/*", "!{projectRoot}/**/fixtures/**/*"] } : undefined;
        return [file, { projects: { [root]: { name: root, tags: ["type:tooling"], targets, ...(namedInputs ? { namedInputs } : {}) } } }] as const;
      }
      return [file, nodesFor(file, executor, context.workspaceRoot)] as const;
    });
  },
];

/**
 * Edges from each component or cluster file's imports of component.ts files, and to tools and schemas.
 * All are project-level (implicit) edges, not file-level (static) ones: Nx caches a file's static edges
 * and reuses them while the file is unchanged, so a component folder that disappeared and came back
 * (a branch switch, a stash) would stay cut off from its clusters until `nx reset`. These edges are
 * computed from the current files on every graph computation.
 */
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
      if (target && target !== name) deps.push({ source: name, target, type: DependencyType.implicit });
    }
    // Data files read with new URL("…", import.meta.url) belong to the project whose root holds them.
    for (const data of referencedDataFiles(file, text)) {
      const owner = [...byRoot.keys()].filter((r) => data.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
      const target = owner ? byRoot.get(owner) : undefined;
      if (target && target !== name) deps.push({ source: name, target, type: DependencyType.implicit });
    }
    // tools/ is also an npm workspace package, so its project name may come from its package.json.
    for (const tooling of ["tools", "schemas"]) {
      const target = byRoot.get(tooling);
      if (target) deps.push({ source: name, target, type: DependencyType.implicit });
    }
  }
  return deps;
};
