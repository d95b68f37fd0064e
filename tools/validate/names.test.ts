import { describe, expect, it } from "vitest";
import {
  dns1035LabelError,
  dns1123LabelError,
  dns1123SubdomainError,
  labelValueError,
  pathSegmentNameError,
  portNameError,
  qualifiedNameError,
} from "./names.ts";

describe("dns1123SubdomainError", () => {
  it.each(["a", "web", "web-1", "a.b.c", "0abc", "x".repeat(253)])("accepts %j", (name) => {
    expect(dns1123SubdomainError(name)).toBeUndefined();
  });
  it.each([
    ["", "must not be empty"],
    ["Web", "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"],
    ["web_app", "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"],
    ["-web", "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"],
    ["web.", "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"],
    ["a..b", "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"],
    ["x".repeat(254), "must be no more than 253 characters (it has 254)"],
  ])("rejects %j", (name, reason) => {
    expect(dns1123SubdomainError(name)).toBe(reason);
  });
});

describe("dns1123LabelError", () => {
  it.each(["a", "web-1", "1st", "x".repeat(63)])("accepts %j", (name) => expect(dns1123LabelError(name)).toBeUndefined());
  it.each([
    ["", "must not be empty"],
    ["a.b", "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit"],
    ["web-", "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit"],
    ["x".repeat(64), "must be no more than 63 characters (it has 64)"],
  ])("rejects %j", (name, reason) => expect(dns1123LabelError(name)).toBe(reason));
});

describe("dns1035LabelError", () => {
  it.each(["web", "a1", "my-svc"])("accepts %j", (name) => expect(dns1035LabelError(name)).toBeUndefined());
  it.each([
    ["", "must not be empty"],
    ["1web", "must be an RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"],
    ["my.svc", "must be an RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"],
    ["a".repeat(64), "must be no more than 63 characters (it has 64)"],
  ])("rejects %j", (name, reason) => expect(dns1035LabelError(name)).toBe(reason));
});

describe("pathSegmentNameError", () => {
  it.each(["system:controller:foo", "Admin", "a.b"])("accepts %j", (name) => expect(pathSegmentNameError(name)).toBeUndefined());
  it.each([
    ["", "must not be empty"],
    [".", 'may not be "."'],
    ["..", 'may not be ".."'],
    ["a/b", "may not contain '/'"],
    ["a%b", "may not contain '%'"],
  ])("rejects %j", (name, reason) => expect(pathSegmentNameError(name)).toBe(reason));
});

describe("qualifiedNameError (label and annotation keys)", () => {
  it.each(["app", "app.kubernetes.io/name", "A_b.c-D", "example.com/x", `${"p".repeat(253)}/n`, "n".repeat(63)])("accepts %j", (key) =>
    expect(qualifiedNameError(key)).toBeUndefined(),
  );
  it.each([
    ["", "must not be empty"],
    ["a/b/c", "must be a name with at most one '/' (an optional DNS subdomain prefix and a name)"],
    ["/name", "has an empty prefix before '/'"],
    ["example.com/", "has an empty name after the prefix"],
    ["Example.com/name", `has a prefix "Example.com" that is not a lowercase RFC 1123 subdomain (lowercase letters, digits, '-' and '.')`],
    [`${"p".repeat(254)}/n`, "has a prefix longer than 253 characters (it has 254)"],
    ["n".repeat(64), "has a name part longer than 63 characters (it has 64)"],
    ["my key", `has a name part "my key" that is not letters, digits, '-', '_' or '.', starting and ending with a letter or digit`],
    ["-app", `has a name part "-app" that is not letters, digits, '-', '_' or '.', starting and ending with a letter or digit`],
  ])("rejects %j", (key, reason) => expect(qualifiedNameError(key)).toBe(reason));
});

describe("labelValueError", () => {
  it.each(["", "v1.2.3", "A_b-c", "x".repeat(63)])("accepts %j", (value) => expect(labelValueError(value)).toBeUndefined());
  it.each([
    ["x".repeat(64), "must be no more than 63 characters (it has 64)"],
    ["-a", "must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
    ["a b", "must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
    ["a/b", "must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
  ])("rejects %j", (value, reason) => expect(labelValueError(value)).toBe(reason));
});

describe("portNameError", () => {
  it.each(["http", "metrics-9090", "h2c", "a".repeat(15)])("accepts %j", (name) => expect(portNameError(name)).toBeUndefined());
  it.each([
    ["", "must not be empty"],
    ["a".repeat(16), "must be no more than 15 characters (it has 16)"],
    ["HTTP", "must be lowercase letters, digits and '-', starting and ending with a letter or digit"],
    ["http-", "must be lowercase letters, digits and '-', starting and ending with a letter or digit"],
    ["a--b", "must not contain '--'"],
    ["8080", "must contain at least one letter"],
  ])("rejects %j", (name, reason) => expect(portNameError(name)).toBe(reason));
});
