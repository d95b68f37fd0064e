/** JavaScript for a TypeScript file: types blanked out, or transformed when blanking is not enough. */
export function typeScriptToJavaScript(source: string, url: string): string;
/** Whether this Node has what the in-thread loader needs (Node 22.15 and later). */
export function nativeTypeScriptAvailable(): boolean;
/** Registers TypeScript support for this process; returns which loader. GITOPS_TS_LOADER=tsx forces tsx. */
export function registerTypeScript(): Promise<"node" | "tsx">;
