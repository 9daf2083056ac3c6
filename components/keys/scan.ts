/**
 * Scans text (a plan, a rendered file, a log) for key material, so a test or the plan can prove that
 * no secret reached an output. Reports where and what kind, never the material itself.
 *
 * What counts as key material:
 * - a run of more than 64 hex digits: every signing key in a text envelope is longer (a cold or
 *   payment key's cborHex is 68 digits, VRF 132, KES 1222), while the hex a plan legitimately shows is at
 *   most 64 (hashes, verification keys, pool ids);
 * - any 32-hex-digit piece of a known secret (for instance the configured kes.skey and vrf.skey), also
 *   inside base64;
 * - a text-envelope `type` naming a signing key or the issue counter (`"type": "…SigningKey…"`,
 *   escaped or as YAML);
 * - a bech32 signing key (`…_sk1…`, `…_xsk1…`).
 */

export type KeyMaterialKind = "hex-run" | "known-secret" | "signing-key-type" | "bech32-signing-key";

/** One place that looks like key material. */
export interface KeyMaterialHit {
  readonly kind: KeyMaterialKind;
  /** 1-based position of the hit in the scanned text. */
  readonly line: number;
  readonly column: number;
  /** Length of the matched text, in characters. */
  readonly length: number;
  /** Human-readable, safe to print: no key material. */
  readonly description: string;
}

/** What else to look for. */
export interface ScanOptions {
  /**
   * Secrets to look for (any text: an envelope, bare hex). Their hex runs of 32+ digits are indexed;
   * pass signing keys only, not public data such as node.cert's verification keys.
   */
  readonly known?: readonly string[];
  /** Longest hex run that is not reported (default 64). */
  readonly maxHexRun?: number;
}

const WINDOW = 32;
const HEX_RUN = /[0-9a-fA-F]+/g;
const ENVELOPE_TYPE =
  /\btype\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9_^.-]*(?:SigningKey|IssueCounter)[A-Za-z0-9_^.-]*)/g;
const BECH32_SIGNING_KEY = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_x?sk1[02-9ac-hj-np-z]{20,}/g;
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

function knownWindows(known: readonly string[]): Set<string> {
  const windows = new Set<string>();
  for (const secret of known) {
    for (const match of secret.matchAll(HEX_RUN)) {
      const run = match[0].toLowerCase();
      for (let i = 0; i + WINDOW <= run.length; i++) windows.add(run.slice(i, i + WINDOW));
    }
  }
  return windows;
}

function position(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

function containsWindow(hex: string, windows: ReadonlySet<string>): boolean {
  if (windows.size === 0) return false;
  for (let i = 0; i + WINDOW <= hex.length; i++) if (windows.has(hex.slice(i, i + WINDOW))) return true;
  return false;
}

interface RawHit {
  readonly kind: KeyMaterialKind;
  readonly index: number;
  readonly length: number;
  readonly what: string;
}

function scanLayer(text: string, windows: ReadonlySet<string>, maxHexRun: number): RawHit[] {
  const hits: RawHit[] = [];
  for (const match of text.matchAll(HEX_RUN)) {
    const run = match[0];
    if (run.length >= WINDOW && containsWindow(run.toLowerCase(), windows)) {
      hits.push({ kind: "known-secret", index: match.index, length: run.length, what: `part of a known secret (${run.length} hex digits)` });
    } else if (run.length > maxHexRun) {
      hits.push({ kind: "hex-run", index: match.index, length: run.length, what: `a run of ${run.length} hex digits (more than ${maxHexRun})` });
    }
  }
  for (const match of text.matchAll(ENVELOPE_TYPE)) {
    hits.push({ kind: "signing-key-type", index: match.index, length: match[0].length, what: `a text envelope of type ${match[1]!}` });
  }
  for (const match of text.matchAll(BECH32_SIGNING_KEY)) {
    const prefix = match[0].slice(0, match[0].indexOf("1"));
    hits.push({ kind: "bech32-signing-key", index: match.index, length: match[0].length, what: `a bech32 signing key (${prefix}1…)` });
  }
  return hits;
}

/** Every place in `text` that looks like key material, in order of position. */
export function scanForKeyMaterial(text: string, options: ScanOptions = {}): KeyMaterialHit[] {
  const windows = knownWindows(options.known ?? []);
  const maxHexRun = options.maxHexRun ?? 64;
  const raw = scanLayer(text, windows, maxHexRun);
  const covered = (index: number): boolean => raw.some((h) => index >= h.index && index < h.index + h.length);
  for (const match of text.matchAll(BASE64_RUN)) {
    if (covered(match.index)) continue;
    const decoded = Buffer.from(match[0], "base64");
    const inner = scanLayer(decoded.toString("latin1"), windows, maxHexRun);
    const bytesKnown = containsWindow(decoded.toString("hex"), windows);
    const kinds = [...new Set(inner.map((h) => h.kind))];
    if (bytesKnown && !kinds.includes("known-secret")) kinds.unshift("known-secret");
    if (kinds.length === 0) continue;
    const what = inner.length > 0 ? inner.map((h) => h.what).join("; ") : "part of a known secret";
    raw.push({ kind: kinds[0]!, index: match.index, length: match[0].length, what: `base64 holding ${what}` });
  }
  return raw
    .sort((a, b) => a.index - b.index)
    .map((h) => {
      const { line, column } = position(text, h.index);
      return { kind: h.kind, line, column, length: h.length, description: `line ${line}, column ${column}: ${h.what}` };
    });
}

/** The hits of `scanForKeyMaterial` as printable sentences; empty when the text is clean. */
export function findKeyMaterial(text: string, options: ScanOptions = {}): string[] {
  return scanForKeyMaterial(text, options).map((hit) => hit.description);
}
