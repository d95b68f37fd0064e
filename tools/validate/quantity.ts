/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource):
 *
 *   quantity        ::= signedNumber suffix
 *   signedNumber    ::= number | sign number        sign ::= "+" | "-"
 *   number          ::= digits | digits "." digits | digits "." | "." digits
 *   suffix          ::= binarySI | decimalExponent | decimalSI
 *   binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   decimalSI       ::= n | u | m | "" | k | M | G | T | P | E
 *   decimalExponent ::= "e" signedNumber | "E" signedNumber   (an integer exponent)
 *
 * Values are kept exact (a fraction of big integers) so that `1Gi` and `1073741824` compare equal.
 */

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** An exact quantity: `numerator / denominator`, denominator > 0. */
export interface Quantity {
  readonly numerator: bigint;
  readonly denominator: bigint;
  /** The suffix as written ("" when none), e.g. "Mi", "m", "e3". */
  readonly suffix: string;
}

export const QUANTITY_FORMAT =
  "a number with an optional suffix: Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), n, u, m, k, M, G, T, P, E (powers of 1000) or an exponent such as e3";

/** Parses a quantity as the API server does; undefined when it is not one. YAML numbers are accepted. */
export function parseQuantity(value: string | number): Quantity | undefined {
  const text = typeof value === "number" ? (Number.isFinite(value) ? numberText(value) : "") : value;
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, number, suffix = ""] = match;
  const [whole, fraction = ""] = number.split(".");
  let numerator = BigInt((whole || "0") + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  let exponent10 = 0;
  if (suffix in BINARY) numerator *= 1024n ** BigInt(BINARY[suffix]);
  else if (suffix in DECIMAL) exponent10 = DECIMAL[suffix];
  else if (suffix !== "") {
    exponent10 = Number(suffix.slice(1));
    // The API server stores quantities in 64 bits with a scale; absurd exponents do not parse there either.
    if (!Number.isSafeInteger(exponent10) || Math.abs(exponent10) > 1000) return undefined;
  }
  if (exponent10 > 0) numerator *= 10n ** BigInt(exponent10);
  else if (exponent10 < 0) denominator *= 10n ** BigInt(-exponent10);
  if (sign === "-") numerator = -numerator;
  return { numerator, denominator, suffix };
}

function numberText(value: number): string {
  // String(1e21) is "1e+21", which the grammar accepts; String(0.000001) is "0.000001".
  return String(value);
}

export function isQuantity(value: string | number): boolean {
  return parseQuantity(value) !== undefined;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isNegative(q: Quantity): boolean {
  return q.numerator < 0n;
}

const UNIT_FIXES: Record<string, string> = {
  k: "k", kb: "k", mb: "M", g: "G", gb: "G", t: "T", tb: "T", p: "P", pb: "P", eb: "E",
  ki: "Ki", kib: "Ki", mi: "Mi", mib: "Mi", gi: "Gi", gib: "Gi", ti: "Ti", tib: "Ti", pi: "Pi", pib: "Pi", ei: "Ei", eib: "Ei",
};

/** A valid spelling of a common mistake (`1 GB` → `1G`, `500mi` → `500Mi`), or undefined. */
export function suggestQuantity(text: string): string | undefined {
  const match = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z]+)\s*$/.exec(text);
  if (!match) {
    const compact = text.replace(/\s+/g, "");
    return compact !== text && isQuantity(compact) ? compact : undefined;
  }
  const [, number, unit] = match;
  const fixed = unit in BINARY || unit in DECIMAL ? unit : UNIT_FIXES[unit.toLowerCase()];
  if (!fixed) return undefined;
  const suggestion = number + fixed;
  return suggestion !== text && isQuantity(suggestion) ? suggestion : undefined;
}
