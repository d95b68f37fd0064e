import { hasChanges } from "../../diff/model.ts";
import { htmlReport } from "../../diff/report-html.ts";
import { jsonReport, markdownReport, textReport } from "../../diff/report.ts";
import { diffOutputs } from "../../diff/outputs.ts";
import { DiffInputError, diffRefs, writeDiffOutputs } from "../../pipeline/diff-refs.ts";
import { MAX_COMMENTS } from "../../diff/report.ts";
import { findRoot } from "../../workspace/workspace.ts";
import { oneOf, parse } from "../args.ts";
import { EXIT, UsageError, type CliIO } from "../io.ts";

export const DIFF_HELP = `Usage: gitops diff [options]

Renders the clusters at a base git ref and at the head with this toolchain (a commit's files that
differ from the working tree are read from git, the others from the working tree) and compares them
per cluster and per Application: objects added, changed and removed (identity: API group, kind,
namespace, name; an apiVersion bump is a change), with the risky changes flagged by class (immutable
field, data at risk, availability, security widening, supply chain). Secret values are always masked.
Temporary worktrees (--checkout, --generate) are removed, also on Ctrl-C.

Options:
  --base REF          what to compare with (default: $NX_BASE, else origin/main, else main)
  --head REF          what to compare (default: HEAD)
  --worktree          compare the working tree as it is instead of a commit
  --cluster NAME      only this cluster (repeatable); default: every cluster
  --output FORMAT     text (default; a coloured unified YAML diff per object), markdown (a pull-request
                      comment), json, or html (one self-contained page with side-by-side diffs)
  --exit-code         exit 1 when anything changed
  --show-noise        also show helm.sh/chart, app.kubernetes.io/version and checksum/* annotations
                      and labels, and generated CA bundles and chart certificates (hidden by default)
  --generate          regenerate each side from its component.ts and cluster.ts with this toolchain
                      before rendering (default: render each side's committed generated files, which
                      are what Argo CD applies); with --worktree, shows edits not yet generated
  --checkout          check each commit out into a temporary git worktree (default: read only the files
                      that differ from the working tree from git, and reuse what the working tree's
                      render built from the others; the same output, faster)
  --details-url URL   markdown: where the full diff is, named when something is left out of the comment
  --out-dir DIR       also write every format from this one render into DIR: diff.txt, diff.json,
                      diff.html, and the pull-request comment split into parts under GitHub's
                      65,536-character limit (comment-1.md with the summary, comment-2.md, ...); files an
                      earlier run wrote there are replaced or removed, other files are never overwritten
  --max-comments N    with --out-dir: at most N comment parts; what does not fit is listed with a pointer
                      to --details-url (default: ${MAX_COMMENTS})
  -h, --help          show this help

Exit codes: 0 no change (or changes without --exit-code), 1 changes with --exit-code, 2 usage error
(unknown ref, a shallow clone without the base, a side that does not generate or render).`;

const FORMATS = ["text", "markdown", "json", "html"] as const;

export async function diffCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse("diff", argv, {
    base: { type: "string" },
    head: { type: "string" },
    worktree: { type: "boolean" },
    cluster: { type: "string", multiple: true },
    output: { type: "string" },
    "exit-code": { type: "boolean" },
    "show-noise": { type: "boolean" },
    generate: { type: "boolean" },
    checkout: { type: "boolean" },
    "details-url": { type: "string" },
    "out-dir": { type: "string" },
    "max-comments": { type: "string" },
  }, FORMATS);
  if (values.help) {
    io.out(DIFF_HELP);
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`gitops diff: unexpected argument "${positionals[0]}"; refs are given with --base and --head\nRun \`gitops diff --help\` for usage.`);
  const output = oneOf("diff", "output", values.output as string | undefined, FORMATS, "text");
  const maxText = values["max-comments"] as string | undefined;
  const maxComments = maxText === undefined ? MAX_COMMENTS : Number(maxText);
  if (!Number.isInteger(maxComments) || maxComments < 1) throw new UsageError(`gitops diff: --max-comments must be a positive integer, got "${maxText}"`);
  if (maxText !== undefined && values["out-dir"] === undefined) throw new UsageError("gitops diff: --max-comments needs --out-dir (the comment parts are written there)");
  const root = findRoot();
  let report;
  try {
    report = await diffRefs({
      root,
      base: values.base as string | undefined,
      head: values.head as string | undefined,
      worktree: Boolean(values.worktree),
      clusters: values.cluster as string[] | undefined,
      showNoise: Boolean(values["show-noise"]),
      generate: Boolean(values.generate),
      checkout: Boolean(values.checkout),
      progress: (line) => io.err(line),
    });
  } catch (error) {
    if (error instanceof DiffInputError) throw new UsageError(error.message);
    throw error;
  }
  const details = values["details-url"] as string | undefined;
  if (values["out-dir"] !== undefined) {
    try {
      const written = writeDiffOutputs(values["out-dir"] as string, diffOutputs(report, { detailsUrl: details, maxComments }));
      io.err(`diff: wrote ${written.join(", ")} into ${values["out-dir"]}`);
    } catch (error) {
      if (error instanceof DiffInputError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (output === "json") io.out(jsonReport(report));
  else if (output === "markdown") io.out(markdownReport(report, { detailsUrl: details }));
  else if (output === "html") io.out(htmlReport(report));
  else io.out(textReport(report, io.color));
  return values["exit-code"] && hasChanges(report) ? EXIT.findings : EXIT.ok;
}
