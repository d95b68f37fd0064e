// What to do with the rendered-diff comments of a pull request, given the ones already there and the parts
// to post. Plain JavaScript, so that the workflow's github-script step imports it as it is; `gitops diff`
// uses the same markers (comment-plan.d.mts gives TypeScript its types).

/** The first line of part 1 (the marker of the one comment posted before the diff was split). */
export const COMMENT_MARKER = "<!-- gitops-diff -->";

/** The first line of part `n` (1-based). */
export function commentMarker(n) {
  return n === 1 ? COMMENT_MARKER : `<!-- gitops-diff part ${n} -->`;
}

/** The part a comment body holds (1-based), or undefined when it is not a rendered-diff comment. */
export function partOf(body) {
  const match = /^<!-- gitops-diff(?: part ([1-9]\d*))? -->/.exec(body ?? "");
  return match ? Number(match[1] ?? 1) : undefined;
}

/**
 * Updates the comment that holds each part (when its text changed), creates the missing parts, deletes the
 * parts a previous, longer diff left, and any second comment for one part. Running it again with the same
 * parts does nothing.
 *
 * @param {readonly { id: number, body: string }[]} existing the pull request's comments by this workflow, oldest first
 * @param {readonly string[]} parts the bodies to post, part 1 first
 */
export function commentPlan(existing, parts) {
  const byPart = new Map();
  const remove = [];
  for (const comment of existing) {
    const part = partOf(comment.body);
    if (part === undefined) continue;
    if (byPart.has(part)) remove.push(comment.id);
    else byPart.set(part, comment);
  }
  const update = [];
  const create = [];
  parts.forEach((body, i) => {
    const comment = byPart.get(i + 1);
    if (!comment) create.push({ part: i + 1, body });
    else if (comment.body !== body) update.push({ id: comment.id, part: i + 1, body });
  });
  for (const [part, comment] of byPart) if (part > parts.length) remove.push(comment.id);
  return { update, create, remove: remove.sort((a, b) => a - b) };
}
