/**
 * A Helm chart repository on loopback: serves a folder holding `index.yaml` and chart packages (the
 * upstream chart mirror, ../shared/upstream/charts) over HTTP on 127.0.0.1 and an ephemeral port, the
 * way an air-gapped platform serves Harbor or ChartMuseum. Point GITOPS_CHART_MIRROR at `url`.
 *
 * The server runs as its own process (chart-mirror-server.mjs): the render waits for Helm synchronously,
 * so a server in the test's own thread could not answer Helm's requests meanwhile.
 * By hand: `node tools/testing/chart-mirror-server.mjs ../shared/upstream/charts` prints the URL.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { upstreamPath } from "./upstream.ts";

export interface ChartMirror {
  readonly url: string;
  /** Paths requested so far, in order (e.g. "/index.yaml", "/argo-cd-10.1.1.tgz"). */
  requests(): string[];
  close(): Promise<void>;
}

export const UPSTREAM_CHARTS = upstreamPath("charts");

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), "chart-mirror-server.mjs");

/** Serves `dir` read-only (plain files directly inside it) until closed. */
export function startChartMirror(dir: string = UPSTREAM_CHARTS): Promise<ChartMirror> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), "gitops-chart-mirror-"));
  const log = path.join(logDir, "requests.log");
  writeFileSync(log, "");
  const child = spawn(process.execPath, [SERVER, dir, log], { stdio: ["pipe", "pipe", "inherit"] });
  const requests = () => readFileSync(log, "utf8").split("\n").filter(Boolean);
  return new Promise((resolve, reject) => {
    let buffer = "";
    let started = false;
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!started) reject(new Error(`chart mirror: the server exited (${code}) before listening`));
    });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith("url ") && !started) {
          started = true;
          resolve({
            url: line.slice(4),
            requests,
            close: () =>
              new Promise<void>((done) => {
                const finish = () => {
                  rmSync(logDir, { recursive: true, force: true });
                  done();
                };
                if (child.exitCode !== null) return finish();
                child.once("exit", finish);
                child.stdin.end();
              }),
          });
        }
      }
    });
  });
}
