export declare const COMMENT_MARKER: "<!-- gitops-diff -->";
export declare function commentMarker(n: number): string;
export declare function partOf(body: string | null | undefined): number | undefined;
export interface CommentPlan {
  readonly update: { readonly id: number; readonly part: number; readonly body: string }[];
  readonly create: { readonly part: number; readonly body: string }[];
  readonly remove: number[];
}
export declare function commentPlan(existing: readonly { readonly id: number; readonly body: string }[], parts: readonly string[]): CommentPlan;
