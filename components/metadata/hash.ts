/**
 * The metadata hash the registration certificate carries: blake2b-256 of the file's exact bytes (as
 * `cardano-cli stake-pool metadata-hash` computes it), never of re-serialised JSON.
 */
import { blake2b } from "@noble/hashes/blake2b";

/** 64 lower-case hex digits. */
export function metadataHash(bytes: Uint8Array): string {
  return Buffer.from(blake2b(bytes, { dkLen: 32 })).toString("hex");
}
