import { describe, expect, it } from "vitest";
import { compareQuantities, isNegative, isQuantity, parseQuantity, suggestQuantity } from "./quantity.ts";

describe("parseQuantity", () => {
  it.each(["1", "0", "100m", "0.5", ".5", "5.", "1Gi", "128Mi", "1G", "2k", "1e3", "1E3", "1e-3", "+1", "-1", "10n", "10u", "1Ei", "1E", 2, 0.25, 1e21])(
    "accepts %j",
    (value) => expect(isQuantity(value)).toBe(true),
  );
  it.each(["", "1 GB", "1GB", "500mi", "1gi", "1K", "Mi", "1.2.3", "1Gi ", " 1", "1e", "1e1.5", "--1", "1KiB", "abc", Number.NaN, Infinity])(
    "rejects %j",
    (value) => expect(isQuantity(value)).toBe(false),
  );

  it("keeps values exact", () => {
    const cmp = (a: string | number, b: string | number) => compareQuantities(parseQuantity(a)!, parseQuantity(b)!);
    expect(cmp("1Gi", "1073741824")).toBe(0);
    expect(cmp("100m", "0.1")).toBe(0);
    expect(cmp("1k", "1e3")).toBe(0);
    expect(cmp("1G", "1Gi")).toBe(-1);
    expect(cmp("2", "1500m")).toBe(1);
    expect(cmp("1.5Gi", "1536Mi")).toBe(0);
    expect(cmp(0.5, "500m")).toBe(0);
    expect(cmp("1n", "0.000000001")).toBe(0);
  });

  it("tells negative values and keeps the suffix", () => {
    expect(isNegative(parseQuantity("-1")!)).toBe(true);
    expect(isNegative(parseQuantity("0")!)).toBe(false);
    expect(parseQuantity("500m")!.suffix).toBe("m");
    expect(parseQuantity("1e3")!.suffix).toBe("e3");
    expect(parseQuantity("7")!.suffix).toBe("");
  });
});

describe("suggestQuantity", () => {
  it.each([
    ["1 GB", "1G"],
    ["1GB", "1G"],
    ["500mi", "500Mi"],
    ["2 gib", "2Gi"],
    ["1 Gi", "1Gi"],
    ["256MB", "256M"],
    ["1.5 TB", "1.5T"],
  ])("%j → %j", (value, suggestion) => expect(suggestQuantity(value)).toBe(suggestion));
  it.each(["abc", "1 parsec", "1Gi"])("has nothing for %j", (value) => expect(suggestQuantity(value)).toBeUndefined());
});
