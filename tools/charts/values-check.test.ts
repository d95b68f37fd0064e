/**
 * validate's chart-values check memoises its findings in the toolchain cache: the same findings as an
 * uncached run, taken from the memo when nothing they depend on changed, computed again when the values,
 * the component.ts or the chart change.
 */
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../findings/finding.ts";
import type { CheckItem } from "../pipeline/checks.ts";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";
import { tempDirs, writeFiles } from "../testing/temp-workspace.ts";
import { CacheMemo, flushMemos, forgetMemos } from "../workspace/cache.ts";
import { checkChartValues, type ChartValuesCheckOptions } from "./values-check.ts";

const temps = tempDirs();
afterAll(temps.removeAll);

const COMPONENT = `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent({
  name: "metallb",
  namespace: "metallb-system",
  chart: {
    repoURL: "https://metallb.github.io/metallb",
    chart: "metallb",
    version: "0.16.1",
    values: () => ({
      controller: { logLevel: "loud" },
      speakr: { enabled: true },
    }),
  },
  resources: () => [],
});
`;

function application(values: unknown): CheckItem {
  const value = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: "metallb" },
    spec: { source: { repoURL: "https://metallb.github.io/metallb", chart: "metallb", targetRevision: "0.16.1", helm: { valuesObject: values } } },
  };
  return { doc: { file: "dist/render/dev1/apps.yaml", index: 0, line: 1, text: "", value } };
}

describe.skipIf(skipWithoutUpstream("charts"))("memoised chart values findings", () => {
  const root = temps.make("gitops-values-root-");
  writeFiles(root, { "infrastructure/metallb/component.ts": COMPONENT });
  const chartDir = temps.make("gitops-values-charts-");
  copyFileSync(upstreamPath("charts", "metallb-0.16.1.tgz"), path.join(chartDir, "metallb-0.16.1.tgz"));
  const values = { controller: { logLevel: "loud" }, speakr: { enabled: true } };
  const options = (cacheDir: string | false): ChartValuesCheckOptions => ({
    locate: (pin) => path.join(chartDir, `${pin.chart}-${pin.version}.tgz`),
    sourceOf: () => "infrastructure/metallb/component.ts",
    where: "cluster dev1",
    cacheDir,
  });
  const memoFile = (cacheDir: string) => path.join(cacheDir, "chart-values-findings", readdirSync(path.join(cacheDir, "chart-values-findings"))[0]);
  const marker: Finding[] = [{ rule: "chart/marker", severity: "error", message: "from the memo", file: "x", line: 1, column: 1 }];
  /** Replaces every memoised result with a made-up finding: a check that returns it did not check. */
  const markMemo = (cacheDir: string) => {
    const file = memoFile(cacheDir);
    const memo = new CacheMemo<Finding[]>(file, 1);
    const keys = Object.keys(JSON.parse(readFileSync(file, "utf8")).entries as object);
    for (const key of keys) memo.set(key, marker);
    memo.flush();
    forgetMemos();
  };

  it("GIVEN values checked once WHEN checked again THEN the findings are the uncached ones, from the memo; changed values or component.ts are checked again", () => {
    const cacheDir = temps.make("gitops-values-cache-");
    const expected = checkChartValues([application(values)], root, options(false));
    expect(expected.map((f) => `${f.rule} ${f.line} ${f.message}`)).toEqual([
      expect.stringMatching(/^chart\/values-schema 10 chart values \(cluster dev1, Application metallb\): controller\.logLevel: must be one of "all", "debug", "info", "warn", "error", "none" \(metallb 0\.16\.1 values\.schema\.json\)$/),
      'chart/values-type 10 chart values (cluster dev1, Application metallb): controller.logLevel: "loud" is not "all" (metallb 0.16.1)',
      "chart/values-type 11 chart values (cluster dev1, Application metallb): speakr: no such key in the chart's values (metallb 0.16.1)",
    ]);
    expect(checkChartValues([application(values)], root, options(cacheDir))).toEqual(expected);
    flushMemos();
    forgetMemos();
    expect(checkChartValues([application(values)], root, options(cacheDir))).toEqual(expected);

    markMemo(cacheDir);
    expect(checkChartValues([application(values)], root, options(cacheDir))).toEqual(marker);
    // Other values: checked again.
    const fixed = { controller: { logLevel: "info" }, speaker: { enabled: true } };
    expect(checkChartValues([application(fixed)], root, options(cacheDir))).toEqual([]);
    // The component.ts moved its lines: checked again (the findings name its lines).
    writeFiles(root, { "infrastructure/metallb/component.ts": `// a comment\n${COMPONENT}` });
    expect(checkChartValues([application(values)], root, options(cacheDir)).map((f) => f.line)).toEqual([11, 11, 12]);
    writeFiles(root, { "infrastructure/metallb/component.ts": COMPONENT });
  });
});
