/**
 * A cold signing key is recognised by what it is: 32 bytes whose Ed25519 public key is the pool's cold
 * verification key. The derivation is checked against RFC 8032's test vector and against OpenSSL (an
 * independent implementation); the curve-point test against a decompression written out here.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coldVerificationKeyOf } from "../../components/keys/opcert";
import { coldSeedsIn, isCurvePoint, publicKeyOfSeed, stringsOf, thirtyTwoByteValues } from "../../components/keys/cold-seed";
import { cborHexOf } from "../fixtures/paths";
import { COLD_SEED_HEX, COLD_VKEY_OF_SKEY, ed25519PublicKeyOf, opcertOfColdSkey } from "../helpers/cold";
import { NOT_A_POINT_HEX } from "../hostile/cases";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

/** RFC 8032 §5.1.3 decoding, written out: whether 32 little-endian bytes are a point's encoding. */
function decodesAsPoint(encoded: Uint8Array): boolean {
  const p = 2n ** 255n - 19n;
  const pow = (b: bigint, e: bigint): bigint => {
    let r = 1n;
    for (b %= p; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) r = (r * b) % p;
    return r;
  };
  const value = [...encoded].reverse().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  const y = value & (2n ** 255n - 1n);
  const sign = value >> 255n;
  if (y >= p) return false;
  const d = (((-121665n % p) + p) % p) * pow(121666n, p - 2n) % p;
  const x2 = (((y * y - 1n) % p) + p) % p * pow((d * y * y + 1n) % p, p - 2n) % p;
  if (x2 === 0n) return sign === 0n;
  return pow(x2, (p - 1n) / 2n) === 1n;
}

describe("the Ed25519 public key of a seed", () => {
  it("matches RFC 8032's first test vector", () => {
    const seed = bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    expect(hex(publicKeyOfSeed(seed))).toBe("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    expect(hex(ed25519PublicKeyOf(seed))).toBe("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  });

  it("is what OpenSSL derives, for cold.skey and for any seed", () => {
    expect(hex(publicKeyOfSeed(bytes(COLD_SEED_HEX)))).toBe(hex(COLD_VKEY_OF_SKEY));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        expect(hex(publicKeyOfSeed(seed))).toBe(hex(ed25519PublicKeyOf(seed)));
      }),
      { numRuns: 50 },
    );
  });
});

describe("curve points", () => {
  it("agree with the decoding written out, for any 32 bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => {
        expect(isCurvePoint(b)).toBe(decodesAsPoint(b));
      }),
      { numRuns: 300 },
    );
  });

  it("every verification key is one; the test's 'not a point' is none", () => {
    expect(isCurvePoint(bytes(cborHexOf("keys/cold.vkey").slice(4)))).toBe(true);
    expect(isCurvePoint(COLD_VKEY_OF_SKEY)).toBe(true);
    expect(isCurvePoint(bytes(NOT_A_POINT_HEX))).toBe(false);
    expect(decodesAsPoint(bytes(NOT_A_POINT_HEX))).toBe(false);
  });
});

describe("finding the cold key in text", () => {
  const cbor = `5820${COLD_SEED_HEX}`;

  it("finds it bare, as cborHex, in any case, inside other text or other hex, and only 32-byte values", () => {
    for (const text of [COLD_SEED_HEX, cbor, COLD_SEED_HEX.toUpperCase(), `seed=${COLD_SEED_HEX};`, `ffff${cbor}00`, `{"cborHex":"${cbor}"}`]) {
      expect(coldSeedsIn(text, COLD_VKEY_OF_SKEY), text).toEqual([COLD_SEED_HEX]);
    }
    for (const text of [COLD_SEED_HEX.slice(1), `${COLD_SEED_HEX}0`, cborHexOf("keys/cold.vkey"), ""]) {
      expect(coldSeedsIn(text, COLD_VKEY_OF_SKEY), text).toEqual([]);
    }
  });

  it("never mistakes another 32-byte value for it", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => {
        expect(coldSeedsIn(hex(b), COLD_VKEY_OF_SKEY)).toEqual(hex(b) === COLD_SEED_HEX ? [COLD_SEED_HEX] : []);
      }),
      { numRuns: 50 },
    );
  });

  it("bounds the work on a long run of hex", () => {
    const start = Date.now();
    expect(thirtyTwoByteValues("5820".repeat(100_000)).length).toBeLessThanOrEqual(512);
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it("reads the cold key from the certificate, and names each string of a mapping or list by its path", () => {
    expect(hex(coldVerificationKeyOf(opcertOfColdSkey(992))!)).toBe(hex(COLD_VKEY_OF_SKEY));
    expect(coldVerificationKeyOf("not a certificate")).toBeUndefined();
    expect(stringsOf("stakepool:metadata", JSON.stringify({ name: "x", ext: ["a"] }), true)).toEqual([
      { setting: "stakepool:metadata.name", text: "name" },
      { setting: "stakepool:metadata.name", text: "x" },
      { setting: "stakepool:metadata.ext", text: "ext" },
      { setting: "stakepool:metadata.ext[0]", text: "a" },
    ]);
  });
});
