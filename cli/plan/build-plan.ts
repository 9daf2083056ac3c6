/**
 * The plan: the real program run under mocks with a stack's config, turned into the files that the
 * design's contract names. Returns the files (path to content) so that the CLI and tests share it.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { RawConfig } from "../../components/config/read";
import { loadPool } from "../../components/pool/load";
import { renderHostFiles } from "../../components/pool/host-files";
import { renderPlanMarkdown, type HostRow } from "./plan-md";
import { runProgram, type CapturedResource } from "./run-program";
import { readProject, readStackConfig } from "./stack-file";

export interface Plan {
  /** Relative path inside the output folder to file content. */
  readonly files: ReadonlyMap<string, string>;
  readonly resources: readonly CapturedResource[];
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function byTree(resources: readonly CapturedResource[]): CapturedResource[] {
  const children = new Map<string | undefined, CapturedResource[]>();
  for (const r of resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const ordered: CapturedResource[] = [];
  const visit = (parent: string | undefined) => {
    const list = (children.get(parent) ?? []).sort((a, b) => (a.name === b.name ? (a.type < b.type ? -1 : 1) : a.name < b.name ? -1 : 1));
    for (const r of list) {
      ordered.push(r);
      visit(`${r.type}::${r.name}`);
    }
  };
  visit(undefined);
  if (ordered.length !== resources.length) throw new Error("resource tree is inconsistent: some parents were never registered");
  return ordered;
}

/** A delivery's stdin is base64 of files the plan writes under hosts/: show its size and digest instead. */
function readableInputs(r: CapturedResource): Record<string, unknown> {
  if (r.type !== "command:remote:Command" || typeof r.inputs.stdin !== "string") return r.inputs;
  const stdin = r.inputs.stdin;
  return { ...r.inputs, stdin: `<${Buffer.byteLength(stdin)} bytes of delivered files, sha256 ${createHash("sha256").update(stdin).digest("hex")}>` };
}

export function assertUniqueNames(resources: readonly CapturedResource[]): void {
  const seen = new Set<string>();
  for (const r of resources) {
    const key = `${r.type}::${r.name}`;
    if (seen.has(key)) throw new Error(`two resources share the type and name ${key}; the engine would refuse the program`);
    seen.add(key);
  }
}

export async function buildPlanFromConfig(root: string, stack: string, project: string, config: RawConfig): Promise<Plan> {
  // The same pure function the program calls: it throws the same ConfigurationError before any resource.
  const pool = loadPool(config, stack, { plan: true, baseDir: root });
  const { model, warnings } = pool;
  const run = await runProgram({ programPath: path.join(root, "index.ts"), project, stack, config });
  assertUniqueNames(run.resources);
  const resources = byTree(run.resources);

  const hosts = run.outputs.hosts as HostRow[];
  const relayRegistration = run.outputs.relayRegistration as string[];
  const files = new Map<string, string>();
  files.set(
    "hosts.json",
    json(hosts.map((h) => ({
      name: h.name,
      role: h.role,
      privateIp: h.privateIp,
      publicIp: h.publicIp,
      availabilityZone: h.availabilityZone,
      instanceType: h.instanceType,
      memoryGiB: h.memoryGiB,
      dataDiskGiB: h.dataDiskGiB,
    }))),
  );
  for (const host of model.hosts) {
    for (const [file, content] of Object.entries(renderHostFiles(pool, host)) as [string, string][]) {
      files.set(`hosts/${host.name}/${file}`, content);
    }
  }
  files.set(
    "resources.json",
    json(resources.map((r) => ({
      type: r.type,
      name: r.name,
      id: r.id ?? null,
      parent: r.parent ?? null,
      ...(Object.keys(r.options).length > 0 ? { options: r.options } : {}),
      inputs: readableInputs(r),
    }))),
  );
  files.set("plan.md", renderPlanMarkdown({ pool, model, hosts, relayRegistration, resources, warnings }));
  return { files, resources };
}

/** Plans a committed stack; `overrides` replace single settings, like `pulumi preview --config`. */
export async function buildPlan(root: string, stack: string, overrides: Readonly<Record<string, string>> = {}): Promise<Plan> {
  const project = readProject(root);
  const config = readStackConfig(project, stack);
  const values = { ...config.values, ...overrides };
  const secretKeys = new Set([...config.secretKeys].filter((key) => !(key in overrides)));
  return buildPlanFromConfig(root, stack, project.name, { values, secretKeys });
}
