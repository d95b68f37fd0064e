/** JavaScript for a TypeScript file: types blanked out, or transformed when blanking is not enough. */
export function typeScriptToJavaScript(source: string, url: string): string;
/** Whether this Node has what the in-thread loader needs (Node 22.15 and later). */
export function nativeTypeScriptAvailable(): boolean;
/** Registers TypeScript support for this process; returns which loader. GITOPS_TS_LOADER=tsx forces tsx. */
export function registerTypeScript(): Promise<"node" | "tsx">;
/** Registers the in-thread loader synchronously where this Node supports it; returns whether it did. */
export function registerNativeTypeScript(): boolean;
/** A kubernetes-models class module's source with its runtime validator imported on first use. */
export function deferModelValidator(source: string): string;
