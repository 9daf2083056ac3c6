/** node.cert decodes to what cardano-cli put in it; anything else is refused; the pool id follows. */
import { describe, expect, it } from "vitest";
import { Findings } from "../../components/config/problems";
import { decodeOpcert, readOperationalCertificate } from "../../components/keys/opcert";
import { poolIdBech32, poolIdOf } from "../../components/keys/pool-id";
import { cborHexOf, fixtureText } from "../fixtures/paths";

const OPCERT_HEX = cborHexOf("keys/node.opcert");
// Read off the hex by hand: 82 (array 2) 84 (array 4) 5820 <32-byte KES vkey> 00 (counter 0)
// 1903e8 (uint16 1000) 5840 <64-byte signature> 5820 <32-byte cold vkey>.
const KES_VKEY = "6f958f84c7622f1494018dc2b1b4bcb591d1acb364487974d851b5968bbff88a";
const COLD_VKEY = "954e34eaf570563f61696bfb018ca2421d1464bc6ae5177bcde98605ad7da6fe";

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function decodeHex(cborHex: string): { opcert: ReturnType<typeof decodeOpcert>; findings: Findings } {
  const findings = new Findings();
  const opcert = decodeOpcert(Uint8Array.from(Buffer.from(cborHex, "hex")), findings);
  return { opcert, findings };
}

describe("node.opcert", () => {
  it("decodes to counter 0 and start KES period 1000, with its KES and cold verification keys", () => {
    const findings = new Findings();
    const opcert = readOperationalCertificate(fixtureText("keys/node.opcert"), findings);
    expect(findings.problems).toEqual([]);
    expect(opcert?.counter).toBe(0);
    expect(opcert?.startKesPeriod).toBe(1000);
    expect(hex(opcert!.kesVerificationKey)).toBe(KES_VKEY);
    expect(hex(opcert!.coldVerificationKey)).toBe(COLD_VKEY);
    expect(opcert!.coldSignature.length).toBe(64);
  });

  it("names the pool: blake2b-224 of the cold verification key, bech32 with prefix pool", () => {
    // Expected values computed with Python's hashlib.blake2b(digest_size=28) and the BIP-173 reference
    // bech32 encoder (which reproduces Blockfrost's published pair below).
    const id = poolIdOf(Uint8Array.from(Buffer.from(COLD_VKEY, "hex")));
    expect(id.hex).toBe("8181caec9473a444c3fc8fca02e15955dc80608429d30ead56badde8");
    expect(id.bech32).toBe("pool1sxqu4my5wwjyfslu3l9q9c2e2hwgqcyy98fsat2khtw7spu5hm5");
  });

  it("gives the cold.vkey vector's pool id", () => {
    const vkey = Uint8Array.from(Buffer.from(cborHexOf("keys/cold.vkey").slice(4), "hex"));
    expect(poolIdOf(vkey).hex).toBe("c27cf021914a2b3bcb286d3d741979083422378c577fe757702b6988");
    expect(poolIdOf(vkey).bech32).toBe("pool1cf70qgv3fg4nhjegd57hgxtepq6zyduv2al7w4ms9d5csxfaewh");
  });

  it("encodes a pool id as Blockfrost's API documentation publishes it", () => {
    const hash = Uint8Array.from(Buffer.from("0f292fcaa02b8b2f9b3c8f9fd8e0bb21abedb692a6d5058df3ef2735", "hex"));
    expect(poolIdBech32(hash)).toBe("pool1pu5jlj4q9w9jlxeu370a3c9myx47md5j5m2str0naunn2q3lkdy");
  });
});

describe("malformed certificates", () => {
  const body = OPCERT_HEX.slice(2); // without the outer array header
  const cases: [string, string, RegExp][] = [
    ["empty CBOR", "", /not well-formed CBOR/],
    ["truncated CBOR", OPCERT_HEX.slice(0, -10), /not well-formed CBOR/],
    ["trailing bytes", `${OPCERT_HEX}00`, /not well-formed CBOR/],
    ["a byte string", `5820${COLD_VKEY}`, /not a 2-element array/],
    ["a 3-element outer array", `83${body}00`, /not a 2-element array/],
    ["a short KES key", `8284581f${KES_VKEY.slice(2)}${OPCERT_HEX.slice(72)}`, /KES verification key is not a 32-byte string/],
    ["a negative counter", `${OPCERT_HEX.slice(0, 72)}20${OPCERT_HEX.slice(74)}`, /counter is not a whole number/],
    ["a text period", `${OPCERT_HEX.slice(0, 74)}6161${OPCERT_HEX.slice(80)}`, /start KES period is not a whole number/],
    ["a short cold key", `${OPCERT_HEX.slice(0, -68)}581f${COLD_VKEY.slice(2)}`, /cold verification key is not a 32-byte string/],
  ];

  it.each(cases)("refuses %s", (_what, cborHex, expected) => {
    const { opcert, findings } = decodeHex(cborHex);
    expect(opcert).toBeUndefined();
    expect(findings.problems).toHaveLength(1);
    expect(findings.problems[0]!.setting).toBe("stakepool:operationalCertificate");
    expect(findings.problems[0]!.message).toMatch(expected);
  });

  it("reads the CBOR hex positions the cases above rely on", () => {
    expect(OPCERT_HEX.slice(0, 8)).toBe("82845820");
    expect(OPCERT_HEX.slice(72, 80)).toBe("001903e8");
    expect(OPCERT_HEX.slice(-68, -64)).toBe("5820");
  });

  it("names the file instead of the setting when the CLI reads one", () => {
    const findings = new Findings();
    readOperationalCertificate(fixtureText("keys/vrf.skey"), findings, "node.cert");
    expect(findings.problems[0]!.setting).toBe("node.cert");
  });
});
