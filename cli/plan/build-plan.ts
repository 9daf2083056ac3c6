/**
 * The plan: the real program run under mocks with a stack's config, turned into the files that the
 * design's contract names. Returns the files (path to content) so that the CLI and tests share it.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { Warning } from "../../components/config/problems";
import type { RawConfig } from "../../components/config/read";
import { planNow } from "../../components/config/mode";
import { isWithheld } from "../../components/config/withheld";
import { scanForKeyMaterial } from "../../components/keys/scan";
import { planDeployment } from "../../components/deployment/deployment";
import { renderBootstrap } from "../../components/backends/aws/bootstrap";
import { loadPool } from "../../components/program/load";
import type { ChangeContext } from "./changes";
import { renderPlanMarkdown, type HostRow } from "./plan-md";
import { runProgram, SECRET_MASK, type CapturedResource } from "./run-program";
import { loadStack, readProject } from "./stack-file";

export interface Plan {
  /** Relative path inside the output folder to file content. */
  readonly files: ReadonlyMap<string, string>;
  readonly resources: readonly CapturedResource[];
  /** What the change report needs from the deployment: each command's effect, the rollout order. */
  readonly changeContext: ChangeContext;
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

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Inputs that are encodings of files the plan writes under hosts/ (a delivery's stdin, an instance's
 * gzipped user data) are shown as their size and digest: the readable file is beside it.
 */
function readableInputs(r: CapturedResource): Record<string, unknown> {
  const { stdin, userDataBase64 } = r.inputs;
  if (r.type === "command:remote:Command" && typeof stdin === "string" && stdin !== SECRET_MASK) {
    return { ...r.inputs, stdin: `<${Buffer.byteLength(stdin)} bytes of delivered files, sha256 ${sha256(stdin)}>` };
  }
  if (r.type === "aws:ec2/instance:Instance" && typeof userDataBase64 === "string") {
    const host = (r.inputs.tags as Record<string, string> | undefined)?.["stakepool:host"] ?? "?";
    const bytes = Buffer.from(userDataBase64, "base64").length;
    return { ...r.inputs, userDataBase64: `<${bytes} bytes: gzip of hosts/${host}/cloud-init.yaml, sha256 ${sha256(userDataBase64)}>` };
  }
  return r.inputs;
}

export function assertUniqueNames(resources: readonly CapturedResource[]): void {
  const seen = new Set<string>();
  for (const r of resources) {
    const key = `${r.type}::${r.name}`;
    if (seen.has(key)) throw new Error(`two resources share the type and name ${key}; the engine would refuse the program`);
    seen.add(key);
  }
}

/**
 * A last guard: no plan file may contain the configured signing keys, whole or in part. Finding one is a
 * bug in the kit (the keys only ever travel as Pulumi secrets), so the plan stops instead of writing it.
 */
function refuseKeyMaterial(files: ReadonlyMap<string, string>, pool: { settings: { kesSigningKey: string; vrfSigningKey: string } }): void {
  const known = [pool.settings.kesSigningKey, pool.settings.vrfSigningKey]
    .filter((v) => v !== "" && !isWithheld(v))
    .flatMap((v) => {
      try {
        return [(JSON.parse(v) as { cborHex?: string }).cborHex ?? v];
      } catch {
        return [v];
      }
    });
  if (known.length === 0) return;
  for (const [file, text] of files) {
    const hits = scanForKeyMaterial(text, { known }).filter((hit) => hit.kind === "known-secret");
    if (hits.length > 0) throw new Error(`the plan would write key material into ${file}; nothing was written (a bug in the kit)`);
  }
}

export async function buildPlanFromConfig(root: string, stack: string, project: string, config: RawConfig, readerWarnings: readonly Warning[] = []): Promise<Plan> {
  // The same pure function the program calls: it throws the same ConfigurationError before any resource.
  const pool = loadPool(config, stack, { plan: true, baseDir: root, now: planNow() });
  const { model } = pool;
  const warnings = [...readerWarnings, ...pool.warnings];
  const run = await runProgram({ programPath: path.join(root, "index.ts"), project, stack, config });
  assertUniqueNames(run.resources);
  const resources = byTree(run.resources);

  const hosts = run.outputs.hosts as HostRow[];
  const relayRegistration = run.outputs.relayRegistration as string[];
  const registrationCommand = run.outputs.registrationCommand as string;
  const files = new Map<string, string>();
  files.set(
    "hosts.json",
    json(hosts.map((h) => ({
      name: h.name,
      role: h.role,
      privateIp: h.privateIp,
      publicIp: h.publicIp,
      ...(h.availabilityZone !== undefined ? { availabilityZone: h.availabilityZone } : {}),
      ...(h.instanceType !== undefined ? { instanceType: h.instanceType } : {}),
      memoryGiB: h.memoryGiB,
      dataDiskGiB: h.dataDiskGiB,
    }))),
  );
  const deployment = planDeployment(pool);
  const changeContext: ChangeContext = {
    stepEffects: new Map(deployment.hosts.flatMap(({ host, steps }) => steps.map((step) => [`pool-${host.name}-${step.name}`, step.effect] as const))),
    rollout: deployment.rollout,
  };
  for (const { host, planFiles } of deployment.hosts) {
    // The bootstrap holds the server's private host key, generated at deploy time: shown as placeholders.
    const key = { privateKey: `<private host key of pool-${host.name}: generated at deploy time, a secret>`, publicKey: `<host key of pool-${host.name}>` };
    // Only AWS boots its servers from the kit's user data; an operator's servers are already running.
    if (pool.backend.kind === "aws") files.set(`hosts/${host.name}/cloud-init.yaml`, renderBootstrap(model, host, key));
    for (const [file, content] of planFiles) files.set(`hosts/${host.name}/${file}`, content);
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
  // The deployment as data: each host's steps in order, what a change to each does, the rollout order.
  files.set(
    "deployment.json",
    json({
      rollout: deployment.rollout,
      hosts: deployment.hosts.map(({ host, steps, via }) => ({
        name: host.name,
        reachedThrough: via ?? null,
        steps: steps.map((step) => ({ name: step.name, effect: step.effect, secret: step.secret, files: step.delivery.files.map((f) => f.path) })),
      })),
    }),
  );
  // Exactly the bytes that were hashed: no added newline.
  if (pool.identity.metadata) files.set("pool-metadata.json", pool.identity.metadata.file.text);
  files.set("plan.md", renderPlanMarkdown({ pool, model, hosts, relayRegistration, registrationCommand, resources, warnings }));
  refuseKeyMaterial(files, pool);
  return { files, resources, changeContext };
}

/**
 * Plans a committed stack; `overrides` replace single settings as plain text, like `pulumi preview
 * --config key=value`, and face the same checks of Pulumi.yaml.
 */
export async function buildPlan(root: string, stack: string, overrides: Readonly<Record<string, string>> = {}): Promise<Plan> {
  const project = readProject(root);
  const { config, warnings } = loadStack(project, stack, overrides);
  return buildPlanFromConfig(root, stack, project.name, config, warnings);
}
