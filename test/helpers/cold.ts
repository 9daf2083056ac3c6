/**
 * The cold signing key of test/fixtures/keys/cold.skey as the bare values an operator might paste, and
 * its verification key derived with Node's own Ed25519 (OpenSSL), independently of the kit's library.
 * cold.skey and cold.vkey in the fixtures are NOT a pair (cold.vkey is another key's), so a certificate
 * whose cold key is cold.skey's is built here.
 */
import crypto from "node:crypto";
import { fixtureText } from "../fixtures/paths";
import { opcertFor } from "./hot-keys";

/** cold.skey's cborHex: `5820` and the 32-byte seed. */
export const COLD_SKEY_CBOR_HEX = (JSON.parse(fixtureText("keys/cold.skey")) as { cborHex: string }).cborHex;
/** The 32-byte seed alone, as 64 hex digits. */
export const COLD_SEED_HEX = COLD_SKEY_CBOR_HEX.slice(4);

/** RFC 8032 Ed25519: the public key of a 32-byte seed, by OpenSSL (a PKCS#8 wrapper around the seed). */
export function ed25519PublicKeyOf(seed: Uint8Array): Uint8Array {
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed)]);
  const spki = crypto.createPublicKey(crypto.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "der", type: "spki" });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** cold.skey's verification key. */
export const COLD_VKEY_OF_SKEY = ed25519PublicKeyOf(Buffer.from(COLD_SEED_HEX, "hex"));

/** An operational certificate (for the test KES key) issued by cold.skey. */
export function opcertOfColdSkey(startKesPeriod: number, counter = 0): string {
  return opcertFor(startKesPeriod, counter, COLD_VKEY_OF_SKEY);
}
