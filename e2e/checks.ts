/**
 * The checks both boxes make of a running pool (AWS and the operator's own servers), and the helpers
 * they share: what ran, who reaches what, the node's metrics, where the hot keys are.
 */
import { runsNode } from "../components/model/pool";
import { planDeployment } from "../components/deployment/deployment";
import { MITHRIL_SIGNER_FEATURE } from "../components/features/mithril-signer/steps";
import { METRICS_PORT, MITHRIL_PROXY_PORT, NODE_EXPORTER_PORT, NODE_PORT, SSH_PORT } from "../components/networks/networks";
import { KES_KEY_FILE, KEYS_DIR, kitNodeConfigFile, NODE_GROUP, NODE_USER, OPCERT_FILE, VRF_KEY_FILE } from "../components/node/paths";
import { KES_SKEY, VRF_SKEY } from "../test/helpers/hot-keys";
import type { Box } from "./box";
import type { StepRun } from "./deploy";
import { must, ADMIN, OUTSIDER } from "./network";
import { GUARDED_PORTS, mismatch, PROBE_SOURCE, probedPorts, responderScript, type Intent, type ProbeResult, type Target } from "./probes";
import { NETWORK } from "./pool";
import type { Report } from "./report";

export const MINUTE = 60_000;

/**
 * Boots a server for every host and waits until each answers SSH with its pinned key (the relays first:
 * the core is reached through relay-1). Returns when each answered, on this machine's clock.
 */
export async function bootPool(box: Box, report: Report): Promise<Map<string, number>> {
  const { model } = box.pool;
  await Promise.all(model.hosts.map((h) => box.boot(h.name)));
  const reachable = new Map<string, number>();
  await Promise.all(
    model.relays.map(async (r) => {
      await box.ssh.waitUntilReachable(r.name, 10 * MINUTE);
      reachable.set(r.name, Date.now());
    }),
  );
  // The hosts behind the first relay: the core, and the monitoring host when the pool has one.
  await Promise.all(
    model.hosts
      .filter((h) => h.role !== "relay")
      .map(async (h) => {
        await box.ssh.waitUntilReachable(h.name, 10 * MINUTE);
        reachable.set(h.name, Date.now());
      }),
  );
  for (const h of model.hosts) report.log(`${h.name}: SSH answered with its pinned host key ${seconds(reachable.get(h.name)! - box.guest(h.name).bootedAt)} after boot`);
  return reachable;
}

/**
 * After a deployment that ran (`deployed`), waits until the node runs on every host and records each
 * host's boot figures; false, with a FAIL line, when the pool did not come up (the box stops there).
 */
/** The hosts that run a node (the core and the relays; not the monitoring host). */
export function nodeHosts(box: Box): string[] {
  return box.pool.model.hosts.filter(runsNode).map((h) => h.name);
}

export async function waitPoolRunning(box: Box, report: Report, reachable: ReadonlyMap<string, number>, deployed: boolean): Promise<boolean> {
  const names = nodeHosts(box);
  const running = new Map<string, number>();
  const up = deployed
    ? await Promise.all(
        names.map(async (name) => {
          try {
            await box.waitNodeRunning(name, 12 * MINUTE);
            running.set(name, Date.now());
            return true;
          } catch (error) {
            report.log((error as Error).message);
            return false;
          }
        }),
      )
    : [];
  for (const name of names) {
    const guest = box.guest(name);
    const at = running.get(name);
    report.figure(`${name}: boot to SSH ${seconds(reachable.get(name)! - guest.bootedAt)}, boot to node running ${at ? seconds(at - guest.bootedAt) : "never"}`);
  }
  for (const host of box.pool.model.hosts.filter((h) => !runsNode(h))) report.figure(`${host.name}: boot to SSH ${seconds(reachable.get(host.name)! - box.guest(host.name).bootedAt)}`);
  if (!deployed || up.some((ok) => !ok)) {
    report.record("FAIL", "the pool came up (node running on every host)", ["the remaining checks did not run"]);
    return false;
  }
  return true;
}

export interface CheckResult {
  readonly problems: string[];
  readonly facts?: string[];
}

export function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

export function ran(runs: readonly StepRun[]): string[] {
  return runs.filter((r) => r.outcome === "ran" || r.outcome === "failed").map((r) => r.key).sort();
}

export function sameList(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && [...actual].sort().every((v, i) => v === [...expected].sort()[i]);
}

/** A long secret part of a key envelope (the CBOR after its header), to search hosts for. */
export function secretNeedle(envelope: string): string {
  return (JSON.parse(envelope) as { cborHex: string }).cborHex.slice(8, 72);
}

export async function probeAll(box: Box): Promise<ProbeResult[]> {
  const { model } = box.pool;
  const targets: Target[] = box.guestList.flatMap((g) =>
    probedPorts(model.hosts.find((h) => h.name === g.spec.name)!.login.port).flatMap((port) => [
      { host: g.spec.name, family: "ipv4" as const, address: g.spec.privateIp, port },
      { host: g.spec.name, family: "ipv6" as const, address: g.spec.ipv6, port },
    ]),
  );
  const json = JSON.stringify(targets);
  const timeout = "4000";
  await Promise.all(
    box.guestList.map((g) =>
      box.mustSh(
        g.spec.name,
        [
          "cat > /run/e2e-responder.py <<'PY'",
          responderScript(g.spec.privateIp, g.spec.ipv6),
          "PY",
          "cat > /run/e2e-probe.js <<'JS'",
          PROBE_SOURCE,
          "JS",
          "systemd-run --quiet --unit=e2e-probe-responder --collect python3 /run/e2e-responder.py",
          "sleep 2",
        ].join("\n"),
      ),
    ),
  );
  try {
    const parse = (from: string, stdout: string) => (JSON.parse(stdout) as (Target & { outcome: ProbeResult["outcome"] })[]).map((r) => ({ ...r, from }));
    const parties = await Promise.all(
      [ADMIN, OUTSIDER].map(async (party) => parse(party.name, await must(["ip", "netns", "exec", box.wire.ns(party.name), process.execPath, "-e", PROBE_SOURCE, json, timeout]))),
    );
    const guests = await Promise.all(
      model.hosts.map(async (host) => parse(host.name, await box.mustSh(host.name, `node --jitless /run/e2e-probe.js '${json}' ${timeout}`))),
    );
    return [...parties, ...guests].flat();
  } finally {
    await Promise.all(box.guestList.map((g) => box.sh(g.spec.name, "systemctl stop e2e-probe-responder; rm -f /run/e2e-responder.py /run/e2e-probe.js")));
  }
}


/** Where the node's configuration tells it to serve metrics: the first PrometheusSimple of TraceOptions[""]. */
export async function metricsAddress(box: Box, host: string): Promise<string> {
  const config = kitNodeConfigFile(NETWORK);
  const script = [
    `python3 - ${config} <<'PY'`,
    "import json, sys",
    'backends = json.load(open(sys.argv[1])).get("TraceOptions", {}).get("", {}).get("backends", [])',
    'words = next((b.split()[1:] for b in backends if b.startswith("PrometheusSimple")), [])',
    'words = [w for w in words if w not in ("suffix", "nosuffix")]',
    'print(("127.0.0.1:" if len(words) == 1 else words[0] + ":") + words[-1] if words else "none")',
    "PY",
  ].join("\n");
  return (await box.mustSh(host, script)).trim();
}

export async function metricsOf(box: Box, host: string, address?: string): Promise<Map<string, number>> {
  const at = address ?? (await metricsAddress(box, host));
  const text = await box.mustSh(host, `curl -fsS --max-time 10 http://${at}/metrics`);
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(cardano_node_metrics_\w+) (-?\d+)$/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}


export const UNITS_ACTIVE = "the setup and node units are active on every server, running the delivered release";

export async function unitsCheck(box: Box): Promise<CheckResult> {
  const names = nodeHosts(box);
  const problems: string[] = [];
  const facts: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const state = await box.nodeState(name);
      const enabled = (await box.mustSh(name, "systemctl is-enabled stakepool-node-setup cardano-node || true")).trim().split("\n");
      if (state.setup !== "active" || state.active !== "active") problems.push(`${name}: setup ${state.setup}, node ${state.active}`);
      if (enabled.some((e) => e !== "enabled")) problems.push(`${name}: enabled: ${enabled.join(", ")}`);
      if (state.release !== box.inputs.node.version) problems.push(`${name}: current release ${state.release}`);
      facts.push(`${name}: node pid ${state.mainPid}, release ${state.release}`);
    }),
  );
  return { problems, facts: facts.sort() };
}

export const METRICS_SERVED = "the node serves metrics where its configuration says, with the new tracing names (forging on the core only)";

export async function metricsCheck(box: Box): Promise<CheckResult> {
  const names = nodeHosts(box);
  const core = box.pool.model.core.name;
  const problems: string[] = [];
  const facts: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const address = await metricsAddress(box, name);
      const metrics = await metricsOf(box, name, address);
      const forging = metrics.get("cardano_node_metrics_forging_enabled_int");
      const expected = name === core ? 1 : 0;
      if (forging !== expected) problems.push(`${name}: cardano_node_metrics_forging_enabled_int ${String(forging)}, expected ${expected}`);
      if (name === core && metrics.get("cardano_node_metrics_remainingKESPeriods_int") === undefined) problems.push(`${name}: no cardano_node_metrics_remainingKESPeriods_int`);
      const listeners = await box.mustSh(name, `ss -Htln '( sport = :${METRICS_PORT} )' | awk '{print $4}'`);
      if (listeners.trim() !== address) problems.push(`${name}: metrics listen on ${listeners.trim().replace(/\n/g, ", ")}, the configuration says ${address}`);
      facts.push(`${name}: ${metrics.size} metrics at ${address}, forging_enabled ${String(forging)}${name === core ? `, remainingKESPeriods ${String(metrics.get("cardano_node_metrics_remainingKESPeriods_int"))}` : ""}`);
    }),
  );
  return { problems, facts: facts.sort() };
}

export const HOT_KEYS_ON_CORE = "the hot keys are on the core only: 0400 files of the node's user in a 0700 folder, and on no other server";

export async function keysCheck(box: Box): Promise<CheckResult> {
  const names = box.pool.model.hosts.map((h) => h.name);
  const core = box.pool.model.core.name;
  const relays = box.pool.model.relays.map((r) => r.name);
  const problems: string[] = [];
  const facts: string[] = [];
  // The three paths are links into `current`, itself a link to the set delivered last: check
  // what the node opens (stat -L), and that the links resolve inside the keys' folder.
  const stat = await box.mustSh(core, `stat -L -c '%n %a %U:%G' ${KEYS_DIR} ${KES_KEY_FILE} ${VRF_KEY_FILE} ${OPCERT_FILE}`);
  const owner = `${NODE_USER}:${NODE_GROUP}`;
  const expected = new Map([
    [KEYS_DIR, `700 ${owner}`],
    [KES_KEY_FILE, `400 ${owner}`],
    [VRF_KEY_FILE, `400 ${owner}`],
    [OPCERT_FILE, `400 ${owner}`],
  ]);
  for (const line of stat.trim().split("\n")) {
    const [file, ...rest] = line.split(" ");
    if (expected.get(file!) !== rest.join(" ")) problems.push(`core: ${line}, expected ${expected.get(file!) ?? "?"}`);
    facts.push(`core: ${line}`);
  }
  const resolved = (await box.mustSh(core, `readlink -e ${KES_KEY_FILE} ${VRF_KEY_FILE}`)).trim().split("\n");
  const inSet = new RegExp(`^${KEYS_DIR}/set\\.[A-Za-z0-9]+/(kes|vrf)\\.skey$`);
  for (const file of resolved) if (!inSet.test(file)) problems.push(`core: a key link resolves to ${file}, outside the delivered set`);
  const sets = (await box.mustSh(core, `find ${KEYS_DIR} -mindepth 1 -maxdepth 1 -type d -name 'set.*' | sort`)).trim().split("\n").filter(Boolean);
  if (sets.length !== 1) problems.push(`core: ${sets.length} key sets in ${KEYS_DIR} (${sets.join(", ")}), expected the current one only`);
  facts.push(`core: the node's key paths resolve to ${resolved.join(", ")}`);
  const needles = [secretNeedle(KES_SKEY), secretNeedle(VRF_SKEY)];
  const search = `grep -rlF ${needles.map((n) => `-e ${n}`).join(" ")} /etc /srv /opt /var/lib /var/log /home /root /tmp /run /usr/local 2>/dev/null | sort || true`;
  await Promise.all(
    names.map(async (name) => {
      const found = (await box.mustSh(name, search, 5 * MINUTE)).trim().split("\n").filter(Boolean);
      const allowed = name === core ? resolved : [];
      const stray = found.filter((f) => !allowed.includes(f));
      if (stray.length > 0) problems.push(`${name}: key material in ${stray.join(", ")}`);
      if (name === core && !allowed.every((f) => found.includes(f))) problems.push(`core: the keys were not found where the node reads them`);
      facts.push(`${name}: signing-key material in ${found.join(", ") || "no file"}`);
    }),
  );
  const forging = await box.mustSh(core, "journalctl -b -u cardano-node -o cat --no-pager | grep -c EnabledBlockForging || true");
  if (Number(forging.trim()) < 1) problems.push("core: the node never logged EnabledBlockForging");
  for (const relay of relays) {
    const exec = await box.mustSh(relay, "systemctl show -p ExecStart --value cardano-node");
    if (exec.includes("--shelley-")) problems.push(`${relay}: the node is started with key flags`);
  }
  return { problems, facts };
}

/**
 * Who reaches what, judged against the pool's policy: one check per rule, each naming the probes behind
 * it and any port open from another host.
 */
export async function probeChecks(box: Box, report: Report): Promise<void> {
  const { model } = box.pool;
  const core = model.core.name;
  const monitor = model.monitor?.name;
  let probes: ProbeResult[] = [];
  try {
    probes = await probeAll(box);
  } catch (error) {
    report.log(`probing failed: ${(error as Error).message}`);
  }
  const sshPorts = new Map(model.hosts.map((h) => [h.name, h.login.port]));
  const proxies = planDeployment(box.pool)
    .hosts.filter((d) => d.host.role === "relay" && d.steps.some((s) => s.name === MITHRIL_SIGNER_FEATURE))
    .map((d) => d.host.name);
  const intent: Intent = { core, relays: model.relays.map((r) => r.name), admin: ADMIN.name, sshPorts, ...(monitor === undefined ? {} : { monitor }), proxies };
  const probeCheck = (name: string, select: (r: ProbeResult) => boolean) => {
    const selected = probes.filter(select);
    const problems = selected.length === 0 ? ["no probe ran"] : selected.map((r) => mismatch(intent, r)).filter((m): m is string => m !== undefined);
    const open = selected.filter((r) => r.outcome === "open" && r.from !== r.host);
    report.expect(name, problems, [
      `${selected.length} probes from ${[...new Set(selected.map((r) => r.from))].join(", ")}; open from another host: ${open.map((r) => `${r.from}→${r.host}:${r.port}/${r.family}`).join(" ") || "none"}`,
    ]);
  };
  const isSsh = (r: ProbeResult) => r.port === SSH_PORT || r.port === sshPorts.get(r.host);
  const guarded = (r: ProbeResult) => (GUARDED_PORTS as readonly number[]).includes(r.port);
  const relay = (r: ProbeResult) => r.host !== core && r.host !== monitor;
  const moved = model.hosts.filter((h) => h.login.port !== SSH_PORT).map((h) => `${h.name} on ${h.login.port}, 22 shut`);
  const sshNote = moved.length === 0 ? "" : ` (${moved.join("; ")})`;
  probeCheck(`the core takes ${NODE_PORT} and SSH from its relays only (IPv4; nothing over IPv6; outsider, admin, relays and itself probed)`, (r) => r.host === core && !guarded(r));
  probeCheck(`the relays take ${NODE_PORT} from anyone over IPv4, the outsider included`, (r) => relay(r) && r.port === NODE_PORT);
  probeCheck(`the relays take SSH from the admin network only${sshNote}`, (r) => relay(r) && isSsh(r));
  if (monitor === undefined) {
    probeCheck(`metrics (${METRICS_PORT}, ${NODE_EXPORTER_PORT}) are reachable from no other host, even with a listener on the host's own addresses`, (r) => r.port === METRICS_PORT || r.port === NODE_EXPORTER_PORT);
  } else {
    probeCheck(
      `the node's metrics (${METRICS_PORT}) and node_exporter (${NODE_EXPORTER_PORT}) on every host answer the monitoring host only, over IPv4`,
      (r) => r.port === METRICS_PORT || r.port === NODE_EXPORTER_PORT,
    );
    probeCheck(`the monitoring host takes SSH from the relays only, and ${NODE_PORT} from no one`, (r) => r.host === monitor && !guarded(r));
  }
  probeCheck(
    proxies.length === 0
      ? `no relay answers on the Mithril proxy's port (${MITHRIL_PROXY_PORT}) without a signer`
      : `the Mithril proxy (${MITHRIL_PROXY_PORT}) on ${proxies.join(", ")} answers the core only`,
    (r) => r.port === MITHRIL_PROXY_PORT,
  );
}
