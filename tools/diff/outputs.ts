import type { DiffReport } from "./model.ts";
import { htmlReport } from "./report-html.ts";
import { jsonReport, markdownComments, MAX_COMMENTS, textReport, type MarkdownOptions } from "./report.ts";

/** The files `gitops diff --out-dir` writes, by name: every format from one render, and the comment in parts. */
export function diffOutputs(report: DiffReport, options: MarkdownOptions = {}): Record<string, string> {
  const comments = markdownComments(report, { maxComments: MAX_COMMENTS, ...options });
  return {
    "diff.txt": `${textReport(report, false)}\n`,
    "diff.json": `${jsonReport(report)}\n`,
    "diff.html": `${htmlReport(report)}\n`,
    ...Object.fromEntries(comments.map((text, i) => [`comment-${i + 1}.md`, `${text}\n`])),
  };
}
