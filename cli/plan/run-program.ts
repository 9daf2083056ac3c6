/**
 * Runs the real program under Pulumi mocks and records every resource registration as the engine
 * would see it: type, name, parent, inputs (secrets masked) and the resource options that change
 * how a deployment behaves (protect, ignoreChanges, deleteBeforeReplace, ...).
 */
import * as pulumi from "@pulumi/pulumi";
import { PLAN_ENV } from "../../components/config/mode";
import type { RawConfig } from "../../components/config/read";
import { planMocks, setPlanRegion } from "./mocks";

export const SECRET_MASK = "[secret]";

export interface ResourceOptionsRecord {
  protect?: true;
  ignoreChanges?: string[];
  deleteBeforeReplace?: true;
  retainOnDelete?: true;
  replaceOnChanges?: string[];
  additionalSecretOutputs?: string[];
  /** `type::name` of every resource the engine waits for before this one. */
  dependsOn?: string[];
}

export interface CapturedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** `type::name` of the parent resource; undefined only for the stack itself. */
  readonly parent: string | undefined;
  readonly id: string | undefined;
  readonly inputs: Record<string, unknown>;
  readonly options: ResourceOptionsRecord;
}

export interface ProgramRun {
  readonly resources: CapturedResource[];
  readonly outputs: Record<string, unknown>;
}

/** The parts of the protobuf RegisterResourceRequest the plan reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getRetainondelete(): boolean | undefined;
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList(): string[];
}

interface RegisterResponse {
  getUrn(): string;
  getId(): string;
}

interface MonitorLike {
  registerResource(req: RegisterRequest, callback: (err: unknown, res: RegisterResponse | undefined) => void): Promise<void>;
}

function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** Replaces every secret with a mask, and drops the SDK's internal markers. */
export function maskSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return SECRET_MASK;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === "object" && value !== null) {
    const sig = (value as Record<string, unknown>)[pulumi.runtime.specialSigKey];
    if (sig === pulumi.runtime.specialAssetSig || sig === pulumi.runtime.specialArchiveSig) {
      const { [pulumi.runtime.specialSigKey]: _sig, ...rest } = value as Record<string, unknown>;
      return maskSecrets(rest);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
  }
  return value;
}

function typeAndName(urn: string): string {
  // urn:pulumi:<stack>::<project>::<parentType$...$type>::<name>
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  const type = qualified.split("$").pop() ?? qualified;
  return `${type}::${parts.slice(3).join("::")}`;
}

function options(req: RegisterRequest): ResourceOptionsRecord {
  const o: ResourceOptionsRecord = {};
  if (req.getProtect()) o.protect = true;
  if (req.getIgnorechangesList().length > 0) o.ignoreChanges = [...req.getIgnorechangesList()].sort();
  if (req.getDeletebeforereplace()) o.deleteBeforeReplace = true;
  if (req.getRetainondelete()) o.retainOnDelete = true;
  if (req.getReplaceonchangesList().length > 0) o.replaceOnChanges = [...req.getReplaceonchangesList()].sort();
  if (req.getAdditionalsecretoutputsList().length > 0) o.additionalSecretOutputs = [...req.getAdditionalsecretoutputsList()].sort();
  // Direct dependencies, explicit (dependsOn) and through inputs: what the engine waits for first.
  if (req.getDependenciesList().length > 0) o.dependsOn = [...new Set(req.getDependenciesList().map(typeAndName))].sort();
  return o;
}

/**
 * Loads the program as the Pulumi language host does for a CommonJS project: `require`, through the
 * TypeScript hook that is registered (ts-node under the CLI, tsx under `npm run plan`). Under vitest,
 * which hooks `import` only, a dynamic import.
 */
async function loadProgram(programPath: string): Promise<Record<string, unknown>> {
  // require.extensions is the only way to ask whether .ts has a require hook; require is the point here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (typeof require === "function" && require.extensions[".ts"]) return require(programPath) as Record<string, unknown>;
  return (await import(programPath)) as Record<string, unknown>;
}

export interface RunOptions {
  readonly programPath: string;
  readonly project: string;
  readonly stack: string;
  readonly config: RawConfig;
  /** Receives each registration as it happens, also when the program later fails. */
  readonly sink?: CapturedResource[];
}

/**
 * Runs the program once. The Pulumi runtime is process-global: call this once per process (the plan
 * CLI) or once per test file (vitest isolates files). test/helpers/plan-batch-runner.ts calls it again in
 * one process only after dropping the repository's modules from the require cache (index.ts runs at load);
 * test/plan/plan-batch.test.ts holds those plans equal to plans in their own processes.
 */
export async function runProgram(run: RunOptions): Promise<ProgramRun> {
  process.env[PLAN_ENV] = "1";
  setPlanRegion(run.config.values["aws:region"] ?? "us-east-1");
  // Inputs arrive through the mocks (already deserialized); parent and options through the monitor.
  const inputsOf = new Map<string, Record<string, unknown>>();
  await pulumi.runtime.setMocks(
    planMocks((type, name, inputs) => inputsOf.set(`${type}::${name}`, inputs)),
    run.project,
    run.stack,
    false,
  );
  pulumi.runtime.setAllConfig({ ...run.config.values }, [...run.config.secretKeys]);

  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  const resources: CapturedResource[] = run.sink ?? [];
  monitor.registerResource = (req, callback) =>
    register(req, (err, res) => {
      if (!err && res) {
        const parent = req.getParent();
        resources.push({
          urn: res.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: parent ? typeAndName(parent) : undefined,
          id: res.getId() || undefined,
          inputs: maskSecrets(inputsOf.get(`${req.getType()}::${req.getName()}`) ?? {}) as Record<string, unknown>,
          options: options(req),
        });
      }
      callback(err, res);
    });

  // The SDK re-raises a program's error through the stack's output promises; like the language host,
  // report it once and swallow those echoes.
  const echoes: unknown[] = [];
  const onRejection = (reason: unknown) => echoes.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
      const loaded = await loadProgram(run.programPath);
      const exported = (loaded.default ?? loaded) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(exported).filter(([k]) => k !== "__esModule" && k !== "module.exports"));
    });
    await pulumi.runtime.disconnect();
    if (echoes.length > 0) throw echoes[0];
    return { resources, outputs: maskSecrets(outputs ?? {}) as Record<string, unknown> };
  } finally {
    // Let the echoes of a failed run surface (they arrive on the next turns) before unhooking.
    await new Promise((resolve) => setTimeout(resolve, 0));
    process.off("unhandledRejection", onRejection);
  }
}
