/**
 * URL checks for what the pool registers and publishes.
 *
 * The metadata URL goes on chain in the registration certificate. The ledger takes up to 128 bytes
 * since Conway (64 before), but hardware wallets (Ledger, Trezor) still refuse to sign a certificate
 * whose URL is longer than 64 bytes, so 64 is the default and 128 the hard ceiling.
 */
import type { Findings } from "../config/problems";

/** The default, for hardware-wallet compatibility. */
export const METADATA_URL_DEFAULT_MAX_BYTES = 64;
/** The ledger's limit since Conway; no option goes above it. */
export const METADATA_URL_LEDGER_MAX_BYTES = 128;

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const URL_CHARACTER = /[A-Za-z0-9\-._~:/?#@%=&+,]/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
const DNS_HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Why `text` holds a character a published URL must not (see above), naming it and its percent-escape;
 * undefined when every character is allowed.
 */
export function urlCharacterError(text: string): string | undefined {
  for (const ch of text) {
    if (URL_CHARACTER.test(ch)) continue;
    const code = ch.codePointAt(0)!;
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    const shown = code > 0x20 && code < 0x7f ? `${ch} (${hex})` : hex;
    const escape = code < 0x80 ? `; percent-encode it as %${code.toString(16).toUpperCase().padStart(2, "0")}` : "; percent-encode it";
    return `contains ${shown}, which a pool's URLs do not need and a shell or a web page would read as syntax${escape}`;
  }
  if (BAD_PERCENT.test(text)) return 'contains a "%" that does not start a percent-escape (%XX)';
  return undefined;
}

/** Parses an absolute http(s) URL with a DNS host, no credentials and only the characters above; undefined otherwise. */
export function parseWebUrl(text: string): URL | undefined {
  if (!PRINTABLE_ASCII.test(text) || urlCharacterError(text) !== undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.hostname === "" || url.username !== "" || url.password !== "") return undefined;
  if (!DNS_HOST.test(url.hostname)) return undefined;
  return url;
}

/** How long a metadata URL the stack accepts. */
export interface MetadataUrlOptions {
  /** Longest URL accepted, in bytes: 64 by default, at most 128. */
  readonly maxBytes?: number;
}

/**
 * Checks the metadata URL given in `setting`. Records problems and returns false when it cannot be
 * registered as is.
 */
export function checkMetadataUrl(
  url: string,
  setting: string,
  findings: Findings,
  options: MetadataUrlOptions = {},
): boolean {
  const maxBytes = options.maxBytes ?? METADATA_URL_DEFAULT_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > METADATA_URL_LEDGER_MAX_BYTES) {
    throw new RangeError(`maxBytes must be 1..${METADATA_URL_LEDGER_MAX_BYTES}, got ${maxBytes}`);
  }
  const example = `pulumi config set ${setting} https://example.com/pool.json`;
  if (url === "") {
    findings.problem(setting, "is empty", example);
    return false;
  }
  if (!PRINTABLE_ASCII.test(url)) {
    findings.problem(
      setting,
      "must be plain ASCII without spaces (hardware wallets and the registration certificate take ASCII only)",
      `percent-encode or rename the path, e.g. ${example}`,
    );
    return false;
  }
  const character = urlCharacterError(url);
  if (character) {
    findings.problem(setting, character, example);
    return false;
  }
  const parsed = parseWebUrl(url);
  if (!parsed) {
    findings.problem(setting, `is not an absolute https URL (got ${JSON.stringify(url)})`, example);
    return false;
  }
  if (parsed.protocol !== "https:") {
    findings.problem(setting, "must use https: wallets and explorers fetch pool metadata over TLS", `use the https:// address of the same file: ${example}`);
    return false;
  }
  const bytes = Buffer.byteLength(url, "utf8");
  if (bytes > maxBytes) {
    const why =
      maxBytes === METADATA_URL_DEFAULT_MAX_BYTES
        ? "hardware wallets refuse to sign a registration whose metadata URL is longer than 64 bytes"
        : `the limit set for this stack is ${maxBytes} bytes`;
    findings.problem(
      setting,
      `is ${bytes} bytes long; ${why}`,
      `host the file at a shorter address (a short domain and path such as https://example.com/p.json), then ${example.replace("https://example.com/pool.json", "'<the shorter URL>'")}`,
    );
    return false;
  }
  return true;
}
