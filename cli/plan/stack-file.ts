/**
 * Reads `Pulumi.yaml` and `stacks/Pulumi.<stack>.yaml` the way the Pulumi CLI would hand them to the
 * program: every value a string (lists and objects as JSON), project defaults applied, encrypted
 * values withheld (the plan has no key to decrypt them) and listed as secret.
 */
import fs from "node:fs";
import path from "node:path";
import * as yaml from "js-yaml";
import { ConfigurationError, type Problem } from "../../components/config/problems";
import type { RawConfig } from "../../components/config/read";
import { WITHHELD_SECRET } from "../../components/config/withheld";

export interface Project {
  readonly name: string;
  readonly stackConfigDir: string;
  readonly defaults: Readonly<Record<string, string>>;
  readonly root: string;
}

function parseYaml(file: string, label: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new ConfigurationError([{ setting: label, message: "cannot be read", fix: `check that ${file} exists` }]);
  }
  try {
    return yaml.load(text, { filename: label });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigurationError([{ setting: label, message: `is not valid YAML: ${reason}`, fix: `correct the file by hand (quote values that contain ': ' or start with special characters)` }]);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The string form Pulumi hands a program: scalars as text, lists and maps as JSON. */
function configString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function isSecure(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

export function readProject(root: string): Project {
  const doc = parseYaml(path.join(root, "Pulumi.yaml"), "Pulumi.yaml");
  if (!isRecord(doc) || typeof doc.name !== "string") {
    throw new ConfigurationError([{ setting: "Pulumi.yaml", message: "has no project name", fix: "restore Pulumi.yaml from the repository" }]);
  }
  const defaults: Record<string, string> = {};
  if (isRecord(doc.config)) {
    for (const [key, declaration] of Object.entries(doc.config)) {
      const full = key.includes(":") ? key : `${doc.name}:${key}`;
      if (isRecord(declaration) && "default" in declaration) defaults[full] = configString(declaration.default);
    }
  }
  const stackConfigDir = typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".";
  return { name: doc.name, stackConfigDir, defaults, root };
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

export function readStackConfig(project: Project, stack: string): RawConfig {
  const file = stackFilePath(project, stack);
  const label = path.relative(project.root, file);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    throw new ConfigurationError([{ setting: "--stack", message: `${JSON.stringify(stack)} is not a stack name`, fix: `use one of: ${listStacks(project).join(", ")}` }]);
  }
  if (!fs.existsSync(file)) {
    throw new ConfigurationError([{ setting: label, message: "does not exist", fix: `use one of the stacks in ${project.stackConfigDir}/: ${listStacks(project).join(", ")}` }]);
  }
  const doc = parseYaml(file, label);
  const problems: Problem[] = [];
  const values: Record<string, string> = { ...project.defaults };
  const secretKeys = new Set<string>();
  const config = isRecord(doc) ? doc.config : undefined;
  if (!isRecord(doc) || (config !== undefined && config !== null && !isRecord(config))) {
    throw new ConfigurationError([{ setting: label, message: "must be a mapping with a `config:` mapping inside", fix: "see stacks/Pulumi.preview.yaml for the shape" }]);
  }
  for (const [key, value] of Object.entries(isRecord(config) ? config : {})) {
    if (!/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/.test(key)) {
      problems.push({ setting: `${label}: ${key}`, message: "is not a config key of the form <namespace>:<name>", fix: `write it as ${project.name}:${key}` });
      continue;
    }
    if (isSecure(value)) {
      values[key] = WITHHELD_SECRET;
      secretKeys.add(key);
    } else if (value === null || value === undefined) {
      problems.push({ setting: key, message: "has no value", fix: `set a value, or remove the line from ${label}` });
    } else {
      values[key] = configString(value);
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return { values, secretKeys };
}
