/**
 * A cold signing key caught by what it is, not by its label. A stake pool cold signing key is an
 * Ed25519 seed: 32 bytes, written as 64 hex digits or as the cborHex `5820…` of its envelope (the same
 * shape as a verification key's). Pasted without its envelope, nothing in the text says "signing key";
 * but the operational certificate names the pool's cold verification key, and a seed whose Ed25519
 * public key (RFC 8032 §5.1.5, as cardano-crypto-class Ed25519DSIGN derives it) equals that key IS the
 * cold signing key. Every 32-byte value in every setting is checked against it.
 *
 * Without a certificate, a 32-byte signing key cannot be told from a verification key by its bytes or
 * its CBOR (both `5820` and 32 bytes): only where a verification key is expected (metadata.extVkey) are
 * bytes that are not a point of the curve refused: they are no verification key, and about half of all
 * signing keys are such bytes.
 *
 * The library: @noble/curves (audited; the sibling of the @noble/hashes the kit already uses).
 */
import { ed25519 } from "@noble/curves/ed25519";

/** More 32-byte candidates than any setting holds; a value with more is checked up to this many. */
const MAX_CANDIDATES = 512;

/**
 * The 32-byte values written in `text`, as lower-case hex: every run of exactly 64 hex digits, every
 * `5820` CBOR header followed by 64 hex digits (inside longer runs too: a cborHex pasted into other
 * hex), each bounded by the text's other characters.
 */
export function thirtyTwoByteValues(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/[0-9a-fA-F]+/g)) {
    const run = match[0].toLowerCase();
    if (run.length === 64) found.add(run);
    for (let at = run.indexOf("5820"); at !== -1 && found.size < MAX_CANDIDATES; at = run.indexOf("5820", at + 1)) {
      if (at + 68 <= run.length) found.add(run.slice(at + 4, at + 68));
    }
    if (found.size >= MAX_CANDIDATES) break;
  }
  return [...found];
}

/** The Ed25519 public key of a 32-byte seed. */
export function publicKeyOfSeed(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** Whether 32 bytes decode as a point of the Ed25519 curve (RFC 8032 §5.1.3): what every verification key is. */
export function isCurvePoint(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  try {
    ed25519.Point.fromHex(bytes);
    return true;
  } catch {
    return false;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The hex of every value in `text` that is the signing key of `coldVerificationKey`. */
export function coldSeedsIn(text: string, coldVerificationKey: Uint8Array): string[] {
  return thirtyTwoByteValues(text).filter((hex) => sameBytes(publicKeyOfSeed(Buffer.from(hex, "hex")), coldVerificationKey));
}

/**
 * Where in a config value (`setting`) a value sits: for a mapping or a list (JSON), the path of each
 * string in it (`stakepool:metadata.extVkey`, `stakepool:extraPeers[0]`); otherwise the setting.
 */
export function stringsOf(setting: string, value: string, structured: boolean): Array<{ setting: string; text: string }> {
  if (!structured) return [{ setting, text: value }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [{ setting, text: value }];
  }
  const out: Array<{ setting: string; text: string }> = [];
  const visit = (at: string, v: unknown) => {
    if (typeof v === "string") out.push({ setting: at, text: v });
    else if (Array.isArray(v)) v.forEach((item, i) => visit(`${at}[${i}]`, item));
    else if (typeof v === "object" && v !== null) {
      for (const [key, item] of Object.entries(v)) {
        out.push({ setting: `${at}.${key}`, text: key });
        visit(`${at}.${key}`, item);
      }
    } else out.push({ setting: at, text: String(v) });
  };
  visit(setting, parsed);
  return out;
}
