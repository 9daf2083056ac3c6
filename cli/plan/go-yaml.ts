/**
 * What the Pulumi CLI's YAML library makes of a document: gopkg.in/yaml.v3 v3.0.1 (pulumi sdk/go.mod;
 * pulumi sdk/go/common/encoding/marshal.go `yamlMarshaler.Unmarshal`) decoding into Go's `interface{}`.
 *
 * The `yaml` package only parses (failsafe schema: every scalar stays text, nothing is expanded); every
 * decision after that is go-yaml's, ported function by function from its v3.0.1 sources (go-yaml/yaml,
 * tag v3.0.1): `resolve` and `parseTimestamp` (resolve.go), `decoder.unmarshal`, `alias`, `scalar`,
 * `mapping`, `merge` and `allowedAliasRatio` (decode.go), `floatv`, `timev` (encode.go), and the
 * strconv/time functions they call (Go's `strconv.ParseInt`, `ParseFloat`, `FormatFloat`, `time.Parse`).
 *
 * Two deliberate refusals where the CLI would carry on (both name the line):
 * - a timestamp with a numeric UTC offset (`2001-12-14T21:59:43-05:00`): Go's `time.Parse` gives it the
 *   local zone when the offsets agree, so what the program receives depends on the machine running
 *   `pulumi`; quote it;
 * - a mapping or list nested more deeply than the `yaml` package's parser can follow (about 800 levels;
 *   go-yaml allows 10000).
 */
import { LineCounter, parseAllDocuments, isAlias, isMap, isScalar, isSeq, isPair, type Document, type Node as YamlNode, type Alias } from "yaml";

/** A Go value as yaml.v3 hands it to `interface{}`. */
export type GoValue =
  | { readonly kind: "null" }
  | { readonly kind: "bool"; readonly value: boolean }
  /** Go `int` (int64 range) or, above it, `uint64`. */
  | { readonly kind: "int"; readonly value: bigint }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "time"; readonly value: GoTime }
  | { readonly kind: "seq"; readonly items: readonly GoValue[] }
  | { readonly kind: "map"; readonly entries: ReadonlyMap<string, GoValue> };

/** A `time.Time` in UTC (the only zone the plan accepts; see the note above). */
export interface GoTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly nanos: number;
}

/** A document go-yaml (or, where noted, the plan) refuses; `line` is 1-based when known. */
export class YamlRefusal extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = "YamlRefusal";
  }
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

export const NULL: GoValue = { kind: "null" };
export const str = (value: string): GoValue => ({ kind: "string", value });

// ---------------------------------------------------------------------------------------------------
// Go's strconv, as far as resolve() uses it.

function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 122) return lower - 97 + 10;
  return 99;
}

/** strconv.ParseUint(s, base, 64); base 0 reads the 0b/0o/0x/0 prefixes. Undefined on any error. */
export function goParseUint(s: string, base: number): bigint | undefined {
  if (s === "") return undefined;
  if (base === 0) {
    base = 10;
    if (s[0] === "0") {
      const second = s.length >= 3 ? s[1]!.toLowerCase() : "";
      if (second === "b") [base, s] = [2, s.slice(2)];
      else if (second === "o") [base, s] = [8, s.slice(2)];
      else if (second === "x") [base, s] = [16, s.slice(2)];
      else [base, s] = [8, s.slice(1)];
    }
  }
  let n = 0n;
  const b = BigInt(base);
  for (const c of s) {
    const d = digitValue(c);
    if (d >= base) return undefined;
    n = n * b + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return n;
}

/** strconv.ParseInt(s, base, 64). */
export function goParseInt(s: string, base: number): bigint | undefined {
  if (s === "") return undefined;
  let negative = false;
  if (s[0] === "+" || s[0] === "-") {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  const n = goParseUint(s, base);
  if (n === undefined) return undefined;
  if (!negative && n > INT64_MAX) return undefined;
  if (negative && n > -INT64_MIN) return undefined;
  return negative ? -n : n;
}

/**
 * strconv.ParseFloat(s, 64) for the decimal forms resolve() hands it (yamlStyleFloat, or a leading
 * dot). Overflow to infinity is an error in Go; underflow to zero is not. JavaScript's Number() rounds
 * the same way (IEEE 754, round half to even).
 */
function goParseDecimalFloat(s: string): number | undefined {
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

/** The shortest decimal digits that round-trip `x` (finite, non-zero) and the point position: x = 0.d × 10^dp. */
function shortestDigits(x: number): { digits: string; dp: number } {
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e") as [string, string];
  return { digits: mantissa.replace(".", ""), dp: Number(exponent) + 1 };
}

function fmtE(negative: boolean, digits: string, dp: number): string {
  const exp = dp - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const abs = Math.abs(exp);
  return `${negative ? "-" : ""}${mantissa}e${exp < 0 ? "-" : "+"}${abs < 10 ? `0${abs}` : abs}`;
}

function fmtF(negative: boolean, digits: string, dp: number): string {
  const integer = dp > 0 ? digits.slice(0, dp).padEnd(dp, "0") : "0";
  const fractionLength = Math.max(digits.length - dp, 0);
  let fraction = "";
  for (let i = 1; i <= fractionLength; i++) {
    const j = dp + i - 1;
    fraction += j >= 0 && j < digits.length ? digits[j] : "0";
  }
  return `${negative ? "-" : ""}${integer}${fraction ? `.${fraction}` : ""}`;
}

/** strconv.FormatFloat(x, 'g', -1, 64): the form yaml.v3's encoder writes a float64 in (`floatv`). */
export function goFormatFloatG(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const negative = x < 0 || Object.is(x, -0);
  if (x === 0) return negative ? "-0" : "0";
  const { digits, dp } = shortestDigits(x);
  const exp = dp - 1;
  // Shortest formatting decides with precision 6 (strconv ftoa.go formatDigits).
  return exp < -4 || exp >= 6 ? fmtE(negative, digits, dp) : fmtF(negative, digits, dp);
}

/** encoding/json's float64 encoding (floatEncoder): 'f', or 'e' below 1e-6 and from 1e21, "e-07" tidied to "e-7". */
export function goJsonFloat(x: number): string {
  if (!Number.isFinite(x)) throw new YamlRefusal(`json: unsupported value: ${goFormatFloatG(x)}`);
  const negative = x < 0 || Object.is(x, -0);
  if (x === 0) return negative ? "-0" : "0";
  const { digits, dp } = shortestDigits(x);
  const abs = Math.abs(x);
  if (abs < 1e-6 || abs >= 1e21) return fmtE(negative, digits, dp).replace(/e-0(\d)$/, "e-$1");
  return fmtF(negative, digits, dp);
}

// ---------------------------------------------------------------------------------------------------
// Timestamps: resolve.go parseTimestamp with Go's time.Parse for its four layouts.

const TIMESTAMP_LAYOUTS = ["T", "t", " ", "date"] as const;

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const isDigitAt = (s: string, i: number) => i < s.length && s[i]! >= "0" && s[i]! <= "9";

type TimeParse = GoTime | "offset" | undefined;

/** time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (separator T or t), "2006-1-2 15:4:5.999999999" or "2006-1-2". */
function parseLayout(s: string, separator: (typeof TIMESTAMP_LAYOUTS)[number]): TimeParse {
  let at = 0;
  // getnum(value, false): one digit, or two when the second is a digit.
  const num = (): number | undefined => {
    if (!isDigitAt(s, at)) return undefined;
    const width = isDigitAt(s, at + 1) ? 2 : 1;
    const n = Number(s.slice(at, at + width));
    at += width;
    return n;
  };
  const literal = (c: string): boolean => {
    if (s[at] !== c) return false;
    at++;
    return true;
  };
  const year = Number(s.slice(0, 4));
  at = 4;
  if (!literal("-")) return undefined;
  const month = num();
  if (month === undefined || month < 1 || month > 12 || !literal("-")) return undefined;
  const day = num();
  if (day === undefined) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let offset = false;
  if (separator !== "date") {
    if (separator === " ") {
      // A space in a layout matches one or more spaces (time.go skip/cutspace).
      if (s[at] !== " ") return undefined;
      while (s[at] === " ") at++;
    } else if (!literal(separator)) return undefined;
    const h = num();
    if (h === undefined || h > 23 || !literal(":")) return undefined;
    const m = num();
    if (m === undefined || m > 59 || !literal(":")) return undefined;
    const sec = num();
    if (sec === undefined || sec > 59) return undefined;
    [hour, minute, second] = [h, m, sec];
    // stdFracSecond9: optional; any number of digits, the tenth and later dropped (parseNanoseconds).
    if ((s[at] === "." || s[at] === ",") && isDigitAt(s, at + 1)) {
      let end = at + 1;
      while (isDigitAt(s, end)) end++;
      nanos = Number(s.slice(at + 1, end).slice(0, 9).padEnd(9, "0"));
      at = end;
    }
    if (separator !== " ") {
      // Z07:00
      if (s[at] === "Z") at++;
      else {
        const zone = s.slice(at, at + 6);
        if (zone.length < 6 || zone[3] !== ":" || (zone[0] !== "+" && zone[0] !== "-")) return undefined;
        if (!/^\d\d$/.test(zone.slice(1, 3)) || !/^\d\d$/.test(zone.slice(4, 6))) return undefined;
        if (Number(zone.slice(1, 3)) > 24 || Number(zone.slice(4, 6)) > 60) return undefined;
        at += 6;
        offset = true;
      }
    }
  }
  if (at !== s.length) return undefined;
  if (day < 1 || day > daysIn(month, year)) return undefined;
  return offset ? "offset" : { year, month, day, hour, minute, second, nanos };
}

function parseTimestamp(s: string): TimeParse {
  // Quick check: all date formats start with YYYY-.
  let i = 0;
  while (isDigitAt(s, i)) i++;
  if (i !== 4 || i === s.length || s[i] !== "-") return undefined;
  for (const layout of TIMESTAMP_LAYOUTS) {
    const t = parseLayout(s, layout);
    if (t !== undefined) return t;
  }
  return undefined;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const fraction = (nanos: number) => (nanos === 0 ? "" : `.${pad(nanos, 9).replace(/0+$/, "")}`);

/** time.Time.Format(time.RFC3339Nano), as yaml.v3 encodes a time and encoding/json marshals one. */
export function rfc3339Nano(t: GoTime): string {
  return `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${fraction(t.nanos)}Z`;
}

/** time.Time.String(), which pulumi's config unmarshalObject stores for a time. */
export function goTimeString(t: GoTime): string {
  return `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)} ${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${fraction(t.nanos)} +0000 UTC`;
}

// ---------------------------------------------------------------------------------------------------
// resolve.go

const FLOAT_TAG = "!!float";
const INT_TAG = "!!int";
const STR_TAG = "!!str";
const NULL_TAG = "!!null";
const BOOL_TAG = "!!bool";
const TIMESTAMP_TAG = "!!timestamp";
const BINARY_TAG = "!!binary";
const MERGE_TAG = "!!merge";

const RESOLVE_MAP = new Map<string, { tag: string; value: GoValue }>();
for (const [value, tag, spellings] of [
  [{ kind: "bool", value: true }, BOOL_TAG, ["true", "True", "TRUE"]],
  [{ kind: "bool", value: false }, BOOL_TAG, ["false", "False", "FALSE"]],
  [NULL, NULL_TAG, ["", "~", "null", "Null", "NULL"]],
  [{ kind: "float", value: NaN }, FLOAT_TAG, [".nan", ".NaN", ".NAN"]],
  [{ kind: "float", value: Infinity }, FLOAT_TAG, [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]],
  [{ kind: "float", value: -Infinity }, FLOAT_TAG, ["-.inf", "-.Inf", "-.INF"]],
] as const) {
  for (const s of spellings) RESOLVE_MAP.set(s, { tag, value });
}

function hintOf(s: string): string | undefined {
  if (s === "") return "N";
  const c = s[0]!;
  if (c === "+" || c === "-") return "S";
  if (c >= "0" && c <= "9") return "D";
  if ("yYnNtTfFoO~".includes(c)) return "M";
  if (c === ".") return ".";
  return undefined;
}

const LONG_TAG_PREFIX = "tag:yaml.org,2002:";
export function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG_PREFIX) ? `!!${tag.slice(LONG_TAG_PREFIX.length)}` : tag;
}

const RESOLVABLE = new Set(["", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG]);

const int = (value: bigint): GoValue => ({ kind: "int", value });

function resolveUntyped(tag: string, text: string, line: number | undefined): { tag: string; value: GoValue } {
  const hint = hintOf(text);
  if (hint !== undefined && tag !== STR_TAG && tag !== BINARY_TAG) {
    const known = RESOLVE_MAP.get(text);
    if (known) return known;
    if (hint === ".") {
      const f = goParseDecimalFloat(text);
      if (f !== undefined && /^\.[0-9]/.test(text)) return { tag: FLOAT_TAG, value: { kind: "float", value: f } };
    } else if (hint === "D" || hint === "S") {
      if (tag === "" || tag === TIMESTAMP_TAG) {
        const t = parseTimestamp(text);
        if (t === "offset") {
          throw new YamlRefusal(
            `${text} is a timestamp with a UTC offset; the Pulumi CLI turns it into text in the local time zone of the machine that runs it, so the plan cannot know it: quote the value`,
            line,
          );
        }
        if (t !== undefined) return { tag: TIMESTAMP_TAG, value: { kind: "time", value: t } };
      }
      const plain = text.replaceAll("_", "");
      const i = goParseInt(plain, 0) ?? goParseUint(plain, 0);
      if (i !== undefined) return { tag: INT_TAG, value: int(i) };
      const f = goParseDecimalFloat(plain);
      if (f !== undefined) return { tag: FLOAT_TAG, value: { kind: "float", value: f } };
      // Reached only when the base-0 parse failed, e.g. "0b-101" (ParseInt takes the sign after the prefix).
      for (const [prefix, base] of [["0b", 2], ["0o", 8]] as const) {
        if (plain.startsWith(prefix)) {
          const v = goParseInt(plain.slice(2), base) ?? goParseUint(plain.slice(2), base);
          if (v !== undefined) return { tag: INT_TAG, value: int(v) };
        } else if (plain.startsWith(`-${prefix}`)) {
          const v = goParseInt(`-${plain.slice(3)}`, base);
          if (v !== undefined) return { tag: INT_TAG, value: int(v) };
        }
      }
    }
  }
  return { tag: STR_TAG, value: str(text) };
}

/**
 * resolve(tag, in): what a plain (or explicitly tagged) scalar means. `tag` is "" for an untagged scalar.
 */
export function resolve(tag: string, text: string, line?: number): { tag: string; value: GoValue } {
  tag = shortTag(tag);
  if (!RESOLVABLE.has(tag)) return { tag, value: str(text) };
  const out = resolveUntyped(tag, text, line);
  if (tag === "" || tag === out.tag || tag === STR_TAG || tag === BINARY_TAG) return out;
  if (tag === FLOAT_TAG && out.value.kind === "int" && out.value.value >= INT64_MIN && out.value.value <= INT64_MAX) {
    return { tag: FLOAT_TAG, value: { kind: "float", value: Number(out.value.value) } };
  }
  throw new YamlRefusal(`cannot decode ${out.tag} \`${text}\` as a ${tag}`, line);
}

/** The value an untagged plain scalar resolves to (what a stack file's `key: text` means). */
export function resolvePlain(text: string): GoValue {
  return resolve("", text).value;
}

// ---------------------------------------------------------------------------------------------------
// decode.go: the decoder, into interface{}.

// 400,000 decodes: below, 99% may come from aliases; from 4,000,000, 10%; linear in between.
const ALIAS_RATIO_RANGE_LOW = 400000;
const ALIAS_RATIO_RANGE_HIGH = 4000000;

export function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

type Parsed = YamlNode | null;

/** Strict base64 (Go's base64.StdEncoding.DecodeString, which skips only \r and \n). */
function decodeBase64(text: string): Buffer | undefined {
  const s = text.replace(/[\r\n]/g, "");
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return undefined;
  return Buffer.from(s, "base64");
}

const keyIdentity = (v: GoValue): string => (v.kind === "string" ? `s:${v.value}` : `${v.kind}:${JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x))}`);

class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly active = new Set<Alias>();
  private mergedFields: Set<string> | null = null;
  readonly typeErrors: string[] = [];

  constructor(
    private readonly targets: ReadonlyMap<Alias, YamlNode>,
    private readonly lines: LineCounter,
  ) {}

  line(node: Parsed): number | undefined {
    return node?.range ? this.lines.linePos(node.range[0]).line : undefined;
  }

  /**
   * The head of decoder.unmarshal, run once per node decoded (an alias and each node of its expansion
   * included): refuses a document made mostly of alias expansions, before it can grow.
   */
  count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new YamlRefusal("document contains excessive aliasing");
    }
  }

  /** decoder.document: the document node counts as one decode. */
  document(node: Parsed): GoValue | undefined {
    this.count();
    return this.unmarshal(node);
  }

  unmarshal(node: Parsed): GoValue | undefined {
    this.count();
    if (node !== null && isAlias(node)) return this.alias(node, (target) => this.unmarshal(target));
    if (node === null || isScalar(node)) return this.scalar(node);
    if (isMap(node)) return this.mapping(node, undefined);
    if (isSeq(node)) return this.sequence(node);
    throw new YamlRefusal("cannot decode a node of unknown kind", this.line(node));
  }

  alias<T>(node: Alias, decode: (target: YamlNode) => T): T {
    const target = this.targets.get(node);
    if (!target) throw new YamlRefusal(`unknown anchor '${node.source}' referenced`, this.line(node));
    if (this.active.has(node)) throw new YamlRefusal(`anchor '${node.source}' value contains itself`, this.line(node));
    this.active.add(node);
    this.aliasDepth++;
    try {
      return decode(target);
    } finally {
      this.aliasDepth--;
      this.active.delete(node);
    }
  }

  /** Node.ShortTag(), which decides whether a mapping decodes as map[string]interface{}. */
  shortTagOf(node: Parsed): string {
    if (node === null) return NULL_TAG;
    if (isAlias(node)) {
      const target = this.targets.get(node);
      return target ? this.shortTagOf(target) : "";
    }
    const tag = node.tag ?? "";
    if (isScalar(node)) {
      if (shortTag(tag) === STR_TAG || ((tag === "" || tag === "!") && node.type !== "PLAIN")) return STR_TAG;
      if (tag === "" || tag === "!") return resolveUntyped("", scalarText(node), undefined).tag;
    }
    if (tag !== "" && tag !== "!") return shortTag(tag);
    return isMap(node) ? "!!map" : "!!seq";
  }

  scalar(node: Parsed): GoValue {
    if (node === null) return NULL;
    if (!isScalar(node)) throw new YamlRefusal("expected a scalar", this.line(node));
    const text = scalarText(node);
    const tag = node.tag === undefined || node.tag === "!" ? "" : node.tag;
    // indicatedString: !!str, or an untagged quoted or block scalar.
    if (shortTag(tag) === STR_TAG || (tag === "" && node.type !== "PLAIN")) return str(text);
    const line = this.line(node);
    const resolved = resolve(tag, text, line);
    if (resolved.tag === BINARY_TAG) {
      const bytes = decodeBase64(text);
      if (!bytes) throw new YamlRefusal("!!binary value contains invalid base64 data", line);
      const decoded = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
      try {
        return str(decoded.decode(bytes));
      } catch {
        throw new YamlRefusal("!!binary value is not UTF-8 text: a config value must be text", line);
      }
    }
    return resolved.value;
  }

  sequence(node: YamlNode & { items: unknown[] }): GoValue {
    const items: GoValue[] = [];
    for (const item of node.items) {
      const value = this.unmarshal(item as Parsed);
      if (value !== undefined) items.push(value);
    }
    return { kind: "seq", items };
  }

  /**
   * decoder.mapping. `into` is the map a merge (`<<`) decodes into; a fresh mapping decodes into a new
   * map, as map[string]interface{} when every key is a string (or `<<`), else map[interface{}]interface{}.
   */
  mapping(node: YamlNode & { items: unknown[] }, into: { entries: Map<string, GoValue>; stringKeys: boolean } | undefined): GoValue | undefined {
    const pairs = node.items as { key: Parsed; value: Parsed }[];
    // uniqueKeys: keys of the same kind with the same text.
    let duplicate = false;
    for (let i = 0; i < pairs.length; i++) {
      for (let j = i + 1; j < pairs.length; j++) {
        const [a, b] = [pairs[i]!.key, pairs[j]!.key];
        if (nodeKind(a) === nodeKind(b) && nodeText(a) === nodeText(b)) {
          this.typeErrors.push(`line ${this.line(b) ?? "?"}: mapping key ${JSON.stringify(nodeText(b))} already defined at line ${this.line(a) ?? "?"}`);
          duplicate = true;
        }
      }
    }
    if (duplicate) return undefined;
    const target = into ?? { entries: new Map<string, GoValue>(), stringKeys: pairs.every((p) => [STR_TAG, MERGE_TAG].includes(this.shortTagOf(p.key))) };
    const mergedFields = this.mergedFields;
    this.mergedFields = null;
    let mergeNode: Parsed | undefined;
    for (const pair of pairs) {
      if (isMergeKey(pair.key)) {
        mergeNode = pair.value;
        continue;
      }
      const key = this.key(pair.key, target.stringKeys);
      if (key === undefined) continue;
      if (mergedFields !== null) {
        const id = keyIdentity(str(key));
        if (mergedFields.has(id)) continue;
        mergedFields.add(id);
      }
      const value = this.unmarshal(pair.value);
      if (value !== undefined) target.entries.set(key, value);
    }
    this.mergedFields = mergedFields;
    if (mergeNode !== undefined) this.merge(pairs, mergeNode, target);
    return into ? undefined : { kind: "map", entries: target.entries };
  }

  /**
   * A mapping key. Into map[string]interface{} a scalar key is its text; into map[interface{}]interface{}
   * it is its resolved value, and pulumi's SimplifyMarshalledValue then refuses any key that is not a
   * string ("expected only string keys").
   */
  key(node: Parsed, stringKeys: boolean): string | undefined {
    const decodeKey = (n: Parsed): string | undefined => {
      if (n !== null && isAlias(n)) {
        this.count();
        return this.alias(n, (target) => decodeKey(target));
      }
      if (n !== null && !isScalar(n)) {
        this.unmarshal(n);
        throw new YamlRefusal(`invalid map key: a ${isMap(n) ? "mapping" : "list"} cannot be a key`, this.line(n));
      }
      if (stringKeys) {
        this.count();
        const value = this.scalar(n);
        if (value.kind === "null") return undefined; // a null key is skipped when decoding into a string
        return value.kind === "string" ? value.value : n === null ? "" : scalarText(n);
      }
      const value = this.unmarshal(n);
      if (value?.kind !== "string") {
        throw new YamlRefusal(`expected only string keys, got ${describe(value ?? NULL)}`, this.line(n));
      }
      return value.value;
    };
    return decodeKey(node);
  }

  /** decoder.merge: the parent's own keys win, then earlier merged mappings over later ones. */
  merge(parent: readonly { key: Parsed; value: Parsed }[], merge: Parsed, into: { entries: Map<string, GoValue>; stringKeys: boolean }): void {
    const outer = this.mergedFields;
    if (outer === null) {
      const fields = new Set<string>();
      for (const pair of parent) {
        const k = this.unmarshal(pair.key);
        if (k !== undefined) fields.add(keyIdentity(k));
      }
      this.mergedFields = fields;
    }
    const wantMap = () => new YamlRefusal("map merge requires map or sequence of maps as the value", this.line(merge));
    const mergeOne = (n: Parsed) => {
      if (n !== null && isAlias(n)) {
        const target = this.targets.get(n);
        if (target && !isMap(target)) throw wantMap();
        this.count();
        this.alias(n, (t) => {
          this.count();
          return this.mapping(t as YamlNode & { items: unknown[] }, into);
        });
      } else if (n !== null && isMap(n)) {
        this.count();
        this.mapping(n, into);
      } else throw wantMap();
    };
    if (merge !== null && isSeq(merge)) {
      for (const item of merge.items as Parsed[]) mergeOne(item);
    } else mergeOne(merge);
    this.mergedFields = outer;
  }
}

function scalarText(node: YamlNode): string {
  const source = (node as { source?: unknown }).source;
  return typeof source === "string" ? source : "";
}

function nodeKind(node: Parsed): string {
  if (node === null || isScalar(node)) return "scalar";
  if (isAlias(node)) return "alias";
  return isMap(node) ? "map" : "seq";
}

/** Node.Value: a scalar's text, an alias's anchor name, empty for collections. */
function nodeText(node: Parsed): string {
  if (node === null) return "";
  if (isScalar(node)) return scalarText(node);
  if (isAlias(node)) return node.source;
  return "";
}

function isMergeKey(node: Parsed): boolean {
  if (node === null || !isScalar(node) || node.type !== "PLAIN" || scalarText(node) !== "<<") return false;
  return node.tag === undefined || node.tag === "!" || shortTag(node.tag) === MERGE_TAG;
}

export function describe(v: GoValue): string {
  switch (v.kind) {
    case "null":
      return "null";
    case "string":
      return JSON.stringify(v.value);
    case "int":
      return v.value.toString();
    case "float":
      return goFormatFloatG(v.value);
    case "bool":
      return String(v.value);
    case "time":
      return rfc3339Nano(v.value);
    case "seq":
      return "a list";
    case "map":
      return "a mapping";
  }
}

/** Every alias's target: the closest preceding node with its anchor, as go-yaml's parser records them. */
function aliasTargets(doc: Document): Map<Alias, YamlNode> {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode>();
  const visit = (node: unknown): void => {
    if (node === null || node === undefined) return;
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
      return;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      return;
    }
    const n = node as YamlNode & { anchor?: string; items?: unknown[] };
    // The anchor is registered before the children are parsed (decode.go parser.mapping/sequence).
    if (n.anchor) anchors.set(n.anchor, n);
    if (isMap(n) || isSeq(n)) for (const item of n.items as unknown[]) visit(item);
  };
  visit(doc.contents);
  return targets;
}

/** yaml.Unmarshal(text, &v) with v an interface{}: undefined for an empty document. */
export function decodeYaml(text: string): GoValue | undefined {
  const lines = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { schema: "failsafe", uniqueKeys: false, lineCounter: lines, prettyErrors: false });
  } catch (error) {
    throw new YamlRefusal(error instanceof RangeError ? "nests too deeply to read" : String(error));
  }
  if (!Array.isArray(docs) || docs.length === 0) return undefined;
  const doc = docs[0]!;
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line;
    const message = /call stack/i.test(error.message) ? "nests too deeply to read" : error.message.replace(/ at line \d+, column \d+.*$/s, "");
    throw new YamlRefusal(message, line);
  }
  if (docs.length > 1) {
    const line = docs[1]!.range ? lines.linePos(docs[1]!.range[0]).line : undefined;
    throw new YamlRefusal(
      "starts a second YAML document; the Pulumi CLI reads only the first and ignores the rest, so the plan refuses what a reviewer would misread: remove it",
      line,
    );
  }
  if (doc.contents === null) return undefined;
  const decoder = new Decoder(aliasTargets(doc), lines);
  let value: GoValue | undefined;
  try {
    value = decoder.document(doc.contents);
  } catch (err) {
    if (err instanceof RangeError) throw new YamlRefusal("nests too deeply to read");
    throw err;
  }
  if (decoder.typeErrors.length > 0) throw new YamlRefusal(decoder.typeErrors.join("; "));
  return value;
}
