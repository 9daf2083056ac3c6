/**
 * The exact bytes of the metadata file. The chain stores their blake2b-256, and one byte of difference
 * (a space, a reordered key, a trailing newline) makes wallets and db-sync reject the file, so the
 * rendering is fixed:
 * - fields in FIELD_ORDER (name, description, ticker, homepage, extDataUrl, extSigUrl, extVkey), optional
 *   ones only when set;
 * - compact JSON (`JSON.stringify` without indentation: no spaces, no line breaks), which keeps the
 *   most room under the 512-byte limit;
 * - non-ASCII characters written as UTF-8, not escaped; strings escaped as JSON.stringify does;
 * - no trailing newline: the file ends with `}`. Hosting must serve these bytes unchanged (an editor
 *   that adds a final newline changes the hash).
 */
import { FIELD_ORDER, type PoolMetadata } from "./fields";

/** The file as text and as the bytes to host. */
export interface RenderedMetadata {
  /** The file's text. */
  readonly text: string;
  /** The file's bytes (UTF-8 of `text`): what is hosted and hashed. */
  readonly bytes: Uint8Array;
}

/** Renders validated metadata to the kit's fixed byte form (see the file comment). */
export function renderMetadata(metadata: PoolMetadata): RenderedMetadata {
  const ordered: Record<string, string> = {};
  for (const field of FIELD_ORDER) {
    const value = metadata[field];
    if (value !== undefined) ordered[field] = value;
  }
  const text = JSON.stringify(ordered);
  return { text, bytes: new Uint8Array(Buffer.from(text, "utf8")) };
}
