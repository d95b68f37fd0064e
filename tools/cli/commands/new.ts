import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GenerateError } from "../../generate/errors.ts";
import { addToCluster, appTemplate, componentDirOf, componentTemplate, invalidName, type ScaffoldKind } from "../../scaffold/scaffold.ts";
import { clusterDirs, findRoot } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, UsageError, type CliIO } from "../io.ts";

export const NEW_HELP = `Usage: gitops new app <name> [--cluster NAME]...
       gitops new component <name> [--cluster NAME]...

Writes a typed component.ts from a small template and adds it to each named cluster's cluster.ts (an
import and an entry at the end of its components list). "app" writes apps/<name>/component.ts: a web
app on the webApp helper (Deployment, Service, Ingress, PodDisruptionBudget and the namespace
baseline) with values to change; "component" writes infrastructure/<name>/component.ts: a namespace
with the baseline, to add a chart or objects to. Nothing is written when any step would fail. Then
run \`npm start\` to generate, render, validate and lint.

Options:
  --cluster NAME     add the component to this cluster (repeatable)
  --output FORMAT    text (default) or json: the files written; --format is an alias
  -h, --help         show this help`;

/** Writes through a temporary sibling and a rename, so that no file is half-written. */
function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp-${process.pid}`, text);
  renameSync(`${file}.tmp-${process.pid}`, file);
}

export async function newCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse("new", argv, { cluster: { type: "string", multiple: true }, json: { type: "boolean" } });
  if (values.help) {
    io.out(NEW_HELP);
    return EXIT.ok;
  }
  const [kind, name, ...extra] = positionals;
  if (kind !== "app" && kind !== "component") throw new UsageError(`gitops new: say what to create, "app" or "component"${kind ? `, not "${kind}"` : ""}\nRun \`gitops new --help\` for usage.`);
  if (!name || extra.length) throw new UsageError(`gitops new ${kind}: give one name, e.g. \`gitops new ${kind} shop\``);
  const problem = invalidName(name);
  if (problem) throw new UsageError(`gitops new ${kind}: ${problem}`);
  const root = findRoot();
  const dir = componentDirOf(kind as ScaffoldKind, name);
  for (const taken of [`apps/${name}`, `infrastructure/${name}`]) {
    if (existsSync(path.join(root, taken))) throw new UsageError(`gitops new ${kind}: ${taken} already exists; component names are unique across apps/ and infrastructure/`);
  }
  const clusters = [...new Set((values.cluster as string[] | undefined) ?? [])];
  const known = clusterDirs(root).map((d) => path.posix.basename(d));
  for (const cluster of clusters) {
    if (!known.includes(cluster)) throw new UsageError(`gitops new ${kind}: no cluster named "${cluster}" (clusters: ${known.join(", ")})`);
  }
  // Every edit is computed before the first write.
  let edits: { file: string; text: string }[];
  try {
    edits = clusters.map((cluster) => {
      const file = `clusters/${cluster}/cluster.ts`;
      return { file, text: addToCluster(file, readFileSync(path.join(root, file), "utf8"), dir, name) };
    });
  } catch (error) {
    if (error instanceof GenerateError) {
      io.err(`new failed, nothing was written:\n${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }
  const componentFile = `${dir}/component.ts`;
  writeAtomic(path.join(root, componentFile), kind === "app" ? appTemplate(name) : componentTemplate(name));
  for (const edit of edits) writeAtomic(path.join(root, edit.file), edit.text);
  const written = [componentFile, ...edits.map((e) => e.file)];
  if (values.json) io.out(JSON.stringify({ kind, name, written }, null, 2));
  else {
    io.out(`wrote ${componentFile}`);
    for (const edit of edits) io.out(`added ${name} to ${edit.file}`);
    io.out(`new ${kind} ${name}: ${written.length} ${written.length === 1 ? "file" : "files"} written; next: edit ${componentFile}, then \`npm start\``);
  }
  return EXIT.ok;
}
