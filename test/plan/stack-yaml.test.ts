/**
 * What a value written in a stack file reaches the program as, under `pulumi preview` and under the plan
 * (which models the CLI: cli/plan/go-yaml.ts, cli/plan/cli-config.ts). Each row names the rule's source;
 * rows marked "upstream" are vectors from the sources' own tests.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { programString, readStackValues } from "../../cli/plan/cli-config";

const WITHHELD = "[withheld]";

/**
 * Text without the characters YAML 1.1 (libyaml, under go-yaml) reads as line breaks or a byte-order mark
 * and YAML 1.2 (the plan's parser) does not: the one place the two parsers are known to differ.
 */
const text = (options: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({ unit: "grapheme", ...options }).filter((s) => !/[\u0085\u2028\u2029\ufeff]/.test(s));

/** The string the program receives for `value` written as `stakepool:k: <value>`. */
function received(value: string): string {
  const { values } = readStackValues(`config:\n  stakepool:k: ${value}\n`, "stakepool");
  return programString(values.get("stakepool:k")!, WITHHELD);
}

interface Row {
  readonly yaml: string;
  /** What the program receives; or, with `refused`, the CLI's (or the plan's) refusal. */
  readonly receives?: string;
  readonly refused?: RegExp;
  readonly source: string;
}

const RESOLVE = "go-yaml v3.0.1 resolve.go resolve";
const ROUND_TRIP = "pulumi loaders.go LoadProjectStackBytes re-encodes (yaml.v3 encode.go floatv: FormatFloat 'g') and decodes again";
const MARSHAL = "pulumi sdk/go/common/resource/config/object.go MarshalString (encoding/json)";

const ROWS: readonly Row[] = [
  // Integers: strconv.ParseInt with base 0 after dropping "_", then ParseUint.
  { yaml: "3", receives: "3", source: RESOLVE },
  { yaml: "0x3", receives: "3", source: `${RESOLVE}: ParseInt base 0` },
  { yaml: "0X1f", receives: "31", source: `${RESOLVE}: ParseInt base 0` },
  { yaml: "0o17", receives: "15", source: `${RESOLVE}: ParseInt base 0` },
  { yaml: "0b11", receives: "3", source: `${RESOLVE}: ParseInt base 0` },
  { yaml: "010", receives: "8", source: `${RESOLVE}: ParseInt base 0 reads a leading 0 as octal` },
  { yaml: "08", receives: "8", source: `${RESOLVE}: not octal, so yamlStyleFloat: the float 8` },
  { yaml: "+3", receives: "3", source: RESOLVE },
  { yaml: "1_000", receives: "1000", source: `${RESOLVE}: strings.Replace(in, "_", "")` },
  { yaml: "0b-101", receives: "-5", source: `${RESOLVE}: the "0b" branch hands "-101" to ParseInt base 2` },
  { yaml: "9223372036854775807", receives: "9223372036854775807", source: RESOLVE },
  { yaml: "12345678901234567890", receives: "12345678901234567890", source: `${RESOLVE}: ParseUint (uint64)` },
  { yaml: "18446744073709551615", receives: "18446744073709551615", source: "upstream: pulumi pkg/workspace/config_project_test.go TestStackConfigUInt64" },
  { yaml: "18446744073709551616", receives: "18446744073709552000", source: `${RESOLVE}: beyond uint64 a float64; ${MARSHAL}` },
  { yaml: "{decimal: +685_230}", receives: '{"decimal":685230}', source: "upstream: go-yaml decode_test.go (Ints from spec)" },
  { yaml: "{octal: 02472256, hexa: 0x_0A_74_AE, bin: 0b1010_0111_0100_1010_1110}", receives: '{"bin":685230,"hexa":685230,"octal":685230}', source: "upstream: go-yaml decode_test.go (Ints from spec)" },
  { yaml: "-0b1000000000000000000000000000000000000000000000000000000000000000", receives: "-9223372036854775808", source: "upstream: go-yaml decode_test.go" },
  // Floats: the round trip turns a whole float64 below 1e6 into an int; encoding/json writes the rest.
  { yaml: "3.0", receives: "3", source: ROUND_TRIP },
  { yaml: "2630.0", receives: "2630", source: ROUND_TRIP },
  { yaml: "-0.0", receives: "0", source: `${ROUND_TRIP}: "-0" is the int 0` },
  { yaml: "1e11", receives: "100000000000", source: `${ROUND_TRIP}; ${MARSHAL}: floatEncoder 'f' below 1e21` },
  { yaml: "1234567.0", receives: "1234567", source: `${ROUND_TRIP}: "1.234567e+06"; ${MARSHAL}` },
  { yaml: "2.5", receives: "2.5", source: MARSHAL },
  { yaml: ".5", receives: "0.5", source: `${RESOLVE}: hint '.'` },
  { yaml: "1e21", receives: "1e+21", source: `${MARSHAL}: floatEncoder 'e' from 1e21` },
  { yaml: "1e-7", receives: "1e-7", source: `${MARSHAL}: floatEncoder tidies e-07` },
  { yaml: "0.0001", receives: "0.0001", source: MARSHAL },
  { yaml: "1e400", receives: "1e400", source: `${RESOLVE}: ParseFloat overflows, so the text stays a string` },
  { yaml: "123456e1", receives: "1234560", source: "upstream: go-yaml decode_test.go (123456e1 is a float)" },
  { yaml: "685.230_15e+03", receives: "685230.15", source: "upstream: go-yaml decode_test.go (Floats from spec)" },
  { yaml: ".inf", refused: /json: unsupported value: \+Inf/, source: `${MARSHAL}: json.Marshal refuses infinities` },
  { yaml: "-.Inf", refused: /json: unsupported value: -Inf/, source: "upstream: go-yaml decode_test.go reads -.Inf as -Inf; then json.Marshal" },
  { yaml: ".NaN", refused: /json: unsupported value: NaN/, source: MARSHAL },
  { yaml: "1.", receives: "1", source: `${RESOLVE}: yamlStyleFloat allows a bare trailing dot` },
  // Booleans: only the YAML 1.2 spellings (resolveMap); YAML 1.1's yes/no/on/off stay text.
  { yaml: "true", receives: "true", source: RESOLVE },
  { yaml: "True", receives: "true", source: `${RESOLVE}: resolveMap` },
  { yaml: "FALSE", receives: "false", source: `${RESOLVE}: resolveMap` },
  { yaml: "tRUE", receives: "tRUE", source: `${RESOLVE}: not in resolveMap` },
  { yaml: "yes", receives: "yes", source: `${RESOLVE}: not in resolveMap` },
  { yaml: "on", receives: "on", source: `${RESOLVE}: not in resolveMap` },
  { yaml: "y", receives: "y", source: `${RESOLVE}: not in resolveMap` },
  // Nulls: the zero config.Value.
  { yaml: "", receives: "", source: "upstream: pulumi sdk/go/common/workspace/loaders_test.go TestEmptyValueWarning" },
  { yaml: "~", receives: "", source: "upstream: pulumi loaders_test.go TestEmptyValueWarning" },
  { yaml: "null", receives: "", source: "upstream: pulumi loaders_test.go TestEmptyValueWarning" },
  { yaml: "Null", receives: "", source: `${RESOLVE}: resolveMap` },
  { yaml: '""', receives: "", source: "upstream: pulumi loaders_test.go TestEmptyValueWarning (no warning)" },
  // Timestamps: time.Time, stored as time.Time.String().
  { yaml: "2015-01-01", receives: "2015-01-01 00:00:00 +0000 UTC", source: "upstream: go-yaml decode_test.go (implicit timestamp into interface); object.go unmarshalObject" },
  { yaml: "2015-2-3T3:4:5Z", receives: "2015-02-03 03:04:05 +0000 UTC", source: "upstream: go-yaml decode_test.go (RFC3339 with short dates)" },
  { yaml: "2015-02-24t18:19:39.12Z", receives: "2015-02-24 18:19:39.12 +0000 UTC", source: "upstream: go-yaml decode_test.go (lower case t)" },
  { yaml: "2015-02-24 18:19:39", receives: "2015-02-24 18:19:39 +0000 UTC", source: "upstream: go-yaml decode_test.go (space separated)" },
  { yaml: "2015-02-30", receives: "2015-02-30", source: `${RESOLVE}: time.Parse refuses the day, so text` },
  { yaml: "2015-02-24T18:19:39-05:00", refused: /UTC offset.*local time zone/, source: "the plan: time.Parse gives the local zone when the offsets agree" },
  { yaml: "!!str 2015-01-01", receives: "2015-01-01", source: "upstream: go-yaml decode_test.go (explicit string tag)" },
  { yaml: '!!timestamp "2015-01-01"', receives: "2015-01-01 00:00:00 +0000 UTC", source: "upstream: go-yaml decode_test.go (explicit timestamp tag on quoted string)" },
  // Strings: quoted or block scalars are never resolved (decode.go indicatedString).
  { yaml: '"3"', receives: "3", source: "go-yaml decode.go scalar: indicatedString" },
  { yaml: "'2630.0'", receives: "2630.0", source: "go-yaml decode.go scalar: indicatedString" },
  { yaml: '"true"', receives: "true", source: "upstream: pulumi sdk/go/common/resource/config/testdata/repr/62" },
  { yaml: '"-1"', receives: "-1", source: "upstream: pulumi config testdata/repr/64" },
  { yaml: "|\n    two\n    lines", receives: "two\nlines\n", source: "go-yaml decode.go scalar: indicatedString" },
  { yaml: "11.1.3", receives: "11.1.3", source: `${RESOLVE}: not a number` },
  { yaml: "<<", receives: "<<", source: RESOLVE },
  // Tags.
  { yaml: "!!int 3.5", refused: /cannot decode !!float `3.5` as a !!int/, source: `${RESOLVE}: the deferred tag check` },
  { yaml: "!!bool yes", refused: /cannot decode !!str `yes` as a !!bool/, source: `${RESOLVE}: the deferred tag check` },
  { yaml: "!!float 3", receives: "3", source: `${RESOLVE}: an int is accepted as !!float; ${ROUND_TRIP}` },
  { yaml: '!!int "7"', receives: "7", source: "go-yaml decode.go scalar: a tagged quoted scalar is resolved" },
  { yaml: "!local 3", receives: "3", source: `${RESOLVE}: an unknown tag keeps the text` },
  { yaml: "!!binary aGVsbG8=", receives: "hello", source: "go-yaml decode.go scalar: base64" },
  { yaml: "!!binary aGVsbG8", refused: /invalid base64/, source: "go-yaml decode.go scalar" },
  // Lists and mappings: compact JSON, keys sorted, HTML characters escaped.
  { yaml: "{a: b, c: d}", receives: '{"a":"b","c":"d"}', source: "upstream: pulumi config testdata/repr/9" },
  { yaml: "[{host: example, port: 80}]", receives: '[{"host":"example","port":80}]', source: "upstream: pulumi config testdata/repr/10" },
  { yaml: "{nested: 12321123131}", receives: '{"nested":12321123131}', source: "upstream: pulumi config testdata/repr/1" },
  { yaml: "{nested: 4.2}", receives: '{"nested":4.2}', source: "upstream: pulumi config testdata/repr/4" },
  { yaml: "{inner: -2}", receives: '{"inner":-2}', source: "upstream: pulumi config testdata/repr/28" },
  { yaml: "{inner: '0123456'}", receives: '{"inner":"0123456"}', source: "upstream: pulumi config testdata/repr/45" },
  { yaml: "{z: 1, a: 2, B: 3}", receives: '{"B":3,"a":2,"z":1}', source: `${MARSHAL}: map keys sorted by bytes` },
  { yaml: "{name: 'A & B <c>'}", receives: '{"name":"A \\u0026 B \\u003cc\\u003e"}', source: `${MARSHAL}: json.Marshal escapes HTML` },
  { yaml: "[1.5e300, 3.0, ~, 2015-01-01]", receives: '[1.5e+300,3,null,"2015-01-01 00:00:00 +0000 UTC"]', source: `${ROUND_TRIP}; ${MARSHAL}` },
  { yaml: "[12345678901234567890]", receives: "[12345678901234567000]", source: "pulumi config.Map.Decrypt: object.UnmarshalJSON reads a number beyond int64 as float64" },
  { yaml: "[.inf]", refused: /json: unsupported value/, source: MARSHAL },
  { yaml: "{<<: {a: 1, b: 2}, b: 3}", receives: '{"a":1,"b":3}', source: "go-yaml decode.go merge: the mapping's own keys win" },
  { yaml: "{1: a}", refused: /expected only string keys, got 1/, source: "pulumi sdk/go/common/workspace/project.go SimplifyMarshalledValue" },
  { yaml: "{a: 1, a: 2}", refused: /mapping key "a" already defined/, source: "go-yaml decode.go mapping (uniqueKeys)" },
  // Ciphertext.
  { yaml: "{secure: v1:abc}", receives: WITHHELD, source: "pulumi object.go isSecureValue (the plan withholds it)" },
  { yaml: "{a: {secure: v1:abc}, b: c}", receives: `{"a":"${WITHHELD}","b":"c"}`, source: "pulumi config.Map.Decrypt replaces nested ciphertext" },
  { yaml: "{secure: 3}", receives: '{"secure":3}', source: "pulumi object.go isSecureValue: the value must be a string" },
];

describe("a value in a stack file reaches the program as the Pulumi CLI passes it", () => {
  for (const row of ROWS) {
    it(`${JSON.stringify(row.yaml)} → ${row.refused ? `refused (${row.refused.source})` : JSON.stringify(row.receives)}  [${row.source}]`, () => {
      if (row.refused) expect(() => received(row.yaml)).toThrow(row.refused);
      else expect(received(row.yaml)).toBe(row.receives);
    });
  }

  it("marks encrypted values, nested or not, as secret", () => {
    const { values } = readStackValues("config:\n  stakepool:a:\n    secure: v1:x\n  stakepool:b: [1, {secure: v1:y}]\n  stakepool:c: [1]\n", "stakepool");
    expect([...values].filter(([, v]) => v.secure).map(([k]) => k)).toEqual(["stakepool:a", "stakepool:b"]);
  });

  it("namespaces a bare key with the project, and refuses keys the CLI cannot parse or would pick at random", () => {
    expect([...readStackValues("config:\n  relays: 3\n  aws:region: x\n  stakepool:config:peerCount: 20\n", "stakepool").values.keys()]).toEqual([
      "stakepool:relays",
      "aws:region",
      "stakepool:peerCount",
    ]);
    expect(() => readStackValues("config:\n  a:b:c: 1\n", "stakepool")).toThrow(/could not parse a:b:c as a configuration key/);
    expect(() => readStackValues("config:\n  relays: 3\n  stakepool:relays: 4\n", "stakepool")).toThrow(/same setting, stakepool:relays/);
  });

  it("lists the keys with no value, which the CLI warns about", () => {
    expect(readStackValues("config:\n  stakepool:a:\n  stakepool:b: ~\n  stakepool:c: ''\n", "stakepool").nulls).toEqual(["stakepool:a", "stakepool:b"]);
  });

  it("reads an empty file, or one without config, as no settings", () => {
    for (const text of ["", "# nothing\n", "---\n", "secretsprovider: passphrase\n", "config:\n"]) expect(readStackValues(text, "stakepool").values.size, text).toBe(0);
    expect(() => readStackValues("- a\n", "stakepool")).toThrow(/expected project to be an object/);
    expect(() => readStackValues("config: [a]\n", "stakepool")).toThrow(/config\.Map/);
  });
});

describe("the plan's reader agrees with the rules for generated values", () => {
  /** The rule for a whole number written in decimal, hex, octal or binary, with or without underscores. */
  it("passes a whole number as its decimal digits, in any base the CLI reads", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.constantFrom(10, 16, 8, 2), fc.boolean(), (n, base, underscores) => {
        if (n < 0n && base !== 10) return; // only decimal takes a sign before a prefix here
        let digits = (n < 0n ? -n : n).toString(base);
        if (underscores && digits.length > 1) digits = `${digits[0]}_${digits.slice(1)}`;
        const prefix = { 10: "", 16: "0x", 8: "0o", 2: "0b" }[base];
        expect(received(`${n < 0n ? "-" : ""}${prefix}${digits}`)).toBe(n.toString());
      }),
    );
  });

  /**
   * The rule for a finite float: encoding/json's text, the shortest digits that read back as the same
   * float64, written plainly (zero-padded, so 4.945950817626233e16 is 49459508176262330) below 1e21 and
   * from 1e-6, else with an exponent; that is JavaScript's Number#toString, and -0 arrives as 0 (the round
   * trip writes "-0", which is read back as the int 0). Computed from the number, not from the reader.
   */
  it("passes a float as encoding/json writes it, whichever way it is spelled", () => {
    const expected = (x: number): string => (Object.is(x, -0) ? "0" : String(x));
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom("exp", "fixed"), (x, style) => {
        let text = style === "exp" ? x.toExponential() : String(x);
        if (!/[.eE]/.test(text)) text = `${text}.0`; // make sure it is written as a float
        if (/Infinity/.test(text)) return;
        expect(received(text)).toBe(expected(Number(text)));
      }),
    );
  });

  it("passes any double-quoted string through unchanged", () => {
    fc.assert(
      fc.property(text(), (s) => {
        expect(received(JSON.stringify(s))).toBe(s);
      }),
    );
  });

  it("passes a plain word through unchanged unless it is a number, bool, null or date", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,12}$/), (word) => {
        const special = /^(true|True|TRUE|false|False|FALSE|null|Null|NULL)$/.test(word);
        if (special) expect(received(word)).toBe(word.toLowerCase() === "null" ? "" : word.toLowerCase());
        else expect(received(word)).toBe(word);
      }),
    );
  });

  it("writes a mapping of strings as the same JSON a Go program would, keys and all", () => {
    fc.assert(
      fc.property(fc.dictionary(text({ minLength: 1, maxLength: 8 }), text({ maxLength: 8 }), { maxKeys: 6 }), (dict) => {
        if (Object.keys(dict).join() === "secure") return; // that is ciphertext
        const yaml = `{${Object.entries(dict)
          .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
          .join(", ")}}`;
        const text = received(yaml);
        // Same content; keys in byte order; no raw <, > or &.
        expect(JSON.parse(text)).toEqual(dict);
        const keys = Object.keys(JSON.parse(text) as object);
        expect(keys).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
        expect(text).not.toMatch(/[<>&\u2028\u2029]/);
      }),
    );
  });
});
