/**
 * From the declared metadata to the file the pool hosts and the hash it registers: validated, rendered
 * to fixed bytes, size-checked against the 512-byte limit, hashed. The plan writes `bytes` as
 * pool-metadata.json; the registration command takes `hash`.
 */
import type { Findings } from "../config/problems";
import { singleQuote } from "../config/shell";
import { charCount, LIMITS, METADATA_SETTING, type PoolMetadata } from "./fields";
import { metadataHash } from "./hash";
import { renderMetadata } from "./render";
import { validateMetadata } from "./validate";

/** The metadata file, ready to host and to register. */
export interface PoolMetadataFile {
  readonly metadata: PoolMetadata;
  /** The file's text; write it without adding a newline. */
  readonly text: string;
  readonly bytes: Uint8Array;
  /** blake2b-256 of `bytes`, 64 hex digits: `--metadata-hash` of the registration certificate. */
  readonly hash: string;
}

/** Validates, renders, size-checks and hashes the declared metadata; undefined (with problems) if it cannot be published. */
export function buildPoolMetadataFile(raw: unknown, findings: Findings, base: string = METADATA_SETTING): PoolMetadataFile | undefined {
  const metadata = validateMetadata(raw, findings, base);
  if (!metadata) return undefined;
  const { text, bytes } = renderMetadata(metadata);
  if (bytes.length > LIMITS.fileMaxBytes) {
    findings.problem(
      base,
      `makes a ${bytes.length}-byte file; pool metadata is at most ${LIMITS.fileMaxBytes} bytes ` +
        `(the description has ${charCount(metadata.description)} characters, the name ${charCount(metadata.name)})`,
      `shorten the description (or the URLs) by at least ${bytes.length - LIMITS.fileMaxBytes} bytes: ` +
        `pulumi config set --path ${singleQuote(`${base}.description`)} '<shorter text>'`,
    );
    return undefined;
  }
  return { metadata, text, bytes, hash: metadataHash(bytes) };
}
