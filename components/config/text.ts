/**
 * Characters that must never reach a terminal, a wallet or an explorer from the kit's settings, and how
 * the kit prints text that came from config.
 *
 * Refused in every setting's text (and printed escaped wherever config is echoed):
 * - control characters: C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F; U+009B is CSI, which some
 *   terminals obey like ESC [): a terminal acts on them instead of showing them;
 * - bidirectional controls (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069): they make text display
 *   in another order than it has (Unicode TR #9; CVE-2021-42574, "Trojan Source");
 * - invisible characters: zero-width (U+200B–U+200D, U+2060–U+2064, U+FEFF), the soft hyphen, the
 *   Mongolian vowel separator, Hangul fillers, deprecated format controls (U+206A–U+206F), interlinear
 *   annotations (U+FFF9–U+FFFB) and tag characters (U+E0000–U+E007F, which smuggle hidden ASCII): two
 *   names that look the same would differ;
 * - line and paragraph separators (U+2028, U+2029) and the noncharacters U+FFFE, U+FFFF;
 * - a lone UTF-16 surrogate: not a character at all; UTF-8 cannot hold it.
 * Only the key envelopes (JSON text over several lines) may hold line feeds, carriage returns and tabs.
 * `JSON.stringify` is not enough to print such text: it escapes C0 controls but leaves C1 controls,
 * bidirectional controls and invisible characters raw.
 */

export type UnsafeKind = "control" | "bidirectional" | "invisible" | "separator" | "surrogate";

export interface UnsafeCharacter {
  readonly kind: UnsafeKind;
  /** `U+202E`. */
  readonly codePoint: string;
  /** 1-based position in code points. */
  readonly position: number;
  /** A readable name where the character has a well-known one. */
  readonly name: string | undefined;
}

const NAMES: Readonly<Record<number, string>> = {
  0x00: "NUL",
  0x07: "BELL",
  0x08: "BACKSPACE",
  0x09: "TAB",
  0x0a: "LINE FEED",
  0x0d: "CARRIAGE RETURN",
  0x1b: "ESCAPE",
  0x7f: "DELETE",
  0x85: "NEXT LINE",
  0x9b: "CONTROL SEQUENCE INTRODUCER",
  0xad: "SOFT HYPHEN",
  0x061c: "ARABIC LETTER MARK",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x2028: "LINE SEPARATOR",
  0x2029: "PARAGRAPH SEPARATOR",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE (byte-order mark)",
};

/** The kind of `cp` when it is unsafe; undefined for an ordinary character. */
export function unsafeKind(cp: number): UnsafeKind | undefined {
  if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) return "control";
  if (cp === 0x061c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return "bidirectional";
  if (cp === 0x2028 || cp === 0x2029 || cp === 0xfffe || cp === 0xffff) return "separator";
  if (cp >= 0xd800 && cp <= 0xdfff) return "surrogate";
  if (
    cp === 0xad ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x180e ||
    cp === 0x3164 ||
    cp === 0xffa0 ||
    (cp >= 0x200b && cp <= 0x200d) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x206a && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0xe0000 && cp <= 0xe007f)
  ) {
    return "invisible";
  }
  return undefined;
}

const codePointText = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

export interface TextOptions {
  /** Line feed, carriage return and tab are allowed (key envelopes, which are JSON over several lines). */
  readonly multiline?: boolean;
}

/** The first unsafe character of `text`, or undefined when there is none. */
export function findUnsafeCharacter(text: string, options: TextOptions = {}): UnsafeCharacter | undefined {
  let position = 0;
  // Iterating a string by code points yields a lone surrogate as itself.
  for (const ch of text) {
    position++;
    const cp = ch.codePointAt(0)!;
    if (options.multiline && (cp === 0x0a || cp === 0x0d || cp === 0x09)) continue;
    const kind = unsafeKind(cp);
    if (kind) return { kind, codePoint: codePointText(cp), position, name: NAMES[cp] };
  }
  return undefined;
}

const WHY: Readonly<Record<UnsafeKind, string>> = {
  control: "a control character, which terminals and wallets act on instead of showing",
  bidirectional: "a bidirectional control, which makes text display in another order than it has",
  invisible: "an invisible character, so that two names that look alike would differ",
  separator: "a line separator or noncharacter, which explorers and terminals show unpredictably",
  surrogate: "half of a UTF-16 surrogate pair, which is not a character and cannot be written as UTF-8",
};

/** The sentence a problem states for `found`: "contains U+202E RIGHT-TO-LEFT OVERRIDE (character 5), …". */
export function describeUnsafe(found: UnsafeCharacter): string {
  const name = found.name ? ` ${found.name}` : "";
  return `contains ${found.codePoint}${name} (character ${found.position}), ${WHY[found.kind]}`;
}

/**
 * `text` with every unsafe character written as `\u{…}`, for printing text that came from config (a
 * setting's name, a value in a message). Line feeds are kept only with `keepLineFeeds`.
 */
export function printable(text: string, keepLineFeeds = false): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += unsafeKind(cp) && !(keepLineFeeds && cp === 0x0a) ? `\\u{${cp.toString(16).toUpperCase()}}` : ch;
  }
  return out;
}

/** The first unsafe character in a setting's value (every string of a list or mapping, keys included). */
export function findUnsafeInValue(
  setting: string,
  value: unknown,
  options: TextOptions = {},
): { readonly setting: string; readonly found: UnsafeCharacter; readonly inKey: boolean } | undefined {
  if (typeof value === "string") {
    const found = findUnsafeCharacter(value, options);
    return found ? { setting, found, inKey: false } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const hit = findUnsafeInValue(`${setting}[${i}]`, item, options);
      if (hit) return hit;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const inKey = findUnsafeCharacter(key);
      if (inKey) return { setting: `${setting}.${key}`, found: inKey, inKey: true };
      const hit = findUnsafeInValue(`${setting}.${key}`, item, options);
      if (hit) return hit;
    }
  }
  return undefined;
}
