/**
 * What goes on chain with the registration: the metadata URL (https, ≤ 64 ASCII bytes for hardware
 * wallets by default, never above the ledger's 128) and relay DNS names (≤ 64 bytes, hostnames).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Findings } from "../../components/config/problems";
import { checkRelayDnsName, relayDnsNameError } from "../../components/metadata/relay-dns";
import { checkMetadataUrl, parseWebUrl, urlCharacterError } from "../../components/metadata/url";

const SETTING = "stakepool:metadataUrl";

function urlProblems(url: string, maxBytes?: number): Findings {
  const findings = new Findings();
  checkMetadataUrl(url, SETTING, findings, maxBytes === undefined ? {} : { maxBytes });
  return findings;
}

/** An https URL of exactly `length` bytes: "https://example.com/" is 20. */
function urlOfLength(length: number): string {
  return `https://example.com/${"a".repeat(length - 20)}`;
}

describe("checkMetadataUrl", () => {
  it("accepts https URLs up to 64 bytes by default and refuses longer ones, naming the setting", () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 200 }), (length) => {
        const findings = urlProblems(urlOfLength(length));
        expect(findings.problems.map((p) => p.setting)).toEqual(length <= 64 ? [] : [SETTING]);
        if (length > 64) expect(findings.problems[0]!.message).toContain("hardware wallets");
      }),
    );
  });

  it("accepts up to 128 bytes when the caller allows it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 200 }), (length) => {
        expect(urlProblems(urlOfLength(length), 128).problems.length === 0).toBe(length <= 128);
      }),
    );
  });

  it("never allows a limit above the ledger's 128 bytes", () => {
    expect(() => urlProblems(urlOfLength(30), 129)).toThrow(RangeError);
  });

  it.each([
    ["http://example.com/pool.json", "must use https"],
    ["example.com/pool.json", "not an absolute https URL"],
    ["https://user:pw@example.com/p.json", "not an absolute https URL"],
    ["https://example.com/poöl.json", "ASCII"],
    ["https://example.com/my pool.json", "ASCII"],
    ["", "is empty"],
  ])("refuses %j", (url, message) => {
    const findings = urlProblems(url);
    expect(findings.problems).toHaveLength(1);
    expect(findings.problems[0]!.setting).toBe(SETTING);
    expect(findings.problems[0]!.message).toContain(message);
  });
});

describe("the characters of a published URL", () => {
  const allowed = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@%=&+,");

  it("refuses every other character, naming it and its percent-escape", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 3 }), fc.string({ unit: "grapheme-ascii", maxLength: 3 }), (a, b) => {
        const url = `https://example.com/${a}${b}`.replace(/%/g, "%25");
        const bad = [...`${a}${b}`].find((c) => !allowed.has(c));
        const error = urlCharacterError(url);
        expect(error === undefined).toBe(bad === undefined);
        if (bad !== undefined && bad.codePointAt(0)! < 0x80) expect(error).toContain(`%${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(2, "0")}`);
      }),
    );
  });

  it.each([
    ["https://e.io/$(touch${IFS}pwned)", '$ (U+0024)'],
    ["https://e.io/a;b", '; (U+003B)'],
    ["https://e.io/`id`", '` (U+0060)'],
    ["https://e.io/a'b", "' (U+0027)"],
    ['https://e.io/"><script>', '(U+0022)'],
    ["https://e.io/{a,b}", '{ (U+007B)'],
    ["https://e.io/a%zz", "percent-escape"],
    ["javascript:alert(1)", '( (U+0028)'],
  ])("refuses %j as a metadata URL, saying why", (url, says) => {
    const findings = urlProblems(url);
    expect(findings.problems.map((p) => p.setting)).toEqual([SETTING]);
    expect(findings.problems[0]!.message).toContain(says);
  });

  it("accepts query strings, fragments, escapes, punycode and IPv4 hosts", () => {
    for (const url of ["https://e.io/p.json?a=1&b=2", "https://e.io/p#x", "https://e.io/a%24.json", "https://xn--bcher-kva.example/p", "https://203.0.113.7/p.json"]) {
      expect(urlProblems(url).problems, url).toEqual([]);
    }
    expect(parseWebUrl("https://[2001:db8::1]/p")).toBeUndefined();
  });
});

describe("relay DNS names", () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);

  it("accepts hostnames of at most 64 bytes and refuses longer ones", () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 8 }), fc.constantFrom("com", "io", "org"), (labels, tld) => {
        const name = [...labels, tld].join(".");
        expect(relayDnsNameError(name) === undefined).toBe(name.length <= 64);
      }),
    );
    const exactly64 = `${"r".repeat(60)}.com`;
    expect(relayDnsNameError(exactly64)).toBeUndefined();
    expect(relayDnsNameError(`r${exactly64}`)).toContain("65 bytes");
  });

  it.each([
    ["203.0.113.7", "IP address"],
    ["2001:db8::1", "IP address"],
    ["relay1", "single label"],
    ["relay1.example.com.", "ends with a dot"],
    ["-relay.example.com", "invalid label"],
    ["relay_1.example.com", "invalid label"],
    [`${"a".repeat(64)}.io`, "67 bytes"], // 64 + "." + 2
    ["relay.example.123", "numeric label"],
    ["rélay.example.com", "ASCII"],
  ])("refuses %j", (name, message) => {
    expect(relayDnsNameError(name)).toContain(message);
  });

  it("allows the _service._proto labels of an SRV name only for multi-host relays", () => {
    expect(relayDnsNameError("_cardano._tcp.example.com", { srv: true })).toBeUndefined();
    expect(relayDnsNameError("_cardano._tcp.example.com")).toContain("invalid label");
  });

  it("records the problem under the given setting", () => {
    const findings = new Findings();
    expect(checkRelayDnsName("relay1", "stakepool:relayDnsNames[0]", findings)).toBe(false);
    expect(findings.problems[0]!.setting).toBe("stakepool:relayDnsNames[0]");
  });
});
