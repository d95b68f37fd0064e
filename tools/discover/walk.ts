/** Reading the files a user names: regular files only, symlink loops refused, bytes checked as UTF-8. */
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

/** Input that cannot be read as asked: the CLI prints the message and exits 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** A file found under an input, named as the user wrote the input (`/` separators). */
export interface FoundFile {
  readonly abs: string;
  readonly display: string;
}

const MANIFEST = /\.(ya?ml|json)$/;
const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

function statOrThrow(abs: string, display: string) {
  try {
    return statSync(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new InputError(`${display}: symbolic link loop`);
    if (code === "ENOENT") throw new InputError(`${display}: no such file or folder (a broken symbolic link?)`);
    throw new InputError(`${display}: ${(error as Error).message}`);
  }
}

/**
 * Every YAML or JSON file under `input` (and kustomizations named `Kustomization`), sorted, skipping dot
 * entries and node_modules. A FIFO, socket or device is refused rather than read (reading one blocks), and
 * a folder that links back to one of its parents is refused rather than walked for ever.
 */
export function findFiles(input: string): FoundFile[] {
  const display = input.split(path.sep).join("/");
  const stat = statOrThrow(input, display);
  const out: FoundFile[] = [];
  if (stat.isFile()) {
    out.push({ abs: path.resolve(input), display });
    return out;
  }
  if (!stat.isDirectory()) throw new InputError(`${display}: not a regular file or folder`);
  const walk = (abs: string, shown: string, ancestors: readonly string[]) => {
    const real = realpathSync(abs);
    if (ancestors.includes(real)) throw new InputError(`${shown}: symbolic link loop (it leads back to ${path.relative(process.cwd(), real) || "."})`);
    const chain = [...ancestors, real];
    for (const name of readdirSync(abs).sort()) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const child = path.join(abs, name);
      const childShown = shown === "." ? name : `${shown.replace(/\/$/, "")}/${name}`;
      const isCandidate = MANIFEST.test(name) || KUSTOMIZATION.test(name);
      const s = statOrThrow(child, childShown);
      if (s.isDirectory()) {
        const target = realpathSync(child);
        // A link to the folder itself or to a folder above it would be walked for ever.
        if (chain.includes(target) || real.startsWith(target + path.sep)) {
          throw new InputError(`${childShown}: symbolic link loop (it leads back to ${path.relative(process.cwd(), target).split(path.sep).join("/") || "."})`);
        }
        walk(child, childShown, chain);
      }
      else if (!isCandidate) continue;
      else if (s.isFile()) out.push({ abs: child, display: childShown });
      else throw new InputError(`${childShown}: not a regular file (a FIFO, socket or device is never read)`);
    }
  };
  walk(path.resolve(input), display, []);
  return out;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A file's text, or where its bytes stop being UTF-8 (Kubernetes and Kustomize reject such input). */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { badByte: number; line: number } {
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    // Find the first invalid sequence for the message.
    let lo = 0;
    let hi = bytes.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid;
      }
    }
    let line = 1;
    for (let i = 0; i < lo; i++) if (bytes[i] === 10) line++;
    return { badByte: lo, line };
  }
}

export function readBytes(abs: string): Buffer {
  return readFileSync(abs);
}
