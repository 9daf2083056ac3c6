/**
 * What the Pulumi CLI does with `Pulumi.yaml` and a stack file before the program runs, modelled from
 * pulumi/pulumi's sources (commit 1b5949891b3c, 2026-08-21; file and function named at each rule): the
 * YAML round trip every value makes, the string each value becomes, how project config applies defaults,
 * and how it validates the stack's values. Pure: text in, values or the CLI's refusals out.
 */
import {
  decodeYaml,
  describe,
  goFormatFloatG,
  goJsonFloat,
  goTimeString,
  INT64_MAX,
  INT64_MIN,
  NULL,
  resolvePlain,
  rfc3339Nano,
  str,
  YamlRefusal,
  type GoValue,
} from "./go-yaml";

// ---------------------------------------------------------------------------------------------------
// The round trip. LoadProjectStackBytes and LoadProjectBytes (pulumi sdk/go/common/workspace/loaders.go)
// decode the file into interface{}, re-encode it with yamlutil.YamlEncode (yaml.v3's encoder) and decode
// that again into the typed structs. Strings, ints, bools and nulls come back as they were; a float64 is
// written as strconv.FormatFloat(f, 'g', -1, 64) (yaml.v3 encode.go floatv) and read back as whatever
// that text resolves to: 3.0 is written "3" and becomes the int 3, 1e11 is written "1e+11" and stays a
// float. A time is written in RFC 3339 and read back as the same time.

export function roundTrip(v: GoValue): GoValue {
  switch (v.kind) {
    case "float": {
      const text = goFormatFloatG(v.value);
      return resolvePlain(text === "+Inf" ? ".inf" : text === "-Inf" ? "-.inf" : text === "NaN" ? ".nan" : text);
    }
    case "seq":
      return { kind: "seq", items: v.items.map(roundTrip) };
    case "map":
      return { kind: "map", entries: new Map([...v.entries].map(([k, x]) => [k, roundTrip(x)])) };
    default:
      return v;
  }
}

// ---------------------------------------------------------------------------------------------------
// config.Value (pulumi sdk/go/common/resource/config/object.go). A stack value is decoded by
// object.UnmarshalYAML/unmarshalObject (a time becomes its time.String(); a mapping whose only key is
// `secure` with a string value is a ciphertext) and stored by object.MarshalString: scalars as text
// (numbers and bools as encoding/json writes them), lists and mappings as compact JSON ("object").

/** A config value as the CLI holds it: `object` values are JSON; `secure` ones hold ciphertext. */
export interface ConfigValue {
  readonly text: string;
  readonly secure: boolean;
  readonly object: boolean;
  /** For an object value: what its JSON holds (the plan reads it instead of parsing the text again). */
  readonly tree?: ConfigObject;
}

/** The values a config object holds (object.go `objectType`), ciphertext included. */
export type ConfigObject =
  | { readonly k: "null" }
  | { readonly k: "bool"; readonly v: boolean }
  | { readonly k: "int"; readonly v: bigint }
  | { readonly k: "float"; readonly v: number }
  | { readonly k: "string"; readonly v: string }
  | { readonly k: "secret"; readonly ciphertext: string }
  | { readonly k: "array"; readonly items: readonly ConfigObject[] }
  | { readonly k: "map"; readonly entries: ReadonlyMap<string, ConfigObject> };
type Obj = ConfigObject;

/** object.go unmarshalObject. */
function toObject(v: GoValue): Obj {
  switch (v.kind) {
    case "null":
      return { k: "null" };
    case "bool":
      return { k: "bool", v: v.value };
    case "int":
      return { k: "int", v: v.value };
    case "float":
      return { k: "float", v: v.value };
    case "string":
      return { k: "string", v: v.value };
    case "time":
      return { k: "string", v: goTimeString(v.value) };
    case "seq":
      return { k: "array", items: v.items.map(toObject) };
    case "map": {
      const secure = v.entries.get("secure");
      if (v.entries.size === 1 && secure?.kind === "string") return { k: "secret", ciphertext: secure.value };
      return { k: "map", entries: new Map([...v.entries].map(([key, x]) => [key, toObject(x)])) };
    }
  }
}

function containsSecret(o: Obj): boolean {
  if (o.k === "secret") return true;
  if (o.k === "array") return o.items.some(containsSecret);
  if (o.k === "map") return [...o.entries.values()].some(containsSecret);
  return false;
}

// encoding/json, as Go marshals these values: compact, map keys sorted by their UTF-8 bytes, strings with
// <, >, & and U+2028/U+2029 escaped (json.Marshal's HTML escaping), floats as goJsonFloat.

const GO_JSON_CONTROL: Readonly<Record<string, string>> = { "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\" };

export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    if (GO_JSON_CONTROL[c]) out += GO_JSON_CONTROL[c];
    else if (code < 0x20 || c === "<" || c === ">" || c === "&" || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += c + s[++i]!;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += "\\ufffd"; // a lone surrogate is invalid UTF-8 to Go, written as U+FFFD
    } else out += c;
  }
  return `${out}"`;
}

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

function goJson(o: Obj, secret: (ciphertext: string) => Obj): string {
  switch (o.k) {
    case "null":
      return "null";
    case "bool":
      return String(o.v);
    case "int":
      return o.v.toString();
    case "float":
      return goJsonFloat(o.v);
    case "string":
      return goJsonString(o.v);
    case "secret":
      return goJson(secret(o.ciphertext), secret);
    case "array":
      return `[${o.items.map((x) => goJson(x, secret)).join(",")}]`;
    case "map":
      return `{${[...o.entries.keys()]
        .sort(byUtf8)
        .map((key) => `${goJsonString(key)}:${goJson(o.entries.get(key)!, secret)}`)
        .join(",")}}`;
  }
}

const AS_STORED = (ciphertext: string): Obj => ({ k: "map", entries: new Map([["secure", { k: "string", v: ciphertext }]]) });

/** object.MarshalString. Throws the CLI's refusal for .inf and .nan ("json: unsupported value"). */
function marshalString(o: Obj): ConfigValue {
  switch (o.k) {
    case "bool":
    case "int":
    case "float":
      return { text: goJson(o, AS_STORED), secure: false, object: false };
    case "string":
      return { text: o.v, secure: false, object: false };
    case "secret":
      return { text: o.ciphertext, secure: true, object: false };
    default:
      return { text: goJson(o, AS_STORED), secure: containsSecret(o), object: true, tree: o };
  }
}

/**
 * The config.Value a stack file's `key: value` becomes (after the round trip). A null (`key:`, `key: ~`)
 * never reaches Value.UnmarshalYAML (yaml.v3 decode.go prepare skips null nodes): the zero Value, "",
 * with the warning of loaders.go checkForEmptyConfig.
 */
export function stackConfigValue(v: GoValue): ConfigValue {
  if (v.kind === "null") return { text: "", secure: false, object: false };
  return marshalString(toObject(v));
}

/**
 * An object value as object.UnmarshalJSON reads its JSON back (json.Decoder.UseNumber: a number is an
 * int64 when it is one, else a float64; a mapping whose only key is `secure` is ciphertext). Only the
 * ints beyond int64 change (to the nearest float64); every other number prints the same either way.
 */
function reread(o: Obj): Obj {
  switch (o.k) {
    case "int":
      return o.v >= INT64_MIN && o.v <= INT64_MAX ? o : { k: "float", v: Number(o.v) };
    case "array":
      return { k: "array", items: o.items.map(reread) };
    case "map": {
      const secure = o.entries.get("secure");
      if (o.entries.size === 1 && secure?.k === "string") return { k: "secret", ciphertext: secure.v };
      return { k: "map", entries: new Map([...o.entries].map(([key, x]) => [key, reread(x)])) };
    }
    default:
      return o;
  }
}

/**
 * The string the program receives for a value: config.Map.Decrypt (map.go) with the stack's real
 * decrypter, then Plaintext.marshalText (plaintext.go): plain scalars as stored; objects re-read from
 * their JSON (ints beyond int64 become float64) and written again by encoding/json. Ciphertext is
 * replaced by `withheld` (the plan has no key).
 */
export function programString(value: ConfigValue, withheld: string): string {
  if (!value.object || value.tree === undefined) return value.secure ? withheld : value.text;
  const o = reread(value.tree);
  if (o.k === "string") return o.v;
  if (o.k === "secret") return withheld;
  return goJson(o, () => ({ k: "string", v: withheld }));
}

// ---------------------------------------------------------------------------------------------------
// Pulumi.yaml: project config declarations (pulumi sdk/go/common/workspace/project.go).

export interface ItemsType {
  readonly type: string;
  readonly items?: ItemsType;
}

export interface Declaration {
  /** The key as written in Pulumi.yaml (`relays`, `stakepool:relays`, `aws:region`). */
  readonly key: string;
  readonly type?: string;
  readonly items?: ItemsType;
  readonly description?: string;
  /** After the round trip; absent when not given or null (mergeConfig tests `Default != nil`). */
  readonly default?: GoValue;
  readonly value?: GoValue;
  readonly secret: boolean;
}

export interface ProjectConfig {
  readonly name: string;
  /** Absent: the stack files sit beside Pulumi.yaml. */
  readonly stackConfigDir?: string;
  readonly declarations: readonly Declaration[];
}

/** A refusal of the CLI's, with the config key it is about when there is one. */
export class CliRefusal extends Error {
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = "CliRefusal";
  }
}

const SIMPLE_TYPES = ["string", "integer", "boolean", "array", "object"];

/** Go's strconv.Atoi on 64-bit: optional sign, decimal digits, within int64. */
export function goAtoi(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** A Go value as ValidateConfigValue sees it; JSON-decoded numbers are float64. */
export type Content = GoValue;

/** ValidateConfigValue (project.go): is `value` of the declared type? */
export function validateConfigValue(type: string, items: ItemsType | undefined, value: Content): boolean {
  switch (type) {
    case "string":
      return value.kind === "string";
    case "integer":
      // A Go int; a float64 that is a whole number; or a string strconv.Atoi reads.
      if (value.kind === "int") return value.value >= INT64_MIN && value.value <= INT64_MAX;
      if (value.kind === "float") return Number.isFinite(value.value) && Math.trunc(value.value) === value.value;
      return value.kind === "string" && goAtoi(value.value);
    case "boolean":
      return value.kind === "bool" || (value.kind === "string" && (value.value === "true" || value.value === "false"));
    case "object":
      return value.kind === "map";
    default:
      if (value.kind !== "seq" || items === undefined) return false;
      return value.items.every((item) => validateConfigValue(items.type, items.items, item));
  }
}

/** InferFullTypeName: `array<string>`. */
export function fullTypeName(type: string, items: ItemsType | undefined): string {
  return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

function asMap(v: GoValue | undefined): ReadonlyMap<string, GoValue> | undefined {
  return v?.kind === "map" ? v.entries : undefined;
}

/** The project JSON schema's configItemsType (pulumi sdk/go/common/workspace/project.json). */
function itemsType(v: GoValue, where: string): ItemsType {
  const m = asMap(v);
  const type = m?.get("type");
  if (!m || type?.kind !== "string" || !SIMPLE_TYPES.includes(type.value)) {
    throw new CliRefusal(`${where}: items must be a mapping with a type, one of ${SIMPLE_TYPES.join(", ")}`);
  }
  const items = m.get("items");
  if (type.value === "array" && items === undefined) throw new CliRefusal(`${where}: an array's items must say their type ('items')`);
  return { type: type.value, ...(items !== undefined ? { items: itemsType(items, `${where}.items`) } : {}) };
}

const DECLARATION_FIELDS = new Set(["type", "items", "description", "secret", "default", "value"]);

/**
 * Reads Pulumi.yaml as LoadProjectBytes does: ValidateProject (the name, then the project JSON schema for
 * the config block), RewriteConfigPathIntoStackConfigDir, RewriteShorthandConfigValues (`key: 3` is
 * `key: {default: 3}` in the project's namespace, `{value: 3}` in another), the round trip, and
 * Project.Validate.
 */
export function readProjectConfig(text: string): ProjectConfig {
  const raw = decodeYaml(text);
  const doc = asMap(raw);
  if (!doc) throw new CliRefusal(`expected project to be an object, was ${describe(raw ?? NULL)}`);
  const name = doc.get("name");
  if (name === undefined) throw new CliRefusal("project is missing a 'name' attribute");
  if (name.kind !== "string" || name.value === "") throw new CliRefusal("project is missing a non-empty string 'name' attribute");
  let config = doc.get("config");
  let stackConfigDir = doc.get("stackConfigDir");
  if (stackConfigDir !== undefined && stackConfigDir.kind !== "string" && stackConfigDir.kind !== "null") {
    throw new CliRefusal("stackConfigDir: must be a string");
  }
  if (config?.kind === "string") {
    if (stackConfigDir !== undefined) throw new CliRefusal("Should not use both config and stackConfigDir to define the stack directory. Use only stackConfigDir instead.");
    [stackConfigDir, config] = [config, undefined];
  }
  if (config !== undefined && config.kind !== "map" && config.kind !== "null") throw new CliRefusal("config: must be a mapping of configuration keys");

  const declarations: Declaration[] = [];
  for (const [key, entry] of asMap(config) ?? new Map<string, GoValue>()) {
    const namespaced = !key.includes(":") || key.startsWith(`${name.value}:`);
    let fields: ReadonlyMap<string, GoValue>;
    // The schema's shorthand forms: string, integer, boolean, array.
    if (entry.kind === "string" || entry.kind === "bool" || (entry.kind === "int" && entry.value <= INT64_MAX) || entry.kind === "seq") {
      fields = new Map([[namespaced ? "default" : "value", entry]]);
    } else if (entry.kind === "map") {
      fields = entry.entries;
      for (const field of fields.keys()) {
        if (!DECLARATION_FIELDS.has(field)) throw new CliRefusal(`config.${key}: '${field}' not allowed`, key);
      }
    } else throw new CliRefusal(`config.${key}: must be a string, integer, boolean, array or a declaration with a type`, key);
    const type = fields.get("type");
    if (type !== undefined && (type.kind !== "string" || !SIMPLE_TYPES.includes(type.value))) {
      throw new CliRefusal(`config.${key}.type: must be one of ${SIMPLE_TYPES.join(", ")}`, key);
    }
    const description = fields.get("description");
    if (description !== undefined && description.kind !== "string") throw new CliRefusal(`config.${key}.description: must be a string`, key);
    const secret = fields.get("secret");
    if (secret !== undefined && secret.kind !== "bool") throw new CliRefusal(`config.${key}.secret: must be true or false`, key);
    const items = fields.get("items");
    const defaultValue = fields.get("default");
    const value = fields.get("value");
    const declaration: Declaration = {
      key,
      ...(type?.kind === "string" ? { type: type.value } : {}),
      ...(items !== undefined ? { items: itemsType(items, `config.${key}.items`) } : {}),
      ...(description?.kind === "string" ? { description: description.value } : {}),
      ...(defaultValue !== undefined && defaultValue.kind !== "null" ? { default: roundTrip(defaultValue) } : {}),
      ...(value !== undefined && value.kind !== "null" ? { value: roundTrip(value) } : {}),
      secret: secret?.kind === "bool" && secret.value,
    };
    validateDeclaration(name.value, declaration);
    declarations.push(declaration);
  }
  return {
    name: name.value,
    ...(stackConfigDir?.kind === "string" ? { stackConfigDir: stackConfigDir.value } : {}),
    declarations,
  };
}

/** Project.Validate (project.go). */
function validateDeclaration(project: string, d: Declaration): void {
  if (d.default !== undefined && d.value !== undefined) throw new CliRefusal(`project config '${d.key}' cannot have both a 'default' and 'value' attribute`, d.key);
  const namespaced = !d.key.includes(":") || d.key.startsWith(`${project}:`);
  if (namespaced) {
    if (d.type === "array" && d.items === undefined) {
      throw new CliRefusal(`The configuration key '${d.key}' declares an array but does not specify the underlying type via the 'items' attribute`, d.key);
    }
    if (d.type !== undefined && d.default !== undefined && !validateConfigValue(d.type, d.items, d.default)) {
      throw new CliRefusal(`The default value specified for configuration key '${d.key}' is not of the expected type '${fullTypeName(d.type, d.items)}'`, d.key);
    }
  } else {
    if (d.type !== undefined) throw new CliRefusal(`Configuration key '${d.key}' is not namespaced by the project and should not define a type`, d.key);
    if (d.default !== undefined) {
      throw new CliRefusal(
        `Configuration key '${d.key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
        d.key,
      );
    }
    if (d.value === undefined) throw new CliRefusal(`Configuration key '${d.key}' is namespaced and must provide an attribute 'value'`, d.key);
  }
}

/**
 * config.ParseKey (key.go) after the project's namespace is added to a bare key (loaders.go
 * stackConfigNamespacedWithProject; config_project parseConfigKey): `<namespace>:<name>`, or the old
 * `<namespace>:config:<name>`.
 */
export function parseConfigKey(project: string, key: string): string {
  if (!key.includes(":")) return `${project}:${key}`;
  const parts = key.split(":");
  if (parts.length === 2) return key;
  if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") return `${parts[0]}:${parts[2]}`;
  throw new CliRefusal(`could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`, key);
}

/**
 * createConfigValue (pulumi pkg/workspace/config.go): a default or value from Pulumi.yaml as the stack's
 * value. A Go string, int or bool is written with fmt's %v as plain text; anything else is written by
 * encoding/json and held as an object value. Never secure: hence a secret key with a default is refused.
 */
export function projectDefaultValue(v: GoValue): ConfigValue {
  if (v.kind === "string") return { text: v.value, secure: false, object: false };
  if (v.kind === "bool") return { text: String(v.value), secure: false, object: false };
  if (v.kind === "int" && v.value >= INT64_MIN && v.value <= INT64_MAX) return { text: v.value.toString(), secure: false, object: false };
  // encoding/json writes a time.Time as its RFC 3339 text (time.Time.MarshalJSON).
  const tree = (x: GoValue): Obj => {
    switch (x.kind) {
      case "time":
        return { k: "string", v: rfc3339Nano(x.value) };
      case "seq":
        return { k: "array", items: x.items.map(tree) };
      case "map":
        return { k: "map", entries: new Map([...x.entries].map(([key, y]) => [key, tree(y)])) };
      default:
        return toObject(x);
    }
  };
  const o = tree(v);
  return { text: goJson(o, AS_STORED), secure: false, object: true, tree: o };
}

/** What validateStackConfigValue checks the type of: the text, or for an object value its JSON decoded. */
function content(value: ConfigValue, withheld: string): Content {
  const text = programString(value, withheld);
  if (!value.object) return str(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return NULL;
  }
  const toGo = (x: unknown): GoValue => {
    if (x === null) return NULL;
    if (typeof x === "boolean") return { kind: "bool", value: x };
    if (typeof x === "number") return { kind: "float", value: x };
    if (typeof x === "string") return str(x);
    if (Array.isArray(x)) return { kind: "seq", items: x.map(toGo) };
    return { kind: "map", entries: new Map(Object.entries(x as Record<string, unknown>).map(([k, y]) => [k, toGo(y)])) };
  };
  return toGo(parsed);
}

export interface Merged {
  readonly values: ReadonlyMap<string, ConfigValue>;
  /** The CLI's refusals, in its words; empty when `pulumi preview` would go on to run the program. */
  readonly refusals: readonly CliRefusal[];
}

/** formatMissingKeys (pulumi pkg/workspace/config.go): 'a', 'b' and 'c'. */
function quotedList(keys: readonly string[]): string {
  const sorted = [...keys].sort();
  if (sorted.length === 1) return `'${sorted[0]}'`;
  return sorted.map((k, i) => (i === sorted.length - 1 ? `and '${k}'` : i === sorted.length - 2 ? `'${k}' ` : `'${k}', `)).join("");
}

/**
 * ValidateStackConfigAndApplyProjectConfig / mergeConfig (pulumi pkg/workspace/config.go), in the
 * project's key order (sorted): a declared key the stack does not set takes the project's default (or
 * value); a key of the project's namespace with neither is missing (one error naming them all); then
 * every explicitly typed key is checked, first that a `secret: true` key holds an encrypted value, then
 * its type. The CLI stops at the first such error; the refusals here list each one it would meet.
 */
export function applyProjectConfig(stack: string, project: ProjectConfig, stackValues: ReadonlyMap<string, ConfigValue>, withheld: string): Merged {
  const values = new Map(stackValues);
  const declarations = [...project.declarations].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const missing: string[] = [];
  const defaulted = new Set<string>();
  for (const d of declarations) {
    const key = parseConfigKey(project.name, d.key);
    if (values.has(key)) continue;
    const given = d.default ?? d.value;
    if (given === undefined) {
      if (key.split(":")[0] === project.name) missing.push(d.key);
      continue;
    }
    values.set(key, projectDefaultValue(given));
    defaulted.add(key);
  }
  if (missing.length > 0) {
    const noun = missing.length > 1 ? "values" : "value";
    return { values, refusals: [new CliRefusal(`Stack '${stack}' is missing configuration ${noun} ${quotedList(missing)}`)] };
  }
  const refusals: CliRefusal[] = [];
  for (const d of declarations) {
    if (d.type === undefined) continue;
    const key = parseConfigKey(project.name, d.key);
    const value = values.get(key) ?? { text: "", secure: false, object: false };
    if (d.secret && !value.secure) {
      const why = defaulted.has(key) ? " (the value is Pulumi.yaml's default, which the CLI never encrypts: a secret key must not have one, pulumi/pulumi#21865)" : "";
      refusals.push(new CliRefusal(`Stack '${stack}' with configuration key '${d.key}' must be encrypted as it's secret${why}`, d.key));
      continue;
    }
    // The plan cannot decrypt: an encrypted scalar's type is for `pulumi preview` to check.
    if (value.secure && !value.object) continue;
    if (!validateConfigValue(d.type, d.items, content(value, withheld))) {
      refusals.push(new CliRefusal(`Stack '${stack}' with configuration key '${d.key}' must be of type '${fullTypeName(d.type, d.items)}'`, d.key));
    }
  }
  return { values, refusals };
}

/**
 * A stack file as LoadProjectStackBytes reads it: a mapping (or empty), whose `config:` mapping keys are
 * namespaced with the project's name when bare. Values are returned after the round trip, with the
 * keys whose value is null (for checkForEmptyConfig's warning).
 */
export function readStackValues(text: string, project: string): { values: Map<string, ConfigValue>; nulls: string[]; environment: boolean } {
  const raw = decodeYaml(text);
  const values = new Map<string, ConfigValue>();
  const nulls: string[] = [];
  if (raw === undefined || raw.kind === "null") return { values, nulls, environment: false };
  if (raw.kind !== "map") throw new CliRefusal(`expected project to be an object, was ${describe(raw)}`);
  // Pulumi ESC environments add config of their own (mergeConfig), which only the CLI can open.
  const env = raw.entries.get("environment");
  const environment = env !== undefined && env.kind !== "null" && !(env.kind === "seq" && env.items.length === 0);
  const config = raw.entries.get("config");
  if (config === undefined || config.kind === "null") return { values, nulls, environment };
  if (config.kind !== "map") throw new CliRefusal(`config: cannot unmarshal ${describe(config)} into config.Map: it must be a mapping of settings`);
  const written = new Map<string, string>();
  for (const [rawKey, value] of config.entries) {
    // stackConfigNamespacedWithProject, then Key.UnmarshalYAML.
    const key = parseConfigKey(project, rawKey);
    const earlier = written.get(key);
    if (earlier !== undefined) {
      // Both land on one key of a Go map: which one wins depends on map iteration order.
      throw new CliRefusal(`${earlier} and ${rawKey} are the same setting, ${key}; the Pulumi CLI would keep one of them at random: remove one`, key);
    }
    written.set(key, rawKey);
    if (value.kind === "null") nulls.push(key);
    try {
      values.set(key, stackConfigValue(roundTrip(value)));
    } catch (error) {
      if (error instanceof YamlRefusal) throw new CliRefusal(error.message, key);
      throw error;
    }
  }
  return { values, nulls, environment };
}
