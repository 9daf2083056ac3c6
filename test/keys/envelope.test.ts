/** Hot keys reach the kit as cardano-cli text envelopes; cold material and wrong files never pass. */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Findings, type Problem } from "../../components/config/problems";
import { refuseColdMaterialInConfig } from "../../components/keys/cold";
import { parseEnvelope } from "../../components/keys/envelope";
import { HOT_KEYS, type HotKeyName } from "../../components/keys/envelope-types";
import { cborHexOf, fixtureText } from "../fixtures/paths";

const HOT: readonly HotKeyName[] = ["kesSigningKey", "vrfSigningKey", "operationalCertificate"];

function parse(name: HotKeyName, text: string): { envelope: ReturnType<typeof parseEnvelope>; problems: Problem[] } {
  const findings = new Findings();
  const envelope = parseEnvelope(name, text, findings);
  return { envelope, problems: findings.problems };
}

function envelopeText(type: string, cborHex: string): string {
  return JSON.stringify({ type, description: "", cborHex }, null, 4);
}

/** CBOR byte string header + bytes, written out by hand (RFC 8949 major type 2). */
function cborBytesHex(bytes: Uint8Array): string {
  const n = bytes.length;
  const head = n < 24 ? [0x40 + n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 0xff];
  return Buffer.from([...head, ...bytes]).toString("hex");
}

/** Every 16-digit piece of a secret's hex: none may appear in a message. */
function pieces(hex: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 16 <= hex.length; i += 8) out.push(hex.slice(i, i + 16).toLowerCase());
  return out;
}

function expectNoMaterial(problems: readonly Problem[], secretHex: string): void {
  const text = problems.map((p) => `${p.message} ${p.fix}`).join("\n").toLowerCase();
  for (const piece of pieces(secretHex)) expect(text).not.toContain(piece);
}

describe("accepted hot keys", () => {
  it("takes vrf.skey as the core's VRF key: a 64-byte Praos VRF signing key", () => {
    const { envelope, problems } = parse("vrfSigningKey", fixtureText("keys/vrf.skey"));
    expect(problems).toEqual([]);
    expect(envelope?.type).toBe("VrfSigningKey_PraosVRF");
    expect(envelope?.keyBytes?.length).toBe(64);
  });

  it("takes a 608-byte Sum6 KES signing key", () => {
    const { envelope, problems } = parse("kesSigningKey", fixtureText("keys/kes-sum6.skey"));
    expect(problems).toEqual([]);
    expect(envelope?.keyBytes?.length).toBe(608);
  });

  it("takes node.opcert as the operational certificate", () => {
    const { envelope, problems } = parse("operationalCertificate", fixtureText("keys/node.opcert"));
    expect(problems).toEqual([]);
    expect(envelope?.type).toBe("NodeOperationalCertificate");
  });

  it("never shows the key material when serialised or inspected", () => {
    const { envelope } = parse("vrfSigningKey", fixtureText("keys/vrf.skey"));
    const secret = cborHexOf("keys/vrf.skey").slice(4);
    const shown = `${JSON.stringify(envelope)}\n${inspect(envelope, { depth: 5, showHidden: true })}`;
    for (const piece of pieces(secret)) expect(shown).not.toContain(piece);
    expect(shown).toContain("VrfSigningKey_PraosVRF");
  });
});

describe("the legacy kes.skey vector", () => {
  it("is refused: 704 bytes is the old 2^7 layout that today's node cannot read", () => {
    const { envelope, problems } = parse("kesSigningKey", fixtureText("keys/kes.skey"));
    expect(envelope).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.setting).toBe("stakepool:kesSigningKey");
    expect(problems[0]!.message).toContain("704-byte key");
    expect(problems[0]!.message).toContain("608 bytes");
    expect(problems[0]!.fix).toContain("cardano-cli node key-gen-KES");
    expectNoMaterial(problems, cborHexOf("keys/kes.skey"));
  });
});

describe.each(HOT)("cold material given as %s", (name) => {
  const setting = HOT_KEYS[name].setting;

  it.each(["keys/cold.skey", "keys/cold.counter"])("refuses %s, saying it stays on the offline machine", (file) => {
    const { envelope, problems } = parse(name, fixtureText(file));
    expect(envelope).toBeUndefined();
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p!.setting).toBe(setting);
    expect(p!.message).toContain("must stay on the offline machine");
    expect(p!.message).toContain("treated as exposed");
    expect(p!.fix).toContain(`pulumi config rm ${setting}`);
    expect(p!.fix).toContain("history of the stack file");
    expectNoMaterial(problems, cborHexOf(file));
  });

  it.each([
    "StakePoolExtendedSigningKey_ed25519_bip32",
    "GenesisDelegateSigningKey_ed25519",
    "GenesisDelegateExtendedSigningKey_ed25519_bip32",
  ])("refuses the cold signing key type %s", (type) => {
    const { problems } = parse(name, envelopeText(type, `5840${"ab".repeat(64)}`));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining("must stay on the offline machine")]);
    expect(problems[0]!.message).toContain(type);
  });

  it("refuses a bech32 cold key (node key-gen --key-output-bech32)", () => {
    const { problems } = parse(name, "pool_sk1q9x3vhzcvzkpzw6wpz7q8n4m3qvd2fhqlsrq7dwd3cdqhqmpkz0qsz9l8nq");
    expect(problems[0]!.message).toContain("must stay on the offline machine");
    expect(problems[0]!.message).not.toContain("q9x3vhzcvzkp");
  });
});

describe("cold material under any setting", () => {
  it("is found in every config value, known setting or not", () => {
    const findings = new Findings();
    const count = refuseColdMaterialInConfig(
      {
        "stakepool:network": "preview",
        "stakepool:myColdKey": fixtureText("keys/cold.skey"),
        "stakepool:metadata": JSON.stringify({ description: fixtureText("keys/cold.counter") }),
        "aws:region": "us-east-2",
      },
      findings,
    );
    expect(count).toBe(2);
    expect(findings.problems.map((p) => p.setting)).toEqual(["stakepool:metadata", "stakepool:myColdKey"]);
    expect(findings.problems.every((p) => p.message.includes("offline machine"))).toBe(true);
  });
});

describe("wrong files", () => {
  it("names the setting a hot key belongs in when it is given in another one", () => {
    const { problems } = parse("kesSigningKey", fixtureText("keys/vrf.skey"));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain("KesSigningKey_ed25519_kes_2^6");
    expect(problems[0]!.message).toContain("belongs in stakepool:vrfSigningKey");
  });

  it("names the expected type for a verification key", () => {
    const { problems } = parse("operationalCertificate", fixtureText("keys/cold.vkey"));
    expect(problems[0]!.message).toContain('"NodeOperationalCertificate"');
    expect(problems[0]!.message).toContain('"StakePoolVerificationKey_ed25519"');
  });

  it("warns that another signing key is exposed too", () => {
    const { problems } = parse("vrfSigningKey", envelopeText("PaymentSigningKeyShelley_ed25519", `5820${"11".repeat(32)}`));
    expect(problems[0]!.message).toContain('"VrfSigningKey_PraosVRF"');
    expect(problems[0]!.message).toContain("treat it as exposed");
  });

  it("does not echo a type field that could hold anything", () => {
    const secret = "ab".repeat(40);
    const { problems } = parse("vrfSigningKey", envelopeText(secret, "00"));
    expect(problems[0]!.message).toContain("an unrecognised type");
    expectNoMaterial(problems, secret);
  });
});

describe("malformed and truncated envelopes", () => {
  const vrf = fixtureText("keys/vrf.skey");
  const vrfHex = cborHexOf("keys/vrf.skey");
  const kesHex = cborHexOf("keys/kes-sum6.skey");
  const cases: [string, HotKeyName, string, RegExp][] = [
    ["an empty value", "vrfSigningKey", "  \n", /is empty/],
    ["a file cut in half", "vrfSigningKey", vrf.slice(0, Math.floor(vrf.length / 2)), /not a cardano-cli text envelope/],
    ["bare hex instead of the file", "vrfSigningKey", vrfHex, /bare hex/],
    ["a bech32 hot key", "kesSigningKey", "kes_sk1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqsxxxxxx", /bech32/],
    ["a JSON array", "vrfSigningKey", "[1,2]", /not a text envelope/],
    ["a missing cborHex", "vrfSigningKey", JSON.stringify({ type: "VrfSigningKey_PraosVRF" }), /"cborHex" must both be strings/],
    ["an odd number of hex digits", "vrfSigningKey", envelopeText("VrfSigningKey_PraosVRF", vrfHex.slice(0, -1)), /not an even number of hexadecimal digits/],
    ["non-hex digits", "vrfSigningKey", envelopeText("VrfSigningKey_PraosVRF", `${vrfHex.slice(0, -2)}zz`), /not an even number of hexadecimal digits/],
    ["a truncated cborHex", "kesSigningKey", envelopeText("KesSigningKey_ed25519_kes_2^6", kesHex.slice(0, -4)), /not one well-formed CBOR item/],
    ["bytes after the key", "vrfSigningKey", envelopeText("VrfSigningKey_PraosVRF", `${vrfHex}00`), /not one well-formed CBOR item/],
    ["a CBOR array instead of a byte string", "vrfSigningKey", envelopeText("VrfSigningKey_PraosVRF", "820102"), /not a CBOR byte string/],
    ["an opcert whose hex is not CBOR", "operationalCertificate", envelopeText("NodeOperationalCertificate", "8284"), /not one well-formed CBOR item/],
  ];

  it.each(cases)("refuses %s, naming the setting", (_what, name, text, expected) => {
    const { envelope, problems } = parse(name, text);
    expect(envelope).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.setting).toBe(HOT_KEYS[name].setting);
    expect(problems[0]!.message).toMatch(expected);
    expect(problems[0]!.fix).toContain(`pulumi config set --secret ${HOT_KEYS[name].setting} < ${HOT_KEYS[name].file}`);
    expectNoMaterial(problems, vrfHex.slice(4));
    expectNoMaterial(problems, kesHex.slice(6));
  });

  it("accepts a VRF key exactly when its byte string is 64 bytes long", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 700 }), (bytes) => {
        const { envelope, problems } = parse("vrfSigningKey", envelopeText("VrfSigningKey_PraosVRF", cborBytesHex(bytes)));
        expect(envelope !== undefined).toBe(bytes.length === 64);
        expect(problems.length === 0).toBe(bytes.length === 64);
      }),
    );
  });

  it("accepts a KES key exactly when its byte string is 608 bytes long", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), (length) => {
        const { envelope } = parse("kesSigningKey", envelopeText("KesSigningKey_ed25519_kes_2^6", cborBytesHex(new Uint8Array(length).fill(7))));
        expect(envelope !== undefined).toBe(length === 608);
      }),
      { numRuns: 200 },
    );
  });
});
