import { EXIT, processIO, UsageError, type CliIO } from "./io.ts";
import { WorkspaceUsageError } from "../generate/errors.ts";
import { EngineError } from "../engines/binaries.ts";

export const MAIN_HELP = `Usage: gitops <command> [options]

A typed GitOps platform's toolchain: component.ts and cluster.ts files become plain Kustomize and
Argo CD manifests, rendered, validated and linted offline.

Commands:
  all         generate, render, validate and lint every cluster, with a per-cluster summary (npm start)
  generate    write base/, overlays/ and clusters/<name>/ from the typed components and clusters
  render      render what Argo CD applies, per cluster, to dist/render/
  validate    validate rendered clusters, or any YAML/JSON files and folders, strictly
  lint        check rendered clusters, or any YAML, against the policy rules
  charts      chart tooling: charts pull fetches and locks the pinned charts; charts types writes each
              pinned chart's values type (from the chart itself)
  diff        compare the rendered clusters of two git refs, with risky changes flagged
  schemas     build the strict JSON Schemas, or import a CRD's (schemas build | schemas import <crd>)
  bench       benchmark the pipeline on synthetic platforms and this one, beside kubectl kustomize (npm run bench)
  bootstrap   create a cluster and hand it to its engine (kind, K3s + Flux, DOKS with OpenTofu); --dry-run prints every step
  new         write a new app or component from a template and add it to clusters (new app <name> --cluster X)
  warm        prepare the toolchain cache (stripped TypeScript, type check, compiled schemas); npm ci runs it

Run \`gitops <command> --help\` for a command's options; \`gitops --version\` prints the toolchain's
version and the Helm and Kustomize it runs.
Exit codes: 0 clean, 1 errors found (or generate failed), 2 usage or I/O error.`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  all: async () => (await import("./commands/all.ts")).allCommand,
  generate: async () => (await import("./commands/generate.ts")).generateCommand,
  render: async () => (await import("./commands/render.ts")).renderCommand,
  validate: async () => (await import("./commands/check.ts")).validateCommand,
  lint: async () => (await import("./commands/check.ts")).lintCommand,
  charts: async () => (await import("./commands/charts.ts")).chartsCommand,
  diff: async () => (await import("./commands/diff.ts")).diffCommand,
  schemas: async () => (await import("./commands/schemas.ts")).schemasCommand,
  bench: async () => (await import("./commands/bench.ts")).benchCommand,
  warm: async () => (await import("./commands/warm.ts")).warmCommand,
  bootstrap: async () => (await import("./commands/bootstrap.ts")).bootstrapCommand,
  new: async () => (await import("./commands/new.ts")).newCommand,
};

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(MAIN_HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    try {
      const { versionText } = await import("./commands/version.ts");
      io.out(versionText());
      return EXIT.ok;
    } catch (error) {
      if (error instanceof EngineError) {
        io.err(`gitops --version: ${error.message}`);
        return EXIT.usage;
      }
      throw error;
    }
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`gitops: unknown command "${name}"\n\n${MAIN_HELP}`);
    return EXIT.usage;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof WorkspaceUsageError || error instanceof EngineError) {
      io.err(error.message);
      return EXIT.usage;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
      io.err(`gitops ${name}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
