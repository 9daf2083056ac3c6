/**
 * What a change does to the running pool: two plans' resource graphs compared, resource by resource,
 * with the provider's replacement rules (./replacements.ts) and the deployment's step effects. Pure: the
 * plan CLI writes the result as `changes.md` (`npm run plan -- --stack S --against <earlier output>`).
 *
 * Per host, the most severe of: `added`, `removed`, `replaced`, `stopped and started`, `node restarted`,
 * `node reloaded`, `files delivered`, `unchanged`. Per data volume, Elastic IP, relay DNS record and
 * metadata bucket (what the chain database and the registration on chain depend on): `kept`,
 * `resized`, `updated`, `added`, `REPLACED`, `DELETED`.
 */
import type { StepEffect } from "../../components/features";
import { inputEffect, knowsType } from "./replacements";

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly options?: { readonly protect?: boolean; readonly ignoreChanges?: readonly string[] } & Record<string, unknown>;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export type HostOutcome = "added" | "removed" | "replaced" | "stopped and started" | "node restarted" | "node reloaded" | "files delivered" | "unchanged";
export type KeptOutcome = "kept" | "resized" | "updated" | "added" | "REPLACED" | "DELETED";

const SEVERITY: readonly HostOutcome[] = ["unchanged", "files delivered", "node reloaded", "node restarted", "stopped and started", "replaced", "removed", "added"];

export interface HostChange {
  readonly host: string;
  readonly outcome: HostOutcome;
  /** What caused it, for the reviewer: `instance: instanceType`, `step node`, … */
  readonly because: readonly string[];
}

export interface KeptChange {
  readonly kind: "data volume" | "Elastic IP" | "relay DNS record" | "metadata bucket";
  readonly name: string;
  readonly outcome: KeptOutcome;
  readonly protected: boolean;
  readonly because: readonly string[];
}

export interface ResourceChange {
  readonly type: string;
  readonly name: string;
  readonly change: "created" | "deleted" | "replaced" | "stopped and started" | "updated";
  readonly inputs: readonly string[];
  /** The kit's replacement table does not know this type: review by hand. */
  readonly unknownType: boolean;
}

export interface ChangeReport {
  readonly hosts: readonly HostChange[];
  readonly kept: readonly KeptChange[];
  readonly resources: readonly ResourceChange[];
  /** Hosts whose node restarts, in the order the restarts roll. */
  readonly restarts: readonly string[];
  /** Hosts stopped and started or replaced, in rollout order: each is a restart too. */
  readonly serverChanges: readonly string[];
  /** Whether each of those servers waits for the previous host's gate (they roll), or not (together). */
  readonly serversRoll: boolean;
  /** A data volume, Elastic IP or relay DNS record is replaced or deleted. */
  readonly dataLoss: boolean;
}

export interface ChangeContext {
  /** Command name → the effect of its step (the deployment's), e.g. `pool-core-node` → restart. */
  readonly stepEffects: ReadonlyMap<string, StepEffect>;
  /** Host names in rollout order. */
  readonly rollout: readonly string[];
}

const key = (r: PlannedResource) => `${r.type}::${r.name}`;
const HOST_PARENT = /^stakepool:host:Host::pool-(.+)$/;

/** The host a resource belongs to: its parent Host component, or the Host component itself. */
function hostOf(r: PlannedResource): string | undefined {
  if (r.type === "stakepool:host:Host") return r.name.replace(/^pool-/, "");
  return r.parent !== null ? HOST_PARENT.exec(r.parent)?.[1] : undefined;
}

function resourceChange(before: PlannedResource | undefined, after: PlannedResource | undefined): ResourceChange | undefined {
  const r = (after ?? before)!;
  const unknownType = !knowsType(r.type);
  if (!before) return { type: r.type, name: r.name, change: "created", inputs: [], unknownType };
  if (!after) return { type: r.type, name: r.name, change: "deleted", inputs: [], unknownType };
  const effect = inputEffect(r.type, before.inputs, after.inputs, after.options?.ignoreChanges ?? []);
  if (!effect) return undefined;
  const change = effect.effect === "replace" ? "replaced" : effect.effect === "stop-start" ? "stopped and started" : "updated";
  return { type: r.type, name: r.name, change, inputs: effect.inputs, unknownType };
}

function worst(a: HostOutcome, b: HostOutcome): HostOutcome {
  return SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a;
}

const STEP_OUTCOME: Readonly<Record<StepEffect, HostOutcome>> = { files: "files delivered", reload: "node reloaded", restart: "node restarted" };

export function compareRuns(before: readonly PlannedResource[], after: readonly PlannedResource[], context: ChangeContext): ChangeReport {
  const olds = new Map(before.map((r) => [key(r), r]));
  const news = new Map(after.map((r) => [key(r), r]));
  const resources: ResourceChange[] = [];
  for (const k of [...new Set([...olds.keys(), ...news.keys()])].sort()) {
    const change = resourceChange(olds.get(k), news.get(k));
    if (change) resources.push(change);
  }
  const changeOf = (r: PlannedResource | undefined) => (r ? resources.find((c) => c.type === r.type && c.name === r.name) : undefined);

  // Hosts.
  // On AWS a host is its Host component; on own servers (no server resource) its first-contact command.
  const gateOf = (r: PlannedResource) => (r.type === "command:remote:Command" ? /^pool-(.+)-up$/.exec(r.name)?.[1] : undefined);
  const hostNames = [...new Set([...before, ...after].flatMap((r) => [hostOf(r), gateOf(r)]).filter((h): h is string => h !== undefined))];
  const hosts: HostChange[] = [];
  for (const host of hostNames) {
    const instanceKey = `aws:ec2/instance:Instance::pool-${host}`;
    // An own server is the kit's from its first contact (components/backends/ssh/ssh-pool.ts `-up`).
    const gateKey = `command:remote:Command::pool-${host}-up`;
    const ownServer = !olds.has(instanceKey) && !news.has(instanceKey);
    const [serverKey, serverBefore, serverAfter] = ownServer ? [gateKey, olds.has(gateKey), news.has(gateKey)] : [instanceKey, olds.has(instanceKey), news.has(instanceKey)];
    let outcome: HostOutcome = "unchanged";
    const because: string[] = [];
    const instance = ownServer ? undefined : changeOf(news.get(serverKey) ?? olds.get(serverKey));
    if (!serverBefore) outcome = "added";
    else if (!serverAfter) outcome = "removed";
    else if (instance) {
      if (instance.change === "replaced") outcome = "replaced";
      else if (instance.change === "stopped and started") outcome = "stopped and started";
      because.push(`server: ${instance.inputs.join(", ")}`);
    }
    const attachment = changeOf(news.get(`aws:ec2/volumeAttachment:VolumeAttachment::pool-${host}-data`));
    if (attachment?.change === "replaced" && outcome !== "replaced") {
      // Its delete stops the instance (stop_instance_before_detaching) and nothing starts it again.
      outcome = worst(outcome, "stopped and started");
      because.push("the data volume's attachment is replaced: the server is stopped to detach it, and stays stopped");
    }
    if (outcome === "unchanged" || outcome === "files delivered" || outcome === "node reloaded" || outcome === "node restarted") {
      for (const c of resources.filter((c) => c.type === "command:remote:Command" && c.name.startsWith(`pool-${host}-`))) {
        const effect = context.stepEffects.get(c.name);
        const stepOutcome: HostOutcome = c.change === "deleted" ? "files delivered" : effect ? STEP_OUTCOME[effect] : "files delivered";
        outcome = worst(outcome, stepOutcome);
        because.push(`step ${c.name.slice(`pool-${host}-`.length)}${c.change === "deleted" ? " (removed)" : c.change === "created" ? " (new)" : ""}`);
      }
    }
    hosts.push({ host, outcome, because });
  }
  const order = (h: string) => (context.rollout.includes(h) ? context.rollout.indexOf(h) : context.rollout.length);
  hosts.sort((a, b) => order(a.host) - order(b.host) || (a.host < b.host ? -1 : 1));

  // What the chain and the chain database depend on.
  const kinds: ReadonlyArray<readonly [string, KeptChange["kind"]]> = [
    ["aws:ebs/volume:Volume", "data volume"],
    ["aws:ec2/eip:Eip", "Elastic IP"],
    ["aws:route53/record:Record", "relay DNS record"],
    // Its URL is registered on chain: a new bucket is a new URL, to register again.
    ["aws:s3/bucketV2:BucketV2", "metadata bucket"],
    ["aws:s3/bucket:Bucket", "metadata bucket"],
  ];
  const kept: KeptChange[] = [];
  for (const [type, kind] of kinds) {
    const names = [...new Set([...before, ...after].filter((r) => r.type === type).map((r) => r.name))].sort();
    for (const name of names) {
      const resource = news.get(`${type}::${name}`) ?? olds.get(`${type}::${name}`)!;
      const change = changeOf(resource);
      const outcome: KeptOutcome = !change
        ? "kept"
        : change.change === "created"
          ? "added"
          : change.change === "deleted"
            ? "DELETED"
            : change.change === "replaced"
              ? "REPLACED"
              : change.inputs.includes("size")
                ? "resized"
                : "updated";
      kept.push({ kind, name, outcome, protected: resource.options?.protect === true, because: change?.inputs ?? [] });
    }
  }

  const restarts = hosts.filter((h) => h.outcome === "node restarted").map((h) => h.host);
  const serverChanges = hosts.filter((h) => h.outcome === "replaced" || h.outcome === "stopped and started").map((h) => h.host);
  // A server that waits for another host's gate (`pool-<host>-up`) changes only after that host's node runs again.
  const waitsForGate = (host: string) =>
    ((news.get(`aws:ec2/instance:Instance::pool-${host}`)?.options?.dependsOn as readonly string[] | undefined) ?? []).some((d) => /^command:remote:Command::pool-.+-up$/.test(d));
  const serversRoll = serverChanges.slice(1).every(waitsForGate);
  return { hosts, kept, resources, restarts, serverChanges, serversRoll, dataLoss: kept.some((k) => k.outcome === "REPLACED" || k.outcome === "DELETED") };
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];
}

/** `changes.md`: what a reviewer reads before approving the change. */
export function renderChanges(stack: string, report: ChangeReport): string {
  const lines = [`# What this change does to the running pool \`${stack}\``, ""];
  const nothing = report.resources.length === 0;
  if (nothing) lines.push("Nothing: the plan is the same as the earlier one.", "");
  lines.push("## Hosts", "", ...table(["host", "what happens", "because"], report.hosts.map((h) => [h.host, h.outcome, h.because.join("; ") || "-"])), "");
  if (report.restarts.length > 0) {
    lines.push(`Node restarts roll one host at a time, each waiting until the node before it stayed up: ${report.restarts.join(", then ")}.`, "");
  }
  if (report.serverChanges.length > 1) {
    lines.push(
      report.serversRoll
        ? `Server changes roll one host at a time, each waiting until the node on the one before runs again: ${report.serverChanges.join(", then ")}.`
        : `**${report.serverChanges.join(", ")} are stopped at the same time** (their servers change together): the pool may be unreachable meanwhile.`,
      "",
    );
  }
  lines.push(
    "## Chain data and on-chain addresses",
    "",
    ...table(
      ["resource", "kind", "what happens"],
      report.kept.map((k) => [
        k.name,
        k.kind,
        `${k.outcome}${k.because.length > 0 && k.outcome !== "kept" ? ` (${k.because.join(", ")})` : ""}${
          k.protected && (k.outcome === "REPLACED" || k.outcome === "DELETED") ? ": protected, so `pulumi up` stops here until you unprotect it" : ""
        }`,
      ]),
    ),
    "",
  );
  if (report.dataLoss) lines.push("**This change replaces or deletes chain data or an address registered on chain.**", "");
  const unknown = report.resources.filter((r) => r.unknownType);
  if (unknown.length > 0) {
    lines.push(`Not in the kit's replacement table, review by hand: ${unknown.map((r) => `\`${r.type}\` ${r.name}`).join(", ")}.`, "");
  }
  lines.push(
    "## Every resource that changes",
    "",
    ...(nothing ? ["None."] : table(["resource", "type", "change", "inputs"], report.resources.map((r) => [r.name, `\`${r.type}\``, r.change, r.inputs.join(", ") || "-"]))),
    "",
  );
  return lines.join("\n");
}
