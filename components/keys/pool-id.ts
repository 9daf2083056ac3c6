/**
 * The pool id, derived from the cold verification key that the operational certificate carries, so
 * the plan and the rotation runbook can name the pool without ever seeing the cold signing key.
 * Pool id = blake2b-224 of the 32-byte cold verification key (the ledger's key hash); its bech32 form
 * uses the prefix "pool" (CIP-5).
 */
import { blake2b } from "@noble/hashes/blake2b";
import { bech32 } from "bech32";

/** A pool id in the two forms operators meet. */
export interface PoolId {
  /** 56 hex digits, as `cardano-cli stake-pool id --output-format hex` prints it. */
  readonly hex: string;
  /** `pool1…`, as explorers and `cardano-cli stake-pool id` print it. */
  readonly bech32: string;
}

/** Encodes a 28-byte key hash as a bech32 pool id. */
export function poolIdBech32(keyHash: Uint8Array): string {
  if (keyHash.length !== 28) throw new RangeError(`a pool id is a 28-byte key hash, got ${keyHash.length} bytes`);
  return bech32.encode("pool", bech32.toWords(keyHash));
}

/** The pool id of a 32-byte cold verification key. */
export function poolIdOf(coldVerificationKey: Uint8Array): PoolId {
  if (coldVerificationKey.length !== 32) {
    throw new RangeError(`a cold verification key is 32 bytes, got ${coldVerificationKey.length}`);
  }
  const hash = blake2b(coldVerificationKey, { dkLen: 28 });
  return { hex: Buffer.from(hash).toString("hex"), bech32: poolIdBech32(hash) };
}
