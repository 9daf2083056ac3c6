/**
 * The verification key of a KES signing key, so the kit can check that node.cert vouches for the
 * kes.skey it is deployed with, before deploying: cardano-node checks the same at startup
 * (`opCertKesKeyCheck` in Cardano.Node.Protocol.Shelley) and refuses to start with a mismatched pair.
 *
 * A SumKES signing key ends with its two children's verification keys (vk0 ‖ vk1, 32 bytes each) and
 * its own verification key is blake2b-256(vk0 ‖ vk1) (cardano-base `Cardano.Crypto.KES.Sum`). The node
 * never rewrites the key file, and evolving the key in memory keeps vk0 and vk1, so this holds for any
 * kes.skey a node was given.
 */
import { blake2b } from "@noble/hashes/blake2b";
import { KES_SUM6_SIGNING_KEY_BYTES } from "./envelope-types";

/** The KES verification key (32 bytes) of a 608-byte Sum6 KES signing key. */
export function kesVerificationKeyOf(signingKey: Uint8Array): Uint8Array {
  if (signingKey.length !== KES_SUM6_SIGNING_KEY_BYTES) {
    throw new RangeError(`a Sum6 KES signing key is ${KES_SUM6_SIGNING_KEY_BYTES} bytes, got ${signingKey.length}`);
  }
  return blake2b(signingKey.subarray(signingKey.length - 64), { dkLen: 32 });
}

/** Byte-wise equality, for comparing keys. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
