/** The scanner the plan tests use to prove no key material reached an output. */
import { describe, expect, it } from "vitest";
import { findKeyMaterial, scanForKeyMaterial } from "../../components/keys/scan";
import { cborHexOf, fixtureText } from "../fixtures/paths";

const SECRET_FILES = ["keys/kes.skey", "keys/kes-sum6.skey", "keys/vrf.skey", "keys/cold.skey", "keys/cold.counter"];

/** Text a plan legitimately contains: hashes, public keys, pool ids, addresses, prose. */
const CLEAN_PLAN = [
  "# Plan of stack `preview`",
  "metadata hash: 8241de08075886a7d09c847c9bbd1719459dac0bd0a2f085e673611ebb9a5965",
  "pool id: pool1sxqu4my5wwjyfslu3l9q9c2e2hwgqcyy98fsat2khtw7spu5hm5 (8181caec9473a444c3fc8fca02e15955dc80608429d30ead56badde8)",
  "KES vkey 6f958f84c7622f1494018dc2b1b4bcb591d1acb364487974d851b5968bbff88a",
  "stakepool:kesSigningKey (KesSigningKey_ed25519_kes_2^6): [secret]",
  '{"name":"core","privateIp":"10.30.0.10","ami":"ami-0123456789abcdef0"}',
  "user data sha256 0f292fcaa02b8b2f9b3c8f9fd8e0bb21abedb692a6d5058df3ef27350f292fca",
].join("\n");

describe("findKeyMaterial", () => {
  it("finds nothing in a plan's ordinary content", () => {
    expect(findKeyMaterial(CLEAN_PLAN)).toEqual([]);
  });

  it.each(SECRET_FILES)("finds the whole %s pasted into a plan", (file) => {
    const text = `${CLEAN_PLAN}\ncontent: |\n  ${fixtureText(file).split("\n").join("\n  ")}\n`;
    const hits = scanForKeyMaterial(text);
    expect(hits.map((h) => h.kind)).toEqual(expect.arrayContaining(["signing-key-type", "hex-run"]));
  });

  it.each(SECRET_FILES)("finds the bare cborHex of %s", (file) => {
    const hits = scanForKeyMaterial(`${CLEAN_PLAN}\n${cborHexOf(file)}\n`);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: "hex-run", line: 8, column: 1, length: cborHexOf(file).length });
  });

  it("finds a 32-digit piece of a known secret that is too short to look like a key", () => {
    const piece = cborHexOf("keys/vrf.skey").slice(40, 72);
    expect(findKeyMaterial(`x ${piece} y`)).toEqual([]);
    const hits = scanForKeyMaterial(`x ${piece} y`, { known: [fixtureText("keys/vrf.skey")] });
    expect(hits.map((h) => h.kind)).toEqual(["known-secret"]);
  });

  it("finds a known secret inside base64 (user data, cloud-init b64 files)", () => {
    const b64 = Buffer.from(fixtureText("keys/vrf.skey")).toString("base64");
    const hits = scanForKeyMaterial(`userData: ${b64}`, { known: [fixtureText("keys/vrf.skey")] });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.description).toContain("base64 holding");
    // and without knowing the secret, by its shape
    expect(findKeyMaterial(`userData: ${b64}`)).toHaveLength(1);
  });

  it("finds an escaped envelope inside JSON (resources.json inputs)", () => {
    const escaped = JSON.stringify({ content: '{"type": "VrfSigningKey_PraosVRF", "cborHex": "…"}' });
    expect(scanForKeyMaterial(escaped).map((h) => h.kind)).toEqual(["signing-key-type"]);
  });

  it("finds bech32 signing keys", () => {
    const hits = scanForKeyMaterial("key: kes_sk1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqsxxxxxx");
    expect(hits.map((h) => h.kind)).toEqual(["bech32-signing-key"]);
    expect(hits[0]!.description).toContain("kes_sk1…");
  });

  it("reports positions and never the material itself", () => {
    const secret = cborHexOf("keys/kes-sum6.skey");
    const found = findKeyMaterial(`line one\n  ${secret}`, { known: [secret] });
    expect(found).toEqual([`line 2, column 3: part of a known secret (${secret.length} hex digits)`]);
    expect(found.join("")).not.toMatch(/[0-9a-f]{16}/);
  });
});
