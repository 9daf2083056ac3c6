/**
 * The plan's model of gopkg.in/yaml.v3 v3.0.1, the Pulumi CLI's YAML library: aliases and their limit,
 * merges, and the Go formatting the CLI's values pass through. Vectors marked "upstream" come from
 * go-yaml's own tests (decode_test.go, limit_test.go at v3.0.1).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allowedAliasRatio, decodeYaml, goFormatFloatG, goJsonFloat, goParseInt, goParseUint, type GoValue } from "../../cli/plan/go-yaml";

/** A decoded value as plain JSON-able data, for comparisons. */
function plain(v: GoValue | undefined): unknown {
  if (v === undefined) return undefined;
  switch (v.kind) {
    case "null":
      return null;
    case "int":
      return v.value <= BigInt(Number.MAX_SAFE_INTEGER) && v.value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v.value) : v.value.toString();
    case "seq":
      return v.items.map(plain);
    case "map":
      return Object.fromEntries([...v.entries].map(([k, x]) => [k, plain(x)]));
    case "time":
      return v.value;
    default:
      return v.value;
  }
}

const billionLaughs = (levels: number) => {
  const names = "abcdefghijklmnop";
  let text = `${names[0]}: &${names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
  for (let i = 1; i < levels; i++) text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(",")}]\n`;
  return text;
};

describe("aliases", () => {
  it("expand as go-yaml expands them (upstream: yaml-test-suite 3GZX, in decode_test.go)", () => {
    expect(plain(decodeYaml("First occurrence: &anchor Foo\nSecond occurrence: *anchor\nOverride anchor: &anchor Bar\nReuse anchor: *anchor\n"))).toEqual({
      "First occurrence": "Foo",
      "Second occurrence": "Foo",
      "Override anchor": "Bar",
      "Reuse anchor": "Bar",
    });
  });

  it("refuses an alias bomb at once, before expanding it", () => {
    const started = process.hrtime.bigint();
    expect(() => decodeYaml(billionLaughs(9))).toThrow("document contains excessive aliasing");
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it("refuses a megabyte of maps with 100 aliases, and reads the same maps without them (upstream: limit_test.go)", () => {
    const maps = (n: number) => `{a}${",{a}".repeat(n)}`;
    expect(() => decodeYaml(`{a: &a [${maps(1000 * 1024 / 4 - 100)}], b: &b [*a${",*a".repeat(99)}]}`)).toThrow("document contains excessive aliasing");
    for (const kb of [1, 10, 100]) expect(() => decodeYaml(`a: &a [${maps((kb * 1024) / 4 - 1)}]`), `${kb}kb`).not.toThrow();
  });

  it("allows 99% of decodes from aliases up to 400,000, 10% from 4,000,000 (decode.go allowedAliasRatio)", () => {
    expect([allowedAliasRatio(1000), allowedAliasRatio(400000), allowedAliasRatio(4000000), allowedAliasRatio(9e6)]).toEqual([0.99, 0.99, 0.1, 0.1]);
    expect(allowedAliasRatio(2200000)).toBeCloseTo(0.545, 12);
  });

  it("reads a moderate, honest reuse of anchors", () => {
    expect(plain(decodeYaml("base: &b [x, y]\nrelays: [*b, *b, *b]\n"))).toEqual({ base: ["x", "y"], relays: [["x", "y"], ["x", "y"], ["x", "y"]] });
  });

  it("refuses an anchor that contains itself, and an unknown one", () => {
    expect(() => decodeYaml("a: &x [1, *x]\n")).toThrow("anchor 'x' value contains itself");
    expect(() => decodeYaml("a: *nope\n")).toThrow("unknown anchor 'nope' referenced");
  });
});

describe("merges (<<)", () => {
  it("take the mapping's own keys first, then earlier merged mappings over later ones", () => {
    expect(plain(decodeYaml("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc: {<<: [*a, *b], x: 0}\n"))).toEqual({
      a: { x: 1, y: 1 },
      b: { y: 2, z: 2 },
      c: { x: 0, y: 1, z: 2 },
    });
  });

  it("refuse anything but mappings", () => {
    expect(() => decodeYaml("a: &a [1]\nb: {<<: *a}\n")).toThrow("map merge requires map or sequence of maps as the value");
    expect(() => decodeYaml("b: {<<: 3}\n")).toThrow("map merge requires map or sequence of maps as the value");
  });

  it("are only plain <<; a quoted one is a key", () => {
    expect(plain(decodeYaml('b: {"<<": 3}\n'))).toEqual({ b: { "<<": 3 } });
  });
});

describe("the document", () => {
  it("names the line of a syntax error", () => {
    expect(() => decodeYaml('a: 1\nb: "open\n')).toThrow(/^line \d+: .*quote/);
  });

  it("refuses a second document, which the CLI would silently ignore", () => {
    expect(() => decodeYaml("config: {}\n---\nconfig: {stakepool:relays: 9}\n")).toThrow(/line 2: starts a second YAML document/);
  });

  it("refuses nesting deeper than the parser follows, where go-yaml stops at 10000 (upstream: limit_test.go)", () => {
    expect(() => decodeYaml(`x: ${"[".repeat(20000)}${"]".repeat(20000)}\n`)).toThrow(/too deeply|max depth/);
  });

  it("is empty for no content", () => {
    expect(decodeYaml("")).toBeUndefined();
    expect(decodeYaml("# only a comment\n")).toBeUndefined();
  });
});

describe("Go's number handling", () => {
  it("parses integers as strconv.ParseInt/ParseUint with base 0", () => {
    expect(["0", "-0x10", "+0o17", "0b101", "0777", "9223372036854775807"].map((s) => goParseInt(s, 0))).toEqual([0n, -16n, 15n, 5n, 511n, 9223372036854775807n]);
    expect(["", "0x", "08", "0b102", "9223372036854775808", "1_0", " 1"].map((s) => goParseInt(s, 0))).toEqual(Array(7).fill(undefined));
    expect(goParseUint("18446744073709551615", 0)).toBe(18446744073709551615n);
    expect(goParseUint("18446744073709551616", 0)).toBeUndefined();
  });

  it("formats a float64 as strconv.FormatFloat(f, 'g', -1, 64)", () => {
    const vectors: [number, string][] = [
      [3, "3"],
      [2630, "2630"],
      [123456, "123456"],
      [1e6, "1e+06"],
      [1234567, "1.234567e+06"],
      [1e11, "1e+11"],
      [0.0001, "0.0001"],
      [0.00001, "1e-05"],
      [-1.5, "-1.5"],
      [1e100, "1e+100"],
      [-0, "-0"],
      [Infinity, "+Inf"],
      [NaN, "NaN"],
    ];
    for (const [x, text] of vectors) expect(goFormatFloatG(x), String(x)).toBe(text);
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(Number(goFormatFloatG(x)), x)).toBe(true);
      }),
    );
  });

  it("writes JSON numbers as encoding/json does, which for doubles is JavaScript's own text", () => {
    expect([1e21, 1e20, 1e-7, 1e-6, 1.5e300, -0].map(goJsonFloat)).toEqual(["1e+21", "100000000000000000000", "1e-7", "0.000001", "1.5e+300", "-0"]);
    expect(() => goJsonFloat(Infinity)).toThrow("json: unsupported value: +Inf");
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        if (!Object.is(x, -0)) expect(goJsonFloat(x)).toBe(String(x));
      }),
    );
  });
});
