/**
 * Turns raw Pulumi config (every value a string, lists as JSON) into typed settings, collecting a
 * problem for every value that is missing, of the wrong type, out of range, or unknown.
 */
import { NETWORK_NAMES } from "../networks/networks";
import { describeRange } from "./numbers";
import { Findings } from "./problems";
import { exampleWord, shellQuote, singleQuote } from "./shell";
import { describeUnsafe, findUnsafeInValue } from "./text";
import { fullKey, PROJECT, SETTINGS, type SettingKey, type Settings, type SettingSpec } from "./settings";

/** Config as the Pulumi runtime holds it: `namespace:key` to string. */
export interface RawConfig {
  readonly values: Readonly<Record<string, string>>;
  /** Keys whose value was stored encrypted (`pulumi config set --secret`). */
  readonly secretKeys: ReadonlySet<string>;
}

export interface ReadResult {
  /** Present when every setting could be read. */
  readonly settings: Settings | undefined;
  /**
   * Every setting that could be read, with defaults (or empty stand-ins) in place of the ones that
   * could not; present when the network is known. Lets the later checks report their problems in the
   * same run.
   */
  readonly bestEffort: Settings | undefined;
  readonly region: string | undefined;
  readonly findings: Findings;
}

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
/** Key envelopes are JSON text over several lines: line feeds, carriage returns and tabs are theirs. */
const MULTILINE_SETTINGS: ReadonlySet<SettingKey> = new Set(["kesSigningKey", "vrfSigningKey", "operationalCertificate"]);

/** The command that sets `key` to its example; every word shell-safe (components/config/shell.ts). */
export function fixFor(key: SettingKey): string {
  const s: SettingSpec = SETTINGS[key];
  if (s.type === "array") return `pulumi config set --path ${singleQuote(`${fullKey(key)}[0]`)} ${exampleWord(s.example)}`;
  if (s.type === "records") {
    const [field, ...value] = s.example.split(" ");
    return `pulumi config set --path ${singleQuote(`${fullKey(key)}[0].${field}`)} ${exampleWord(value.join(" "))}`;
  }
  if (s.type === "object") {
    const [field, ...value] = s.example.split(" ");
    return `pulumi config set --path ${singleQuote(`${fullKey(key)}.${field}`)} ${exampleWord(value.join(" "))}`;
  }
  return `pulumi config set ${s.secret ? "--secret " : ""}${fullKey(key)} ${exampleWord(s.example)}`;
}

function coerce(spec: SettingSpec, raw: string): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (spec.type) {
    case "string":
      return { ok: true, value: raw };
    case "integer": {
      // 1e20 and 21-digit numbers are out of every setting's range: say the range, not a number-type limit.
      const range = describeRange(spec.schema);
      if (!/^-?\d+$/.test(raw.trim())) return { ok: false, message: `must be ${range} (got ${JSON.stringify(raw)})` };
      const value = Number(raw.trim());
      if (!Number.isSafeInteger(value)) return { ok: false, message: `must be ${range} (got ${raw.trim()})` };
      return { ok: true, value };
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") return { ok: false, message: `must be true or false (got ${JSON.stringify(raw)})` };
      return { ok: true, value: raw === "true" };
    case "array": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return { ok: false, message: `must be a list (got ${JSON.stringify(raw)})` };
      }
      if (!Array.isArray(parsed)) return { ok: false, message: `must be a list (got ${JSON.stringify(raw)})` };
      return { ok: true, value: parsed };
    }
    case "records": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return { ok: false, message: "must be a list (- name: … entries under the setting in the stack file)" };
      }
      if (!Array.isArray(parsed)) return { ok: false, message: "must be a list (- name: … entries under the setting in the stack file)" };
      return { ok: true, value: parsed };
    }
    case "object": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return { ok: false, message: "must be a mapping (key: value lines under the setting in the stack file)" };
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return { ok: false, message: "must be a mapping (key: value lines under the setting in the stack file)" };
      }
      return { ok: true, value: parsed };
    }
  }
}

function readOne(key: SettingKey, raw: RawConfig, findings: Findings): { ok: boolean; value?: unknown } {
  const spec: SettingSpec = SETTINGS[key];
  const name = fullKey(key);
  const text = raw.values[name];
  let value: unknown;
  if (text === undefined) {
    if (spec.default === undefined) {
      findings.problem(name, "is required but not set", fixFor(key));
      return { ok: false };
    }
    value = spec.default;
  } else {
    const coerced = coerce(spec, text);
    if (!coerced.ok) {
      findings.problem(name, coerced.message, fixFor(key));
      return { ok: false };
    }
    value = coerced.value;
  }
  // Control, bidirectional and invisible characters: refused in every setting (components/config/text.ts).
  const unsafe = findUnsafeInValue(name, value, { multiline: MULTILINE_SETTINGS.has(key) });
  if (unsafe) {
    const nested = unsafe.setting !== name;
    const at = nested ? `--path ${singleQuote(unsafe.setting)}` : name;
    findings.problem(
      unsafe.setting,
      `${unsafe.inKey ? "its name " : ""}${describeUnsafe(unsafe.found)}`,
      unsafe.inKey ? `pulumi config rm ${at}` : `retype the value without it: pulumi config set ${at} '<the text without ${unsafe.found.codePoint}>'`,
    );
    return { ok: false };
  }
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) {
    const loose = key === "network" && typeof value === "string" ? NETWORK_NAMES.find((n) => n === value.trim().toLowerCase()) : undefined;
    if (loose) {
      findings.problem(name, `network names are lower case and exact: did you mean ${loose}? (got ${JSON.stringify(value)})`, `pulumi config set ${name} ${loose}`);
      return { ok: false };
    }
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (item ${issue.path.join(".")})` : "";
    findings.problem(name, `${issue?.message ?? "is not valid"}${where}`, fixFor(key));
    return { ok: false };
  }
  return { ok: true, value: parsed.data };
}

/** Levenshtein distance, for "did you mean" on misspelt setting names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closestSetting(key: string): SettingKey | undefined {
  let best: { key: SettingKey; d: number } | undefined;
  for (const candidate of Object.keys(SETTINGS) as SettingKey[]) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (!best || d < best.d) best = { key: candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

export interface ReadOptions {
  /** Under `npm run plan`: plain-text secrets are a warning, not an error. */
  readonly plan?: boolean;
}

export function readSettings(raw: RawConfig, options: ReadOptions = {}): ReadResult {
  const findings = new Findings();

  for (const name of Object.keys(raw.values).sort()) {
    if (!name.startsWith(`${PROJECT}:`)) continue;
    const key = name.slice(PROJECT.length + 1);
    if (key in SETTINGS) continue;
    const guess = closestSetting(key);
    findings.problem(
      name,
      "is not a setting of this kit",
      guess
        ? `did you mean ${fullKey(guess)}? Run: pulumi config rm ${shellQuote(name)}`
        : `remove it (pulumi config rm ${shellQuote(name)}); the settings are listed in Pulumi.yaml`,
    );
  }

  const values: Partial<Record<SettingKey, unknown>> = {};
  let complete = true;
  let usable = true;
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const result = readOne(key, raw, findings);
    const spec: SettingSpec = SETTINGS[key];
    if (result.ok) {
      values[key] = result.value;
    } else {
      complete = false;
      // Stand-ins let the later checks run; their findings on this setting are dropped as duplicates.
      if (spec.default !== undefined) values[key] = spec.default;
      else if (key === "network") usable = false;
      else values[key] = spec.type === "array" ? [] : "";
    }
    const text = raw.values[fullKey(key)];
    if (spec.secret && text !== undefined && text !== "" && !raw.secretKeys.has(fullKey(key))) {
      const message = "is stored as plain text in the stack file, where anyone who can read the repository can read it";
      if (options.plan) findings.warn(fullKey(key), `${message}; pulumi up refuses it (fine only for public test vectors)`);
      else findings.problem(fullKey(key), `${message}; it must be encrypted`, `pulumi config set --secret ${fullKey(key)} ${exampleWord(spec.example)}`);
    }
  }

  // Only AWS deploys to a region; the operator's own servers are wherever they are.
  const onAws = (values.backend ?? "aws") === "aws";
  const region = raw.values["aws:region"];
  if (onAws && (region === undefined || region === "")) {
    findings.problem("aws:region", "is required but not set", "pulumi config set aws:region us-east-1");
  } else if (onAws && region !== undefined && !REGION_PATTERN.test(region)) {
    findings.problem("aws:region", `is not an AWS region name (got ${JSON.stringify(region)})`, "pulumi config set aws:region us-east-1");
  }

  return {
    settings: complete ? (values as Settings) : undefined,
    bestEffort: usable ? (values as Settings) : undefined,
    region: region && REGION_PATTERN.test(region) ? region : undefined,
    findings,
  };
}
