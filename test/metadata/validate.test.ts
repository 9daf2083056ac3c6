/**
 * Pool metadata that passes the kit passes cardano-cli and db-sync (cardano-api limits: name ≤ 50
 * characters, description ≤ 255, ticker 3–5, homepage required, file ≤ 512 bytes) and CIP-6 (ticker of
 * A–Z and 0–9; extDataUrl/extSigUrl ≤ 128 characters; extVkey 68 characters).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Findings } from "../../components/config/problems";
import { buildPoolMetadataFile } from "../../components/metadata/pool-metadata-file";
import { validateMetadata } from "../../components/metadata/validate";
import { cborHexOf } from "../fixtures/paths";
import { NOT_A_POINT_HEX } from "../hostile/cases";

const VALID = { name: "Example Pool", description: "A test pool", ticker: "EXMPL", homepage: "https://example.com" };

function check(raw: unknown): { metadata: ReturnType<typeof validateMetadata>; findings: Findings } {
  const findings = new Findings();
  return { metadata: validateMetadata(raw, findings), findings };
}

function settingsOf(findings: Findings): string[] {
  return findings.problems.map((p) => p.setting);
}

const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("");
const tickerChar = fc.constantFrom(...UPPER_DIGITS);
/** Any single character (code point) that is not A–Z or 0–9. */
const notTickerChar = fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }).filter((c) => !UPPER_DIGITS.includes(c));

describe("a valid declaration", () => {
  it("passes without problems or warnings", () => {
    const { metadata, findings } = check(VALID);
    expect(findings.problems).toEqual([]);
    expect(findings.warnings).toEqual([]);
    expect(metadata).toEqual(VALID);
  });

  it("is also read from its JSON text, as Pulumi hands structured config over", () => {
    expect(check(JSON.stringify(VALID)).metadata).toEqual(VALID);
  });

  it("refuses something that is not an object, naming stakepool:metadata", () => {
    expect(settingsOf(check("not json").findings)).toEqual(["stakepool:metadata"]);
    expect(settingsOf(check([VALID]).findings)).toEqual(["stakepool:metadata"]);
  });
});

describe("ticker", () => {
  it("accepts every 3 to 5 characters of A–Z and 0–9", () => {
    fc.assert(
      fc.property(fc.array(tickerChar, { minLength: 3, maxLength: 5 }), (chars) => {
        expect(check({ ...VALID, ticker: chars.join("") }).findings.problems).toEqual([]);
      }),
    );
  });

  it("refuses any other length", () => {
    fc.assert(
      fc.property(fc.array(tickerChar, { maxLength: 12 }).filter((c) => c.length < 3 || c.length > 5), (chars) => {
        expect(settingsOf(check({ ...VALID, ticker: chars.join("") }).findings)).toEqual(["stakepool:metadata.ticker"]);
      }),
    );
  });

  it("refuses any character outside A–Z and 0–9, lower case included", () => {
    fc.assert(
      fc.property(fc.array(tickerChar, { minLength: 2, maxLength: 4 }), notTickerChar, fc.nat(), (chars, bad, at) => {
        chars.splice(at % (chars.length + 1), 0, bad);
        expect(settingsOf(check({ ...VALID, ticker: chars.join("") }).findings)).toEqual(["stakepool:metadata.ticker"]);
      }),
    );
  });

  it("suggests the upper-case ticker in the fix", () => {
    const { findings } = check({ ...VALID, ticker: "testy" });
    expect(findings.problems[0]!.fix).toBe("pulumi config set --path 'stakepool:metadata.ticker' TESTY");
  });
});

describe("name and description", () => {
  const text = (min: number, max: number) => fc.string({ unit: "grapheme", minLength: min, maxLength: max }).filter((s) => s.trim() !== "");

  it("accepts names of 1 to 50 characters, counted as code points like cardano-api", () => {
    fc.assert(
      fc.property(text(1, 50).filter((s) => [...s].length <= 50), (name) => {
        const { findings } = check({ ...VALID, name });
        expect(findings.problems).toEqual([]);
      }),
    );
    // 50 emoji are 100 UTF-16 units in JavaScript, but 50 characters for cardano-api
    expect(check({ ...VALID, name: "😀".repeat(50) }).findings.problems).toEqual([]);
    expect(settingsOf(check({ ...VALID, name: "😀".repeat(51) }).findings)).toEqual(["stakepool:metadata.name"]);
  });

  it("refuses names over 50 characters and empty names", () => {
    fc.assert(
      fc.property(text(51, 80).filter((s) => [...s].length > 50), (name) => {
        expect(settingsOf(check({ ...VALID, name }).findings)).toEqual(["stakepool:metadata.name"]);
      }),
    );
    expect(settingsOf(check({ ...VALID, name: "" }).findings)).toEqual(["stakepool:metadata.name"]);
  });

  it("accepts descriptions up to 255 characters and refuses longer ones", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (n) => {
        const { findings } = check({ ...VALID, description: "d".repeat(n) });
        expect(settingsOf(findings)).toEqual(n <= 255 ? [] : ["stakepool:metadata.description"]);
      }),
    );
  });
});

describe("homepage and the CIP-6 extension", () => {
  it.each([
    [{ ...VALID, homepage: undefined }, "stakepool:metadata.homepage", "is required"],
    [{ ...VALID, homepage: "example.com" }, "stakepool:metadata.homepage", "absolute http(s) URL"],
    [{ ...VALID, homepage: "ftp://example.com" }, "stakepool:metadata.homepage", "absolute http(s) URL"],
    [{ ...VALID, homepage: 42 }, "stakepool:metadata.homepage", "must be text"],
    [{ ...VALID, homePage: "https://example.com" }, "stakepool:metadata.homePage", "did you mean homepage?"],
    [{ ...VALID, extSigUrl: "https://example.com/s", extDataUrl: "https://example.com/d" }, "stakepool:metadata.extVkey", "is required when"],
    [{ ...VALID, extVkey: `5820${"a".repeat(64)}` }, "stakepool:metadata.extSigUrl", "is required when"],
    [{ ...VALID, extVkey: `5820${"a".repeat(63)}`, extSigUrl: "https://e.com/s", extDataUrl: "https://e.com/d" }, "stakepool:metadata.extVkey", "68 hex digits"],
    [{ ...VALID, extDataUrl: `https://example.com/${"x".repeat(109)}` }, "stakepool:metadata.extDataUrl", "at most 128"],
  ] as const)("refuses %j at %s", (raw, setting, message) => {
    const { metadata, findings } = check(raw);
    expect(metadata).toBeUndefined();
    expect(settingsOf(findings)).toEqual([setting]);
    expect(findings.problems[0]!.message).toContain(message);
  });

  it("accepts a complete CIP-6 extension, an extDataUrl of exactly 128 characters", () => {
    const ext = {
      extDataUrl: `https://example.com/${"x".repeat(108)}`,
      extSigUrl: "https://example.com/ext.sig",
      // A real verification key: cold.vkey's cborHex (test/fixtures/keys).
      extVkey: cborHexOf("keys/cold.vkey"),
    };
    expect(ext.extDataUrl.length).toBe(128);
    const { metadata, findings } = check({ ...VALID, ...ext });
    expect(findings.problems).toEqual([]);
    expect(metadata).toEqual({ ...VALID, ...ext });
  });

  it("refuses an extVkey that cannot be a verification key: another CBOR length, or bytes off the curve", () => {
    const ext = { extDataUrl: "https://example.com/d", extSigUrl: "https://example.com/s" };
    const refused = (extVkey: string) => check({ ...VALID, ...ext, extVkey }).findings.problems.map((p) => p.message);
    expect(refused(`5840${"ab".repeat(32)}`)).toEqual([expect.stringContaining("must start with 5820")]);
    expect(refused(`5820${NOT_A_POINT_HEX}`)).toEqual([expect.stringContaining("not a point of the Ed25519 curve")]);
    // A signing key that happens to be a curve point has the very shape of a verification key: without the
    // operational certificate nothing tells them apart (cold.skey is one; loadPool catches it with the certificate).
    expect(refused(cborHexOf("keys/cold.skey"))).toEqual([]);
  });

  it("warns about a homepage over CIP-6's 64 characters, which cardano-api accepts", () => {
    const homepage = `https://example.com/${"p".repeat(45)}`;
    const { metadata, findings } = check({ ...VALID, homepage });
    expect(metadata).toBeDefined();
    expect(findings.warnings.map((w) => w.setting)).toEqual(["stakepool:metadata.homepage"]);
  });
});

describe("the 512-byte file limit", () => {
  it("holds for the rendered file, counted in UTF-8 bytes", () => {
    // 255 × "é" is within the 255-character limit but 510 bytes of UTF-8: the file cannot fit in 512.
    const findings = new Findings();
    expect(buildPoolMetadataFile({ ...VALID, description: "é".repeat(255) }, findings)).toBeUndefined();
    expect(settingsOf(findings)).toEqual(["stakepool:metadata"]);
    expect(findings.problems[0]!.message).toMatch(/^makes a \d+-byte file; pool metadata is at most 512 bytes/);
  });

  it("accepts a file exactly when it is at most 512 bytes, and the file reads back as declared", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 255 }).filter((d) => [...d].length <= 255), (description) => {
        const findings = new Findings();
        const file = buildPoolMetadataFile({ ...VALID, description }, findings);
        const size = Buffer.byteLength(JSON.stringify({ ...VALID, description }), "utf8");
        expect(file !== undefined).toBe(size <= 512);
        if (file) {
          expect(file.bytes.length).toBeLessThanOrEqual(512);
          expect(JSON.parse(Buffer.from(file.bytes).toString("utf8"))).toEqual({ ...VALID, description });
        }
      }),
    );
  });
});
