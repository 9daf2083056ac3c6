/**
 * Judges one hostile case against the kit: runs it through the real `loadPool`, then checks what a
 * person would see and paste. A case is handled cleanly when it is refused (or warned about, where that
 * is the rule) naming the setting, with a message that is printable on a terminal, carries no stack
 * trace, never echoes the secret, and whose fixes and registration command survive bash intact.
 */
import { ConfigurationError, formatWarning } from "../../components/config/problems";
import { loadPool, type PoolPlan } from "../../components/program/load";
import { registrationCommand, type RelayAddress } from "../../components/pool/registration";
import { rawConfig } from "../helpers/config";
import { ROOT } from "../fixtures/paths";
import { NOW, type Area, type ConfigCase } from "./cases";
import { commandsInFix, runInBash } from "./shell-run";

export type Outcome = "clean" | "wrongly accepted" | "crashed or unclear";

export interface Verdict {
  readonly id: string;
  readonly area: Area;
  readonly outcome: Outcome;
  /** What the kit did: refused, warned, accepted, crashed. */
  readonly did: "refused" | "warned" | "accepted" | "crashed";
  /** Why the case is not clean; empty when it is. */
  readonly why: string[];
  readonly ms: number;
  /** What the kit printed (escaped for JSON), cut to a readable length. */
  readonly printed: string;
}

/**
 * Characters a terminal must never receive raw from config: C0 controls but line feed, DEL, C1
 * controls, bidirectional controls, zero-width and invisible characters, line and paragraph separators,
 * lone surrogates.
 */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\udb40[\udc00-\udc7f]/;
const TRACE = /\n\s+at \S/;

/** The registration command as the program prints it (relay addresses are the plan's placeholders). */
export function printedRegistration(pool: PoolPlan): string {
  const { identity, model } = pool;
  const relays = model.relays.map((relay): RelayAddress => {
    const dns = (pool.backend.kind === "aws" ? pool.backend.relayDnsNames.get(relay.name) : undefined);
    return dns ? { dns } : { ipv4: `<publicIp of pool-${relay.name}>` };
  });
  return registrationCommand({
    network: model.network,
    relays,
    metadata: identity.metadata ? { url: identity.metadata.url, hash: identity.metadata.file.hash } : undefined,
    ...identity.registration,
  });
}

/** Why the printed registration command is unsafe, or nothing when bash passes every value intact. */
export function registrationProblems(pool: PoolPlan): string[] {
  const run = runInBash(printedRegistration(pool), "cardano-cli");
  const why: string[] = [];
  if (run.strayFiles.length > 0) why.push(`pasting the registration command created ${JSON.stringify(run.strayFiles)}`);
  if (!run.argv) return [...why, `pasting the registration command never ran cardano-cli: ${run.stderr.trim().slice(0, 200)}`];
  const after = (flag: string) => {
    const at = run.argv!.indexOf(flag);
    return at === -1 ? undefined : run.argv![at + 1];
  };
  const { identity } = pool;
  const expected: Array<[string, string | undefined]> = [
    ["--pool-pledge", identity.registration.pledge],
    ["--pool-cost", identity.registration.cost],
    ["--pool-margin", identity.registration.margin],
    ["--metadata-url", identity.metadata?.url],
    ["--metadata-hash", identity.metadata?.file.hash],
  ];
  for (const [flag, value] of expected) {
    if (value !== undefined && after(flag) !== value) why.push(`${flag} reached cardano-cli as ${JSON.stringify(after(flag))}, not ${JSON.stringify(value)}`);
  }
  const names = pool.backend.kind === "aws" ? [...pool.backend.relayDnsNames.values()] : [];
  const given = run.argv.flatMap((a, i) => (a === "--single-host-pool-relay" ? [run.argv![i + 1]] : []));
  if (JSON.stringify(given) !== JSON.stringify(names)) why.push(`relay names reached cardano-cli as ${JSON.stringify(given)}, not ${JSON.stringify(names)}`);
  if (run.argv[run.argv.length - 1] !== "pool-registration.cert") why.push("the command was cut short before --out-file");
  return why;
}

/** Why the fixes of `problems` are unsafe to paste. */
export function fixProblems(fixes: readonly string[], fixArgument?: string): string[] {
  const why: string[] = [];
  let seen = fixArgument === undefined;
  for (const fix of fixes) {
    for (const command of commandsInFix(fix)) {
      const run = runInBash(command, "pulumi");
      if (run.strayFiles.length > 0) why.push(`pasting the fix ${JSON.stringify(command)} created ${JSON.stringify(run.strayFiles)}`);
      if (!run.argv) why.push(`pasting the fix ${JSON.stringify(command)} never ran pulumi: ${run.stderr.trim().slice(0, 160)}`);
      else if (fixArgument !== undefined && run.argv.includes(fixArgument)) seen = true;
    }
  }
  if (!seen) why.push(`no fix passed ${JSON.stringify(fixArgument)} to pulumi intact`);
  return why;
}

export function judge(c: ConfigCase): Verdict {
  const raw = rawConfig(c.network, c.values, c.drop ?? []);
  const start = process.hrtime.bigint();
  let pool: PoolPlan | undefined;
  let error: unknown;
  try {
    pool = loadPool(raw, c.stack ?? "t", { plan: true, baseDir: ROOT, now: NOW });
  } catch (e) {
    error = e;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const why: string[] = [];
  const base = { id: c.id, area: c.area, ms };

  if (error !== undefined && !(error instanceof ConfigurationError)) {
    const printed = error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error);
    return { ...base, outcome: "crashed or unclear", did: "crashed", why: ["not a ConfigurationError"], printed: printed.slice(0, 600) };
  }
  const printed = error instanceof ConfigurationError ? error.message : (pool?.warnings ?? []).map(formatWarning).join("\n");
  const common = () => {
    if (UNPRINTABLE.test(printed)) why.push("prints a control, bidirectional or invisible character raw");
    if (TRACE.test(printed)) why.push("prints a stack trace");
    if (c.secret && printed.toLowerCase().includes(c.secret.toLowerCase())) why.push("echoes the secret");
    if (ms > 10_000) why.push(`took ${ms} ms`);
  };

  if (error instanceof ConfigurationError) {
    common();
    const named = error.problems.filter((p) => p.setting.startsWith(c.setting));
    if (named.length === 0) why.push(`no problem names ${c.setting} (named: ${error.problems.map((p) => p.setting).join(", ")})`);
    if (c.says && !named.some((p) => c.says!.test(`${p.message} ${p.fix}`))) why.push(`the message does not say ${String(c.says)}`);
    if (c.expect === "warn") why.push("refused where the rule is a warning");
    why.push(...fixProblems(error.problems.map((p) => p.fix), c.fixArgument));
    return { ...base, outcome: why.length === 0 ? "clean" : "crashed or unclear", did: "refused", why, printed: printed.slice(0, 600) };
  }

  common();
  const warned = pool!.warnings.filter((w) => w.setting.startsWith(c.setting) && (!c.says || c.says.test(w.message)));
  if (c.expect === "warn") {
    if (warned.length === 0) why.push(`no warning names ${c.setting}`);
    return { ...base, outcome: why.length === 0 ? "clean" : warned.length === 0 ? "wrongly accepted" : "crashed or unclear", did: "warned", why, printed: printed.slice(0, 600) };
  }
  if (c.mayAccept) {
    why.push(...registrationProblems(pool!));
    return { ...base, outcome: why.length === 0 ? "clean" : "wrongly accepted", did: "accepted", why, printed: printed.slice(0, 600) };
  }
  return { ...base, outcome: "wrongly accepted", did: "accepted", why: ["accepted", ...why], printed: printed.slice(0, 600) };
}
