/**
 * Reads `Pulumi.yaml` and `stacks/Pulumi.<stack>.yaml` into exactly the strings `pulumi preview` would hand
 * the program (PULUMI_CONFIG), and refuses what the CLI refuses, before the program runs. The YAML is
 * decoded as the CLI's gopkg.in/yaml.v3 decodes it (go-yaml.ts), and the CLI's own steps are modelled in
 * cli-config.ts; each rule below names its source in pulumi/pulumi or go-yaml/yaml v3.0.1.
 *
 * | in the stack file                    | the program receives                 | rule (source)                                    |
 * | ------------------------------------ | ------------------------------------ | ------------------------------------------------ |
 * | `3`, `0x3`, `0o3`, `0b11`, `+3`, `3_0`| "3" … "30" (decimal)                 | resolve: strconv.ParseInt base 0, `_` dropped    |
 * | `010` (leading zero), `08`           | "8" (octal), "8" (float 8)           | resolve: ParseInt base 0, then yamlStyleFloat    |
 * | `3.0`, `2630.0`, `1e11`, `-0.0`      | "3", "2630", "100000000000", "0"     | round trip: encode.go floatv 'g', decoded again; |
 * |                                      |                                      | object.MarshalString: encoding/json float64      |
 * | `1e21`, `1e-7`, `1e400`              | "1e+21", "1e-7", "1e400" (text)      | encoding/json floatEncoder; ParseFloat overflow  |
 * | `.inf`, `-.Inf`, `.nan`              | refused: json: unsupported value     | object.MarshalString → json.Marshal              |
 * | 12345678901234567890 (uint64)        | "12345678901234567890"               | resolve: ParseUint; MarshalString                |
 * | `true`/`True`/`TRUE`, `false`/…      | "true", "false"                      | resolve: resolveMap (YAML 1.2 spellings only)    |
 * | `yes`, `no`, `on`, `off`, `y`        | "yes", "no", … (text)                | resolve: not in resolveMap                       |
 * | `key:`, `~`, `null`, `Null`          | "" (with a warning)                  | decode.go prepare skips null; checkForEmptyConfig|
 * | `2001-12-14`, `2001-12-14 1:2:3`     | "2001-12-14 00:00:00 +0000 UTC" …    | parseTimestamp → time.Time; unmarshalObject String|
 * | `2001-12-14T01:02:03-05:00`          | refused by the plan (local zone)     | time.Parse uses Local when the offset matches    |
 * | `"3"`, `'3'`, `!!str 3`, `\|` blocks  | the text as written                  | decode.go indicatedString                        |
 * | `!!int 3.5`, `!!bool yes`            | refused: cannot decode … as a …      | resolve's deferred tag check                     |
 * | `!!binary aGk=`                      | "hi"                                 | decode.go scalar: base64                         |
 * | a list / a mapping                   | compact JSON, keys sorted by bytes,  | object.MarshalString, Plaintext.marshalText:     |
 * |                                      | `<>&` escaped (\u003c…)              | encoding/json (HTMLEscape)                       |
 * | `secure: v1:…`                       | the decrypted text (the plan: a      | object.go isSecureValue; Map.Decrypt             |
 * |                                      | withheld marker, listed as secret)   |                                                  |
 * | a bare key `relays:`                 | as `stakepool:relays`                | loaders.go stackConfigNamespacedWithProject      |
 * | `a:b:c`, duplicate keys, `1:` as key | refused                              | config.ParseKey; decode.go mapping; Simplify…    |
 * | many aliases expanding               | refused: excessive aliasing          | decode.go allowedAliasRatio                      |
 *
 * Then Pulumi.yaml's declarations apply (pulumi pkg/workspace/config.go mergeConfig): an unset key takes
 * its `default` (createConfigValue: a string, int or bool as text, anything else as JSON; never
 * encrypted); an unset key of the project's namespace with no default is missing; a typed key must
 * hold its type (ValidateConfigValue: `integer` is any text strconv.Atoi reads, `boolean` is the text
 * true or false, `string` is any scalar, `array` a list whose items match) and a `secret: true` key an
 * encrypted value, which is why a secret key must never have a default (pulumi/pulumi#21865).
 *
 * The plan also refuses, where the CLI would not: a file over 256 KiB (a stack file holds a few settings and
 * keys), bytes that are not UTF-8, a second YAML document (the CLI silently ignores it), a key written
 * twice once namespaced (`relays` and `stakepool:relays`: the CLI keeps one at random), a timestamp with
 * a numeric offset and nesting deeper than about 800 levels (go-yaml.ts says why). Not modelled: YAML 1.1
 * line breaks (U+0085, U+2028, U+2029) inside scalars, which libyaml folds and the `yaml` parser keeps.
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigurationError, type Problem, type Warning } from "../../components/config/problems";
import type { RawConfig } from "../../components/config/read";
import { describeRange } from "../../components/config/numbers";
import { fixFor } from "../../components/config/read";
import { PROJECT, SETTINGS, type SettingKey } from "../../components/config/settings";
import { WITHHELD_SECRET } from "../../components/config/withheld";
import { applyProjectConfig, CliRefusal, parseConfigKey, programString, readProjectConfig, readStackValues, type ConfigValue, type Merged, type ProjectConfig } from "./cli-config";
import { YamlRefusal } from "./go-yaml";

/** Larger files are refused before they are parsed: within it, go-yaml's alias budget keeps the worst document to about a second. */
export const MAX_FILE_BYTES = 256 * 1024;

export interface Project {
  readonly name: string;
  readonly stackConfigDir: string;
  readonly root: string;
  /** Pulumi.yaml's config declarations, as the CLI reads them. */
  readonly config: ProjectConfig;
}

function readText(file: string, label: string): string {
  let bytes: Buffer;
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) {
      throw new ConfigurationError([{ setting: label, message: `is larger than ${MAX_FILE_BYTES} bytes`, fix: "a stack file holds a few settings: remove what does not belong there" }]);
    }
    bytes = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError([{ setting: label, message: "cannot be read", fix: `check that ${file} exists` }]);
  }
  try {
    // loaders.go readFileStripUTF8BOM
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ConfigurationError([{ setting: label, message: "is not UTF-8 text", fix: "save the file as UTF-8" }]);
  }
}

function yamlProblem(label: string, error: YamlRefusal): Problem {
  return {
    setting: label,
    message: `is refused as YAML: ${error.message}`,
    fix: "correct the file by hand (quote a value to keep it as text, e.g. mithrilVersion: \"2630.0\")",
  };
}

function settingOf(key: string): SettingKey | undefined {
  const [namespace, name] = key.split(":") as [string, string | undefined];
  return namespace === PROJECT && name !== undefined && name in SETTINGS ? (name as SettingKey) : undefined;
}

function cliProblem(label: string, project: string, error: CliRefusal, values?: ReadonlyMap<string, ConfigValue>): Problem {
  const full = error.key === undefined ? undefined : parseConfigKeySafe(project, error.key);
  const setting = full === undefined ? undefined : settingOf(full);
  // A type refusal says what the value became (1e20 is "100000000000000000000") and what the setting takes.
  const given = full === undefined ? undefined : values?.get(full);
  const spec = setting === undefined ? undefined : SETTINGS[setting];
  const reads =
    given && !given.secure && spec?.type === "integer" && error.message.includes("must be of type")
      ? ` (the value reads as ${JSON.stringify(given.text)}; ${full} takes ${describeRange(spec.schema)})`
      : "";
  return {
    setting: full === undefined ? label : `${label}: ${full}`,
    message: `the Pulumi CLI refuses it before the program runs: ${error.message}${reads}`,
    fix: setting ? fixFor(setting) : "correct the file by hand",
  };
}

function parseConfigKeySafe(project: string, key: string): string {
  try {
    return parseConfigKey(project, key);
  } catch {
    return key;
  }
}

function refusalsToError(label: string, project: string, error: unknown): never {
  if (error instanceof YamlRefusal) throw new ConfigurationError([yamlProblem(label, error)]);
  if (error instanceof CliRefusal) throw new ConfigurationError([cliProblem(label, project, error)]);
  throw error;
}

export function readProject(root: string): Project {
  const label = "Pulumi.yaml";
  const text = readText(path.join(root, label), label);
  let config: ProjectConfig;
  try {
    config = readProjectConfig(text);
  } catch (error) {
    refusalsToError(label, "", error);
  }
  return { name: config.name, stackConfigDir: config.stackConfigDir ?? ".", root, config };
}

export function stackFilePath(project: Project, stack: string): string {
  return path.join(project.root, project.stackConfigDir, `Pulumi.${stack}.yaml`);
}

export function listStacks(project: Project): string[] {
  const dir = path.join(project.root, project.stackConfigDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export interface LoadedStack {
  readonly config: RawConfig;
  /** What the CLI warns about while reading the stack file. */
  readonly warnings: readonly Warning[];
}

/**
 * The stack's config as the program receives it under `pulumi preview`, with `overrides` applied the way
 * `pulumi preview --config key=value` applies them: as plain text, before the project's checks.
 */
export function loadStack(project: Project, stack: string, overrides: Readonly<Record<string, string>> = {}): LoadedStack {
  const file = stackFilePath(project, stack);
  const label = path.relative(project.root, file);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    throw new ConfigurationError([{ setting: "--stack", message: `${JSON.stringify(stack)} is not a stack name`, fix: `use one of: ${listStacks(project).join(", ")}` }]);
  }
  if (!fs.existsSync(file)) {
    throw new ConfigurationError([{ setting: label, message: "does not exist", fix: `use one of the stacks in ${project.stackConfigDir}/: ${listStacks(project).join(", ")}` }]);
  }
  const text = readText(file, label);
  let values: Map<string, ConfigValue>;
  let nulls: string[];
  let environment: boolean;
  const overridden = new Set<string>();
  try {
    ({ values, nulls, environment } = readStackValues(text, project.name));
    for (const [key, value] of Object.entries(overrides)) {
      const full = parseConfigKey(project.name, key);
      values.set(full, { text: value, secure: false, object: false });
      overridden.add(full);
    }
  } catch (error) {
    refusalsToError(label, project.name, error);
  }
  let merged: Merged;
  try {
    merged = applyProjectConfig(stack, project.config, values, WITHHELD_SECRET);
  } catch (error) {
    refusalsToError(label, project.name, error);
  }
  if (merged.refusals.length > 0) throw new ConfigurationError(merged.refusals.map((r) => cliProblem(label, project.name, r, merged.values)));
  const strings: Record<string, string> = {};
  const secretKeys = new Set<string>();
  try {
    for (const key of [...merged.values.keys()].sort()) {
      const value = merged.values.get(key)!;
      strings[key] = programString(value, WITHHELD_SECRET);
      if (value.secure) secretKeys.add(key);
    }
  } catch (error) {
    refusalsToError(label, project.name, error);
  }
  const warnings: Warning[] = nulls
    .filter((key) => !overridden.has(key))
    .map((key) => ({ setting: key, message: `has no value in ${label}; the Pulumi CLI passes it as an empty string (and warns); write "" if that is what you mean` }));
  if (environment) {
    warnings.push({ setting: label, message: "imports Pulumi ESC environments, whose config the plan cannot open: pulumi preview may see settings this plan does not" });
  }
  return { config: { values: strings, secretKeys }, warnings };
}

/** The stack's config as the program receives it under `pulumi preview`. */
export function readStackConfig(project: Project, stack: string, overrides: Readonly<Record<string, string>> = {}): RawConfig {
  return loadStack(project, stack, overrides).config;
}
