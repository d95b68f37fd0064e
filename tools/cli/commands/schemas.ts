import path from "node:path";
import { findRoot } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, seconds, UsageError, type CliIO } from "../io.ts";

export const SCHEMAS_HELP = `Usage: gitops schemas build
       gitops schemas import [--out DIR] <crd.yaml|dir>...

build    regenerate the strict JSON Schemas under schemas/kubernetes/ from the kubernetes-models
         packages in node_modules (core Kubernetes and every CRD package the platform uses)
import   turn CustomResourceDefinitions into strict schemas in DIR (default: schemas/imported),
         then validate with \`gitops validate --schemas DIR\`; Go (RE2) patterns are translated,
         and one JavaScript cannot express is left out with a "note:" line naming the field

Options:
  --out DIR    where import writes (default: schemas/imported)
  -h, --help   show this help`;

export async function schemasCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse("schemas", argv, { out: { type: "string" } });
  const [sub, ...paths] = positionals;
  if (values.help || sub === undefined) {
    io.out(SCHEMAS_HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const root = findRoot();
  const started = performance.now();
  if (sub === "build") {
    const { buildSchemas } = await import("../../schemas/build-schemas.ts");
    const result = await buildSchemas({ outDir: path.join(root, "schemas/kubernetes"), rootDir: root });
    io.out(`schemas build: ${result.kinds} kinds in ${result.files.length} files under schemas/kubernetes/ in ${seconds(performance.now() - started)}`);
    return EXIT.ok;
  }
  if (sub === "import") {
    if (paths.length === 0) throw new UsageError("gitops schemas import: name at least one CRD file or folder");
    const { runSchemasImport, SchemaImportError } = await import("../../schemas/import-crd.ts");
    const out = path.resolve((values.out as string | undefined) ?? path.join(root, "schemas/imported"));
    let result: Awaited<ReturnType<typeof runSchemasImport>>;
    try {
      result = await runSchemasImport(paths.map((p) => path.resolve(p)), out);
    } catch (error) {
      if (error instanceof SchemaImportError) throw new UsageError(`gitops schemas import: ${error.message}`);
      throw error;
    }
    // A pattern in Go syntax that JavaScript cannot express is left out of its schema: said, not silent.
    for (const note of result.notes) io.out(`note: ${note}`);
    io.out(`schemas import: ${result.kinds.length} kinds (${result.kinds.join(", ")}) → ${path.relative(process.cwd(), out) || "."}/ in ${seconds(performance.now() - started)}${result.notes.length ? `; ${result.notes.length} ${result.notes.length === 1 ? "pattern" : "patterns"} skipped (see the notes)` : ""}`);
    return EXIT.ok;
  }
  throw new UsageError(`gitops schemas: unknown subcommand "${sub}" (build or import)`);
}
