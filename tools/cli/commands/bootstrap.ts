import { GenerateError } from "../../generate/errors.ts";
import { runBootstrap } from "../../bootstrap/bootstrap.ts";
import { findRoot } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, UsageError, type CliIO } from "../io.ts";

export const BOOTSTRAP_HELP = `Usage: gitops bootstrap <cluster> [options]

Creates a cluster and hands it to its GitOps engine, from the facts its cluster.ts declares
(bootstrap: kind, K3s or DOKS; pinned versions, subnets, node pools): pre-flight (tools and their
versions, the kube context; any context but the cluster's is refused), the cluster (kind with the
pinned node image and port mappings, K3s, or OpenTofu in bootstrap/<cluster>/), the engine (Argo CD
from its own Application's chart, version, values and release name; or Flux, pinned), and the root
last. Every step is idempotent: a second run changes nothing and says so. The steps are the scripts
in bootstrap/ (bootstrap/bootstrap.sh); this command first refuses when the generated files they read
are out of date.

Options:
  --dry-run          run only the read-only probes; print every command and manifest
  --output FORMAT    text (the scripts' output, as it comes) or json (a report at the end); default text
  --json             the same as --output json
  -h, --help         show this help

Exit codes: 0 done (or planned), 1 a step failed or was refused, 2 usage error.`;

export async function bootstrapCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse("bootstrap", argv, {
    "dry-run": { type: "boolean" },
    // --json, or --output json (parse checks the format: text or json).
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(BOOTSTRAP_HELP);
    return EXIT.ok;
  }
  const output = values.output === "json" ? "json" : "text";
  if (positionals.length !== 1) {
    throw new UsageError(`gitops bootstrap: name one cluster, e.g. gitops bootstrap local --dry-run\nRun \`gitops bootstrap --help\` for usage.`);
  }
  const root = findRoot();
  try {
    const report = await runBootstrap(root, positionals[0], {
      dryRun: Boolean(values["dry-run"]),
      onOutput: output === "text" ? (text, stream) => (stream === "out" ? io.out(text.replace(/\n$/, "")) : io.err(text.replace(/\n$/, ""))) : undefined,
    });
    if (output === "json") io.out(JSON.stringify(report, null, 2));
    if (report.exitCode === 0) return EXIT.ok;
    return report.exitCode === EXIT.usage ? EXIT.usage : EXIT.findings;
  } catch (error) {
    if (error instanceof GenerateError && !(error.constructor.name === "WorkspaceUsageError")) {
      io.err(error.message);
      return EXIT.findings;
    }
    throw error;
  }
}
