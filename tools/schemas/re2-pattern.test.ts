import { describe, expect, it } from "vitest";
import { translateRe2Pattern } from "./re2-pattern.ts";

const translated = (go: string) => {
  const t = translateRe2Pattern(go);
  if (!("pattern" in t)) throw new Error(`skipped: ${t.skipped}`);
  return t.pattern;
};
const matcher = (go: string) => new RegExp(translated(go), "u");

describe("translateRe2Pattern: Go syntax with the same meaning in JavaScript", () => {
  it.each([
    ["^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "^[a-z0-9]([\\-a-z0-9]*[a-z0-9])?$"],
    ["\\Ahello\\z", "^hello$"],
    ["(?P<year>\\d{4})-(?P<month>\\d\\d)", "(?<year>\\d{4})-(?<month>\\d\\d)"],
    ["^[[:alpha:]][[:alnum:]_]*$", "^[A-Za-z][0-9A-Za-z_]*$"],
    ["[[:^digit:]]+", "[^0-9]+"],
    ["^[\\w.\\-\\_]+$", "^[\\w.\\-_]+$"],
    ["a\\#b", "a#b"],
    ["\\Qa.b*\\E+", "a\\.b\\*+"],
    ["\\pL\\p{Greek}\\p{^Lu}", "\\p{L}\\p{Script=Greek}\\P{Lu}"],
    ["\\x{1F600}\\101", "\\u{1F600}\\u{41}"],
    ["a{,3}}", "a\\{,3\\}\\}"],
    ["x{2,5}", "x{2,5}"],
    ["a.b", "a[^\\n]b"],
    ["(?s)a.b", "a[\\s\\S]b"],
    ["\\s+\\S", "[\\t\\n\\f\\r ]+[^\\t\\n\\f\\r ]"],
    ["^(?i)(abort|warn)?$", "^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$"],
    ["(?i)[a-k]s", "[a-kA-K\\u{212a}][sS\\u{17f}]"],
    ["(?i:x)y", "(?:[xX])y"],
  ])("%s → %s", (go, js) => {
    expect(translated(go)).toBe(js);
  });

  it("GIVEN (?i) inside a group THEN it holds to the end of that group, across its alternatives, and no further", () => {
    const weekday = matcher("^((?i)sun|mon)day$");
    expect(["SUNday", "Monday", "mONday"].map((s) => weekday.test(s))).toEqual([true, true, true]);
    expect(weekday.test("SUNDAY")).toBe(false);
    // Go folds k to the Kelvin sign and s to the long s, as Unicode simple case folding does.
    expect(matcher("(?i)^ks$").test("\u212A\u017F")).toBe(true);
  });

  it("GIVEN Go's narrower \\s and . THEN JavaScript's wider ones are not used", () => {
    expect(matcher("^\\s$").test("\u00a0")).toBe(false);
    expect(matcher("^.$").test("\r")).toBe(true);
    expect(matcher("^.$").test("\n")).toBe(false);
  });
});

describe("translateRe2Pattern: skipped, with the reason", () => {
  it.each([
    ["(?m)^a$", "the flag (?m) (multi-line ^ and $) cannot be set inside a JSON Schema pattern"],
    ["(?U)a+", "the flag (?U) (ungreedy) has no JavaScript equivalent"],
    ["(?i)é", 'the letter "é" under (?i): only ASCII letters are translated'],
    ["(?i)\\pL", "a Unicode class under (?i) has no JavaScript equivalent without the i flag"],
    ["[\\S]", "\\S inside brackets has no JavaScript form"],
    ["[a[:^digit:]]", "[:^digit:] beside other items in brackets"],
    ["[[:word]]x[", "an unclosed ["],
    ["a\\", "it ends with a lone backslash"],
    ["\\C", "\\C is not an escape JavaScript knows the same way"],
    ["(?=a)", 'the group "(?=a"… is not Go syntax'],
    ["a**", "JavaScript cannot compile it (Nothing to repeat)"],
  ])("%s: %s", (go, reason) => {
    expect(translateRe2Pattern(go)).toEqual({ skipped: reason });
  });
});
