/**
 * The kit's deployment, executed the way `pulumi up` executes the commands StakePool (AWS,
 * components/program/stake-pool.ts) or SshPool (own servers, components/backends/ssh/ssh-pool.ts) creates
 * from it: one command per host and step, `create` = "# for server <id>" and the delivery script, `stdin`
 * = the delivery's files; each step after the previous one of its host; restarting steps one host at a
 * time in rollout order (relays, then the core); hosts otherwise in parallel. On own servers each host's
 * first command is the first-contact check (`<host>/up`, after the jump's), and its steps wait for it. On a later `up`, a command re-runs exactly when its inputs changed (pulumi-command's update
 * runs `create` again), and a command whose inputs did not change does not run.
 */
import { createHash } from "node:crypto";
import { deliveryScript, deliveryStdin } from "../components/delivery/bundle";
import type { Deployment } from "../components/deployment/deployment";
import type { HostStep, StepEffect } from "../components/features";
import type { HostSpec } from "../components/model/pool";
import { GRAFANA_RELEASE_ENV } from "../components/features/monitoring/paths";
import { NODE_ENV_FILE } from "../components/node/paths";
import { MITHRIL_RELEASE_BASE_URL, NODE_RELEASE_BASE_URL } from "../components/networks/releases";
import type { CommandResult } from "./network";

export interface PlannedStep {
  /** `<host>/<step>`: the command's identity. */
  readonly key: string;
  readonly host: string;
  readonly name: string;
  /** `check`: the first contact with an own server, which delivers nothing. */
  readonly effect: StepEffect | "check";
  readonly secret: boolean;
  readonly create: string;
  readonly stdin: string;
  readonly dependsOn: readonly string[];
}

/** components/delivery/deliver.ts `onServer`, without the Output: the server's id heads the script. */
export function forServer(serverId: string, script: string): string {
  return `# for server ${serverId}\n${script}`;
}

/** A change the harness makes to what a step delivers, printed for the reader. */
export interface Rewrite {
  readonly host: string;
  readonly file: string;
  readonly setting: string;
  readonly from: string;
  readonly to: string;
}

/** Where the wire serves what the guests would download from the Internet. */
export interface Mirror {
  /** For github.com's release downloads (the node, Mithril): scheme and host, the same paths. */
  readonly releases: string;
  /** For Grafana's download: an https base (install-grafana.sh takes https only) and the stand-in's SHA-256. */
  readonly grafana?: { readonly base: string; readonly sha256: string };
}

/**
 * The guests cannot reach github.com or dl.grafana.com: the node-setup step's node.env is given the
 * release server of the test wire instead, same paths (only its two URLs change, and only their scheme and
 * host); the monitoring step's grafana-release.env is given the wire's URL, same path, and the stand-in
 * tarball's SHA-256 (the version stays the kit's pin).
 */
export function withReleaseMirror(host: string, step: HostStep, mirror: Mirror): { step: HostStep; rewrites: Rewrite[] } {
  if (step.name === "monitoring") return withGrafanaMirror(host, step, mirror);
  if (step.name !== "node-setup") return { step, rewrites: [] };
  const rewrites: Rewrite[] = [];
  const files = step.delivery.files.map((file) => {
    if (file.path !== NODE_ENV_FILE) return file;
    const content = file.content
      .split("\n")
      .map((line) => {
        for (const [setting, base] of [["NODE_RELEASE_BASE_URL", NODE_RELEASE_BASE_URL], ["MITHRIL_RELEASE_BASE_URL", MITHRIL_RELEASE_BASE_URL]] as const) {
          if (line !== `${setting}=${base}`) continue;
          const to = base.replace(/^https:\/\/github\.com/, mirror.releases);
          rewrites.push({ host, file: file.path, setting, from: base, to });
          return `${setting}=${to}`;
        }
        return line;
      })
      .join("\n");
    return { ...file, content };
  });
  if (rewrites.length !== 2) throw new Error(`${host}: node.env no longer holds the release URLs the harness redirects; update e2e/deploy.ts`);
  return { step: { ...step, delivery: { ...step.delivery, files } }, rewrites };
}

function withGrafanaMirror(host: string, step: HostStep, mirror: Mirror): { step: HostStep; rewrites: Rewrite[] } {
  const rewrites: Rewrite[] = [];
  const files = step.delivery.files.map((file) => {
    if (file.path !== GRAFANA_RELEASE_ENV) return file;
    if (mirror.grafana === undefined) throw new Error(`${host}: the monitoring step installs Grafana, and the box was given no stand-in for it`);
    const grafana = mirror.grafana;
    const content = file.content
      .split("\n")
      .map((line) => {
        const [setting, value] = [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)];
        let to: string | undefined;
        if (setting === "GRAFANA_URL") to = `${grafana.base}${new URL(value).pathname}`;
        if (setting === "GRAFANA_SHA256") to = grafana.sha256;
        if (to === undefined) return line;
        rewrites.push({ host, file: file.path, setting, from: value, to });
        return `${setting}=${to}`;
      })
      .join("\n");
    return { ...file, content };
  });
  if (rewrites.length !== 2) throw new Error(`${host}: grafana-release.env no longer holds GRAFANA_URL and GRAFANA_SHA256; update e2e/deploy.ts`);
  return { step: { ...step, delivery: { ...step.delivery, files } }, rewrites };
}

/**
 * Every command of the deployment, with its dependencies as StakePool declares them, or as SshPool does
 * when `firstContact` gives each host's check (components/backends/ssh/preflight.ts preflightScript).
 */
export function planSteps(
  deployment: Deployment,
  serverIds: ReadonlyMap<string, string>,
  mirror: Mirror,
  firstContact?: (host: HostSpec) => string,
): { steps: PlannedStep[]; rewrites: Rewrite[] } {
  const steps: PlannedStep[] = [];
  const rewrites: Rewrite[] = [];
  let previousRestart: string | undefined;
  // A host behind the jump waits for the jump's system step (its sshd names the hosts behind it), as
  // StakePool and SshPool declare it.
  const systemSteps = new Map<string, string>();
  for (const hostName of deployment.rollout) {
    const hostDeployment = deployment.hosts.find((d) => d.host.name === hostName)!;
    const serverId = serverIds.get(hostName);
    if (serverId === undefined) throw new Error(`no server for ${hostName}`);
    const jumpSystem = hostDeployment.via === undefined ? [] : [systemSteps.get(hostDeployment.via)].filter((k): k is string => k !== undefined);
    let up: string | undefined;
    if (firstContact) {
      up = `${hostName}/up`;
      const via = hostDeployment.via === undefined ? [] : [`${hostDeployment.via}/up`, ...jumpSystem];
      steps.push({ key: up, host: hostName, name: "up", effect: "check", secret: false, create: forServer(serverId, firstContact(hostDeployment.host)), stdin: "", dependsOn: via });
    }
    let previous: string | undefined;
    for (const original of hostDeployment.steps) {
      const mirrored = withReleaseMirror(hostName, original, mirror);
      rewrites.push(...mirrored.rewrites);
      const step = mirrored.step;
      const key = `${hostName}/${step.name}`;
      const dependsOn = [...(up ? [up] : jumpSystem), ...(previous ? [previous] : []), ...(step.effect === "restart" && previousRestart ? [previousRestart] : [])];
      steps.push({
        key,
        host: hostName,
        name: step.name,
        effect: step.effect,
        secret: step.secret,
        create: forServer(serverId, deliveryScript(step.delivery)),
        stdin: deliveryStdin(step.delivery),
        dependsOn,
      });
      previous = key;
      if (step.effect === "restart") previousRestart = key;
      if (step.name === "system") systemSteps.set(hostName, key);
    }
  }
  return { steps, rewrites };
}

/** What decides whether a command re-runs: its inputs. */
export function inputsDigest(step: PlannedStep): string {
  return createHash("sha256").update(step.create).update("\0").update(step.stdin).digest("hex");
}

export interface StepRun {
  readonly key: string;
  readonly host: string;
  readonly name: string;
  /** `same`: inputs unchanged, not run; `skipped`: a dependency failed. */
  readonly outcome: "ran" | "failed" | "same" | "skipped";
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result?: CommandResult;
}

/**
 * Runs the steps whose inputs differ from `previous` (key → digest), each once its dependencies are done.
 * Returns every step's run, in plan order; `previous` is what a later run compares against.
 */
export async function applySteps(
  steps: readonly PlannedStep[],
  previous: ReadonlyMap<string, string>,
  execute: (step: PlannedStep) => Promise<CommandResult>,
  log: (line: string) => void,
): Promise<{ runs: StepRun[]; digests: Map<string, string> }> {
  const done = new Map<string, Promise<StepRun>>();
  const digests = new Map(previous);
  const runStep = async (step: PlannedStep): Promise<StepRun> => {
    const deps = await Promise.all(step.dependsOn.map((key) => done.get(key)!));
    const base = { key: step.key, host: step.host, name: step.name };
    const digest = inputsDigest(step);
    if (deps.some((d) => d.outcome === "failed" || d.outcome === "skipped")) return { ...base, outcome: "skipped", startedAt: Date.now(), endedAt: Date.now() };
    if (previous.get(step.key) === digest) return { ...base, outcome: "same", startedAt: Date.now(), endedAt: Date.now() };
    const startedAt = Date.now();
    log(`  ${step.key} (${step.effect}) …`);
    const result = await execute(step);
    const endedAt = Date.now();
    const seconds = ((endedAt - startedAt) / 1000).toFixed(1);
    if (result.code !== 0) {
      // Like pulumi-command: the command's output in the error. The scripts never print key material.
      log(`  ${step.key} FAILED (exit ${result.code}, ${seconds} s)\n${indent(result.stdout + result.stderr)}`);
      return { ...base, outcome: "failed", startedAt, endedAt, result };
    }
    digests.set(step.key, digest);
    log(`  ${step.key} ok (${seconds} s)`);
    return { ...base, outcome: "ran", startedAt, endedAt, result };
  };
  for (const step of steps) done.set(step.key, runStep(step));
  const runs = await Promise.all(steps.map((step) => done.get(step.key)!));
  return { runs, digests };
}

function indent(text: string): string {
  return text
    .trim()
    .split("\n")
    .slice(-40)
    .map((line) => `      | ${line}`)
    .join("\n");
}
