import { GenerateError, WorkspaceUsageError } from "../../generate/errors.ts";
import { findImportCycle } from "../../workspace/imports.ts";
import { planWorkspace, type GeneratePlan } from "../../generate/generate.ts";
import { typecheck } from "../../generate/typecheck.ts";
import { writePlan, type WriteResult } from "../../generate/write.ts";
import { findRoot, loadWorkspace, type Workspace } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, seconds, type CliIO } from "../io.ts";
import { generatedObjectChecker } from "../../pipeline/checks.ts";
import { CATALOGUE_FILE, catalogueEditedByHand, catalogueMarkdown } from "../../catalogue/catalogue.ts";

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export const GENERATE_HELP = `Usage: gitops generate [options]

Writes every component's base/ and overlays/{dev,prod}/ and every cluster's clusters/<name>/ (root
Application, AppProjects, one Application per component with sync waves) from component.ts and
cluster.ts. Deterministic: running it twice changes nothing. Files of removed components or
environments are deleted. Nothing is written when any component fails.

Options:
  --component NAME   only this component (repeatable)
  --cluster NAME     only this cluster (repeatable)
  --check            write nothing; exit 1 when generated files are out of date, or a YAML file
                     that generate did not write sits in a generated folder (for CI)
  --force            overwrite generated files that were edited by hand
  --no-typecheck     skip type-checking the component and cluster files
  --output FORMAT    text (default) or json; --format is an alias, --json means --output json
  -h, --help         show this help`;

export interface GenerateOutcome {
  readonly workspace: Workspace;
  readonly plan: GeneratePlan;
  readonly result: WriteResult;
}

/** Loads, type-checks, plans and writes; throws GenerateError for anything the user caused. */
export async function runGenerate(
  root: string,
  options: { components?: string[]; clusters?: string[]; check?: boolean; force?: boolean; typecheck?: boolean } = {},
): Promise<GenerateOutcome> {
  const filtered = Boolean(options.components?.length || options.clusters?.length);
  const filter = filtered ? { components: options.components ?? [], clusters: options.clusters ?? [] } : {};
  let checked: Promise<void> = Promise.resolve();
  // A cycle between component files shows as TS7022 ("implicitly has type 'any'") twice in the type check: name it instead.
  const { componentDirs, clusterDirs } = await import("../../workspace/workspace.ts");
  const cycle = findImportCycle(root, componentDirs(root));
  if (cycle) {
    const first = componentDirs(root).find((d) => path.posix.basename(d) === cycle[0]);
    throw new GenerateError(`${first}/component.ts: dependency cycle: ${cycle.join(" → ")}`);
  }
  if (options.typecheck !== false) {
    const files = [
      ...componentDirs(root).filter((d) => !filtered || options.components?.some((c) => d.endsWith(`/${c}`))).map((d) => `${d}/component.ts`),
      ...clusterDirs(root).filter((d) => !filtered || options.clusters?.some((c) => d.endsWith(`/${c}`))).map((d) => `${d}/cluster.ts`),
    ];
    // The compiler runs in its own process while this one plans; nothing is written before it passes.
    checked = typecheck(root, files);
    // Settled below; until then a rejection is not "unhandled".
    checked.catch(() => {});
  }
  let workspace: Workspace;
  let plan: GeneratePlan;
  try {
    workspace = await loadWorkspace(root, filter);
    plan = planWorkspace(workspace, { check: generatedObjectChecker(), only: filtered ? filter : undefined });
  } catch (error) {
    // A type error explains a failure of the code it is in better than the failure does.
    await checked;
    throw error;
  }
  await checked;
  const catalogue = filtered ? undefined : catalogueMarkdown(workspace.components, plan.clusters);
  const catalogueFile = path.join(root, CATALOGUE_FILE);
  if (catalogue !== undefined && !options.force && !options.check && existsSync(catalogueFile)) {
    const current = readFileSync(catalogueFile, "utf8");
    if (current !== catalogue && catalogueEditedByHand(current)) {
      throw new GenerateError(`${CATALOGUE_FILE}: was edited by hand since it was generated; change the components instead, or run with --force to overwrite`);
    }
  }
  const result = await writePlan(root, plan, { check: options.check, force: options.force, pruneAbandoned: !filtered });
  if (catalogue !== undefined) {
    // The catalogue is derived from the whole workspace, so only an unfiltered run writes it.
    const file = catalogueFile;
    const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (current !== catalogue) {
      result.written.push(CATALOGUE_FILE);
      if (!options.check) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(`${file}.tmp-${process.pid}`, catalogue);
        renameSync(`${file}.tmp-${process.pid}`, file);
      }
    }
  }
  return { workspace, plan, result };
}

/** A YAML file in a generated folder that generate did not write. */
export function strayMessage(file: string): string {
  return `${file}: a YAML file in a generated folder that gitops generate did not write (Kustomize ignores it); move it out of the folder, or make it an object of the component`;
}

export async function generateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse("generate", argv, {
    component: { type: "string", multiple: true },
    cluster: { type: "string", multiple: true },
    check: { type: "boolean" },
    force: { type: "boolean" },
    "no-typecheck": { type: "boolean" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(GENERATE_HELP);
    return EXIT.ok;
  }
  const started = performance.now();
  const root = findRoot();
  try {
    const { plan, result } = await runGenerate(root, {
      components: values.component as string[] | undefined,
      clusters: values.cluster as string[] | undefined,
      check: Boolean(values.check),
      force: Boolean(values.force),
      typecheck: !values["no-typecheck"],
    });
    const elapsed = performance.now() - started;
    const outOfDate = values.check && (result.written.length > 0 || result.deleted.length > 0 || result.stray.length > 0);
    if (values.json) {
      io.out(JSON.stringify({ check: Boolean(values.check), upToDate: !outOfDate, written: result.written, deleted: result.deleted, unchanged: result.unchanged, stray: result.stray, seconds: Number((elapsed / 1000).toFixed(3)) }, null, 2));
    } else {
      for (const file of result.written) io.out(`${values.check ? "would write" : "wrote"} ${file}`);
      for (const file of result.deleted) io.out(`${values.check ? "would delete" : "deleted"} ${file}`);
      const [written, deleted] = values.check ? ["to write", "to delete"] : ["written", "deleted"];
      io.out(
        `generate: ${plan.components.length} components, ${plan.clusters.length} clusters, ${result.written.length + result.unchanged} files ` +
          `(${result.written.length} ${written}, ${result.deleted.length} ${deleted}, ${result.unchanged} unchanged) in ${seconds(elapsed)}`,
      );
      for (const file of result.stray) io.err(strayMessage(file));
      if (outOfDate) io.err("generate --check: generated files are out of date; run `npm run generate` and commit the result");
    }
    return outOfDate ? EXIT.findings : EXIT.ok;
  } catch (error) {
    if (error instanceof GenerateError && !(error instanceof WorkspaceUsageError)) {
      io.err(`generate failed, nothing was written:\n${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }
}
