/**
 * Rendered files as YAML text, with where each document starts and a digest of each document's text.
 *
 * Most of a cluster's render is chart output, and a chart's objects are a function of its template
 * cache key (chart digest, values, flags, Helm: tools/charts/template.ts). A warm run would serialise
 * the same megabytes of YAML again and hash them again (the CRD schema folder's key, the schema memo's
 * keys), so a file whose objects have such a key (`RenderedFile.contentKey`) keeps its text, document
 * boundaries and digests in the toolchain cache, under that key and the code that makes them. Anything
 * unreadable or inconsistent there is a miss, and the file is serialised as it would be without it.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { KubeObject } from "../model/kube-object.ts";
import { toYamlDocumentLines } from "../render/serialize.ts";
import { gitopsCacheDir, pruneCacheFolder, sourceClosureDigest, touchCacheEntry, writeCacheFile } from "../workspace/cache.ts";
import type { RenderedFile } from "./render-output.ts";

/** A serialised file and where each object starts in it: the renderer's positions, not a parse of the text. */
export interface SerializedFile {
  /** The file's content: the YAML text, or its UTF-8 bytes as read back from the cache. */
  readonly content: string | Buffer;
  /** Each document; a document read back from the cache decodes its text when it is first asked for. */
  readonly documents: readonly SerializedDocument[];
}

export interface SerializedDocument {
  readonly text: string;
  /** The document's first line in the file. */
  readonly line: number;
  /**
   * sha256 (base64url) of `text`, when the text determines the object (the serialiser lost nothing of it:
   * see toYamlDocumentLines' `exact`): memos keyed by the object use it instead of hashing the object again.
   */
  readonly digest?: string;
}

/** Bumped when the layout of a memo entry changes. */
const FORMAT = 2;

const textDigest = (text: string) =>
  createHash("sha256").update(text).digest("base64url");

/** Objects as the multi-document YAML `toYamlDocuments` writes, with each document's first line and digest. */
export function serializeObjects(
  objects: readonly KubeObject[],
): SerializedFile {
  const documents: SerializedDocument[] = [];
  let line = 1;
  let text = "";
  objects.forEach((object, i) => {
    if (i > 0) {
      text += "---\n";
      line++;
    }
    const doc = toYamlDocumentLines(object);
    documents.push(doc.exact ? { text: doc.text, line, digest: textDigest(doc.text) } : { text: doc.text, line });
    text += doc.text;
    line += doc.lines;
  });
  return { content: text, documents };
}

let codeKey: string | null | undefined;
/**
 * What a memoised file depends on besides its objects' key: the serialiser, and render-cluster.ts, which
 * puts a chart's namespaced objects into the destination namespace before they are written, with every
 * module either imports (which kinds are cluster-scoped, how chart output is read back).
 */
function serializedCodeKey(): string | null {
  if (codeKey === undefined) {
    const hash = createHash("sha256").update(`serialized ${FORMAT}\n`);
    const parts = [new URL("../render/serialize.ts", import.meta.url), new URL("./render-cluster.ts", import.meta.url), new URL(import.meta.url)].map((url) =>
      sourceClosureDigest(url),
    );
    codeKey = parts.every((p) => p !== null) ? hash.update(parts.join("\n")).digest("hex") : null;
  }
  return codeKey;
}

interface MemoEntry {
  readonly format: number;
  /** Size of the text in UTF-8 bytes, to tell a text file from another entry's. */
  readonly bytes: number;
  /** Each document: end offset in bytes (before the next `---`), first line, digest ("" for none). */
  readonly documents: readonly (readonly [number, number, string])[];
}

/** A document of a text read back as bytes: only a document a finding is located in is ever decoded. */
class StoredDocument implements SerializedDocument {
  private decoded: string | undefined;
  constructor(
    private readonly bytes: Buffer,
    private readonly start: number,
    private readonly end: number,
    readonly line: number,
    readonly digest: string | undefined,
  ) {}

  get text(): string {
    if (this.decoded === undefined)
      this.decoded = this.bytes.toString("utf8", this.start, this.end);
    return this.decoded;
  }
}

function memoFiles(
  contentKey: string,
): { text: string; index: string } | undefined {
  const code = serializedCodeKey();
  if (!code) return undefined;
  const name = createHash("sha256")
    .update(`${code}\n${contentKey}`)
    .digest("hex")
    .slice(0, 40);
  const dir = path.join(gitopsCacheDir(), "serialized");
  return {
    text: path.join(dir, `${name}.yaml`),
    index: path.join(dir, `${name}.json`),
  };
}

function readMemo(
  files: { text: string; index: string },
  count: number,
): SerializedFile | undefined {
  try {
    const entry = JSON.parse(readFileSync(files.index, "utf8")) as MemoEntry;
    if (entry.format !== FORMAT || entry.documents.length !== count)
      return undefined;
    const bytes = readFileSync(files.text);
    if (bytes.length !== entry.bytes) return undefined;
    touchCacheEntry(files.index);
    touchCacheEntry(files.text);
    let start = 0;
    const documents = entry.documents.map(([end, line, digest]) => {
      const doc = new StoredDocument(bytes, start, end, line, digest || undefined);
      start = end + 4; // past "---\n"
      return doc;
    });
    return { content: bytes, documents };
  } catch {
    return undefined;
  }
}

function writeMemo(
  files: { text: string; index: string },
  serialized: SerializedFile,
): void {
  try {
    let end = 0;
    const documents = serialized.documents.map((d, i) => {
      end += (i > 0 ? 4 : 0) + Buffer.byteLength(d.text);
      return [end, d.line, d.digest ?? ""] as const;
    });
    const bytes = Buffer.from(serialized.content);
    if (bytes.length !== end) return;
    writeCacheFile(files.text, bytes);
    const entry: MemoEntry = { format: FORMAT, bytes: bytes.length, documents };
    writeCacheFile(files.index, JSON.stringify(entry));
    pruneCacheFolder(path.dirname(files.text));
  } catch {
    // The cache is an optimisation: a failure to write it changes nothing else.
  }
}

/** A rendered file serialised, from the toolchain cache when its objects have a content key seen before. */
export function serializeFile(file: RenderedFile): SerializedFile {
  const memo = file.contentKey ? memoFiles(file.contentKey) : undefined;
  if (!memo) return serializeObjects(file.objects);
  const known = readMemo(memo, file.objects.length);
  if (known) return known;
  const serialized = serializeObjects(file.objects);
  writeMemo(memo, serialized);
  return serialized;
}

/** Each file serialised, by its path. */
export function serializeAll(
  files: readonly RenderedFile[],
): Map<string, SerializedFile> {
  return new Map(files.map((f) => [f.file, serializeFile(f)]));
}

/** The content of each file whose objects have a content key (from the cache when seen before), for writeRenderFolder. */
export function memoisedContents(files: readonly RenderedFile[]): Map<string, string | Buffer> {
  return new Map(files.filter((f) => f.contentKey).map((f) => [f.file, serializeFile(f).content]));
}
