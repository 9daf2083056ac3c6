/**
 * The pool metadata file's fields and their limits.
 *
 * Sources: cardano-api `StakePoolMetadata` (name ≤ 50 characters, description ≤ 255, ticker 3–5,
 * homepage required, whole file ≤ 512 bytes — what `cardano-cli stake-pool metadata-hash` and db-sync
 * enforce), CIP-6 (ticker of upper-case letters and digits; the optional `extDataUrl`, `extSigUrl`
 * ≤ 128 characters and valid URLs, `extVkey` 68 characters; homepage ≤ 64 characters).
 * "Characters" are Unicode code points, as Haskell's `Text.length` counts them.
 */

export const METADATA_SETTING = "stakepool:metadata";

/** The file as the kit writes it. Optional CIP-6 fields are absent, never empty. */
export interface PoolMetadata {
  readonly name: string;
  readonly description: string;
  readonly ticker: string;
  readonly homepage: string;
  readonly extDataUrl?: string;
  readonly extSigUrl?: string;
  readonly extVkey?: string;
}

/** A field of the metadata file. */
export type MetadataField = keyof PoolMetadata;

/** The order fields are written in: cardano-api's record order, then CIP-6's additions. */
export const FIELD_ORDER: readonly MetadataField[] = [
  "name",
  "description",
  "ticker",
  "homepage",
  "extDataUrl",
  "extSigUrl",
  "extVkey",
];

/** The limits of the sources above, in characters (code points) unless named bytes. */
export const LIMITS = {
  nameMaxChars: 50,
  descriptionMaxChars: 255,
  tickerMinChars: 3,
  tickerMaxChars: 5,
  /** CIP-6; cardano-api sets no limit, so a longer homepage is a warning. */
  homepageRecommendedMaxChars: 64,
  extUrlMaxChars: 128,
  extVkeyChars: 68,
  fileMaxBytes: 512,
} as const;

/** The setting of one field, e.g. `stakepool:metadata.ticker`: what error messages name. */
export function fieldSetting(field: string, base: string = METADATA_SETTING): string {
  return `${base}.${field}`;
}

/** Length in Unicode code points (what cardano-api counts), not UTF-16 units. */
export function charCount(text: string): number {
  return [...text].length;
}
