/**
 * What the box checks of the monitoring host and the Mithril signer, on a pool that runs both (the own
 * servers' box, e2e/pool.ts): the real Prometheus on the monitoring host scrapes every guest, Grafana
 * answers through the operator's tunnel, alerts leave through Alertmanager to the operator's endpoints on
 * the wire, and the core's signer reaches the stand-in aggregator only through the relay's proxy.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { aggregatorDestination } from "../components/features/mithril-signer/destinations";
import { SIGNER_UNIT } from "../components/features/mithril-signer/commands";
import { GRAFANA_RELEASE } from "../components/features/monitoring/grafana";
import { ALERTMANAGER_PORT, GRAFANA_PORT, LOOPBACK, PROMETHEUS_PORT } from "../components/features/monitoring/ports";
import { runsNode } from "../components/model/pool";
import { METRICS_PORT, MITHRIL_PROXY_PORT, MITHRIL_SIGNER_METRICS_PORT, NETWORKS, NODE_EXPORTER_PORT } from "../components/networks/networks";
import type { Box } from "./box";
import type { CheckResult } from "./checks";
import { AGGREGATOR_ADDRESS, HOOKS_ADDRESS, RELEASES_ADDRESS } from "./network";
import { NETWORK } from "./pool";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The services' log lines (e2e/services.ts): `<time> <source> <method> <scheme>://<address><path> <status>[ note]`. */
function servicesLog(box: Box): string[] {
  return readFileSync(path.join(box.dir, "services.log"), "utf8").split("\n").filter(Boolean);
}

/** Polls `probe` every 5 s until it says done or `timeoutMs` passed; the last answer either way. */
async function until<T>(timeoutMs: number, probe: () => Promise<{ done: boolean; value: T }>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { done, value } = await probe();
    if (done || Date.now() > deadline) return value;
    await sleep(5000);
  }
}

interface Target {
  readonly labels: { readonly job: string; readonly instance: string };
  readonly health: string;
  readonly lastError: string;
}

function monitorName(box: Box): string {
  const monitor = box.pool.model.monitor;
  if (monitor === undefined) throw new Error("the box's pool has no monitoring host");
  return monitor.name;
}

/** What Prometheus must scrape: every node's metrics, every host's node_exporter, the core's signer. */
export function expectedTargets(box: Box, signer: boolean): string[] {
  const { model } = box.pool;
  return [
    ...model.hosts.filter(runsNode).map((h) => `${h.privateIp}:${METRICS_PORT}`),
    ...model.hosts.map((h) => `${h.privateIp}:${NODE_EXPORTER_PORT}`),
    ...(signer ? [`${model.core.privateIp}:${MITHRIL_SIGNER_METRICS_PORT}`] : []),
  ].sort();
}

export const SCRAPES_EVERY_GUEST = "the monitoring host's Prometheus scrapes every guest: each node's metrics, each host's node_exporter and the core's signer, all up";

/**
 * Prometheus's active targets once every one of `expected` is up and none is down (or at `seconds`),
 * polled on the monitoring host itself in one SSH session (a handshake per poll costs the TCG guests).
 */
async function targetsWhenUp(box: Box, monitor: string, expected: readonly string[], seconds: number): Promise<Target[]> {
  const script = [
    "python3 - <<'PY'",
    "import json, time, urllib.request",
    `expected = set(${JSON.stringify(expected)})`,
    `end = time.time() + ${seconds}`,
    "active = []",
    "while True:",
    "    try:",
    `        active = json.load(urllib.request.urlopen("http://${LOOPBACK}:${PROMETHEUS_PORT}/api/v1/targets?state=active", timeout=10))["data"]["activeTargets"]`,
    "    except OSError:",
    "        active = []",
    '    up = {t["labels"]["instance"] for t in active if t["health"] == "up"}',
    '    if expected <= up and all(t["health"] == "up" for t in active) or time.time() > end:',
    "        break",
    "    time.sleep(5)",
    "print(json.dumps(active))",
    "PY",
  ].join("\n");
  return JSON.parse(await box.mustSh(monitor, script, (seconds + 60) * 1000)) as Target[];
}

export async function scrapesCheck(box: Box): Promise<CheckResult> {
  const monitor = monitorName(box);
  const expected = expectedTargets(box, true);
  const targets = await targetsWhenUp(box, monitor, expected, 240);
  const problems: string[] = [];
  const byInstance = new Map(targets.map((t) => [t.labels.instance, t]));
  for (const instance of expected) {
    const target = byInstance.get(instance);
    if (target === undefined) problems.push(`${instance}: not a target of Prometheus`);
    else if (target.health !== "up") problems.push(`${instance} (${target.labels.job}): ${target.health} ${target.lastError}`);
  }
  for (const t of targets) if (t.health !== "up" && !expected.includes(t.labels.instance)) problems.push(`${t.labels.instance} (${t.labels.job}): ${t.health} ${t.lastError}`);
  const jobs = new Map<string, string[]>();
  for (const t of targets) jobs.set(t.labels.job, [...(jobs.get(t.labels.job) ?? []), `${t.labels.instance} ${t.health}`]);
  return { problems, facts: [...jobs].sort().map(([job, list]) => `${job}: ${list.sort().join(", ")}`) };
}

export const GRAFANA_THROUGH_TUNNEL = `Grafana answers through the operator's SSH tunnel (the admin's 127.0.0.1 to the monitoring host's ${LOOPBACK}:${GRAFANA_PORT}, through relay-1), with the kit's dashboard provisioned`;

export async function grafanaCheck(box: Box): Promise<CheckResult> {
  const monitor = monitorName(box);
  const localPort = 13000;
  const close = await box.ssh.tunnel(monitor, localPort, `${LOOPBACK}:${GRAFANA_PORT}`);
  try {
    const get = (what: string) => box.wire.exec("admin", ["curl", "-fsS", "--max-time", "10", `http://127.0.0.1:${localPort}${what}`]);
    const health = await until(60_000, async () => {
      const answer = await get("/api/health");
      return { done: answer.code === 0, value: answer };
    });
    const search = await get("/api/search");
    const problems: string[] = [];
    if (health.code !== 0) problems.push(`/api/health through the tunnel: ${health.stderr.trim()}`);
    const version = health.code === 0 ? (JSON.parse(health.stdout) as { version?: string }).version : undefined;
    if (health.code === 0 && version !== GRAFANA_RELEASE.version) problems.push(`Grafana ${String(version)} runs, the kit pins ${GRAFANA_RELEASE.version}`);
    const titles = search.code === 0 ? (JSON.parse(search.stdout) as { title: string }[]).map((d) => d.title) : [];
    if (titles.length === 0) problems.push(`no dashboard provisioned: ${search.stderr.trim() || search.stdout.trim()}`);
    const direct = await box.wire.exec("admin", ["curl", "-sS", "--max-time", "5", "-o", "/dev/null", `http://${box.pool.model.monitor!.privateIp}:${GRAFANA_PORT}/api/health`]);
    if (direct.code === 0) problems.push(`Grafana answers the admin directly at ${box.pool.model.monitor!.privateIp}:${GRAFANA_PORT}, without the tunnel`);
    return { problems, facts: [`Grafana ${String(version)} (the stand-in tarball at the pinned version, its SHA-256 checked by install-grafana.sh); dashboards: ${titles.join(", ")}`, `directly, without the tunnel: curl exit ${direct.code}`] };
  } finally {
    close();
  }
}

export const ALERTS_REACH_OPERATOR = "alerts leave the monitoring host over HTTPS: the Watchdog to the heartbeat URL, an alert to the operator's webhook";

export async function alertsCheck(box: Box): Promise<CheckResult> {
  const monitor = monitorName(box);
  const monitorIp = box.pool.model.monitor!.privateIp;
  const test = "StakepoolBoxTestAlert";
  const posted = Date.now();
  // Like `amtool alert add`: an alert posted to Alertmanager's API, routed by the kit's configuration.
  await box.mustSh(
    monitor,
    `curl -fsS --max-time 10 -H 'Content-Type: application/json' -d '[{"labels":{"alertname":"${test}","severity":"critical","host":"box"},"annotations":{"summary":"the e2e box checks the route to the operator"}}]' http://${LOOPBACK}:${ALERTMANAGER_PORT}/api/v2/alerts`,
  );
  const hook = (pathName: string, alert: string) => (line: string) => line.includes(` ${monitorIp} POST https://${HOOKS_ADDRESS}${pathName} 200 `) && line.split("alerts=")[1]?.split(",").includes(alert);
  const lines = await until(3 * 60_000, () => {
    const log = servicesLog(box);
    return Promise.resolve({ done: log.some(hook("/heartbeat", "Watchdog")) && log.some(hook("/alerts", test)), value: log });
  });
  const problems: string[] = [];
  const heartbeat = lines.find(hook("/heartbeat", "Watchdog"));
  const webhook = lines.find(hook("/alerts", test));
  if (heartbeat === undefined) problems.push(`no Watchdog reached https://${HOOKS_ADDRESS}/heartbeat from ${monitorIp}`);
  if (webhook === undefined) problems.push(`${test} did not reach https://${HOOKS_ADDRESS}/alerts from ${monitorIp}`);
  const watchdogAtHook = lines.filter((l) => l.includes("/alerts 200") && l.split("alerts=")[1]?.split(",").includes("Watchdog"));
  if (watchdogAtHook.length > 0) problems.push(`the Watchdog reached the operator's webhook too (${watchdogAtHook.length} times): it belongs to the heartbeat alone`);
  const at = (line: string | undefined) => (line === undefined ? "never" : `${Math.round((Date.parse(line.split(" ")[0]!) - posted) / 1000)} s after the alert was posted`);
  return { problems, facts: [`heartbeat: ${heartbeat ?? "none"}`, `webhook: ${webhook ?? "none"} (${at(webhook)})`] };
}

export const SIGNER_THROUGH_PROXY = "the core's Mithril signer reaches the aggregator only through relay-1's proxy: registered, seen by the aggregator from relay-1's address alone; its direct attempt refused";

export async function signerCheck(box: Box): Promise<CheckResult> {
  const { model } = box.pool;
  const core = model.core.name;
  const relay = model.relays[0]!;
  const aggregator = aggregatorDestination(NETWORKS[NETWORK]);
  const epoch = box.aggregatorEpoch;
  const registered = (line: string) => line.includes(` POST https://${AGGREGATOR_ADDRESS}/`) && line.includes("/register-signer 201");
  const log = await until(4 * 60_000, () => {
    const lines = servicesLog(box);
    return Promise.resolve({ done: lines.some(registered), value: lines });
  });
  const problems: string[] = [];
  const atAggregator = log.filter((l) => l.includes(`://${AGGREGATOR_ADDRESS}/`));
  const sources = [...new Set(atAggregator.map((l) => l.split(" ")[1]!))].sort();
  if (!log.some(registered)) problems.push(`no registration reached the stand-in aggregator (${atAggregator.length} requests)`);
  if (sources.join() !== relay.privateIp) problems.push(`the aggregator saw requests from ${sources.join(", ") || "nobody"}; expected ${relay.privateIp} (${relay.name}) alone`);

  const journal = await box.mustSh(core, `journalctl -b -u ${SIGNER_UNIT} -o cat --no-pager | tail -n 200`);
  const direct = journal.split("\n").filter((l) => l.includes("direct:"));
  if (direct.length === 0) problems.push("the signer's journal shows no direct attempt");
  // systemd's IPAddressDeny= drops the unit's packets (a cgroup BPF filter): the connection times out.
  for (const line of direct) if (!/refused: (timed out|Operation not permitted)/.test(line)) problems.push(`a direct attempt was not refused by the unit's IP filter: ${line}`);
  // The same connection as root, outside the unit, gets through (the core's host firewall opens 443 for
  // packages and releases): what stops the signer is its unit, and it is the only thing that has to.
  const rootDirect = (await box.mustSh(core, `curl -s -o /dev/null --max-time 10 -w '%{http_code}' ${NETWORKS[NETWORK].mithrilAggregator}/epoch-settings || true`)).trim();
  if (rootDirect !== "200") problems.push(`root on the core did not reach the aggregator directly (${rootDirect || "nothing"}): the direct attempt's refusal proves nothing about the unit`);

  // As root on the core (outside the signer's unit): the proxy itself refuses any other destination.
  const proxy = `http://${relay.privateIp}:${MITHRIL_PROXY_PORT}`;
  const connect = async (url: string) => (await box.mustSh(core, `curl -s -p -o /dev/null --max-time 10 -w '%{http_connect}' -x ${proxy} ${url} || true`)).trim();
  const refusals: [string, string][] = [
    [`another host on 443 (https://${RELEASES_ADDRESS}/)`, await connect(`https://${RELEASES_ADDRESS}/`)],
    [`the aggregator's host on port 80`, await connect(`http://${aggregator.host}:80/`)],
  ];
  for (const [what, code] of refusals) if (code !== "403") problems.push(`the proxy answered ${code || "nothing"} for ${what}, expected 403`);
  const allowed = await connect(`https://${aggregator.host}/`);
  if (allowed !== "200") problems.push(`the proxy answered ${allowed || "nothing"} for the aggregator's host on 443, expected 200`);

  // The registration is seen at the aggregator first; Prometheus has it at its next scrape (30 s).
  const values = await until(90_000, async () => {
    const query = await box.mustSh(model.monitor!.name, `curl -fsS --max-time 10 'http://${LOOPBACK}:${PROMETHEUS_PORT}/api/v1/query?query=mithril_signer_signer_registration_success_last_epoch'`);
    const found = (JSON.parse(query) as { data: { result: { value: [number, string] }[] } }).data.result.map((r) => Number(r.value[1]));
    return { done: found.includes(epoch), value: found };
  });
  if (!values.includes(epoch)) problems.push(`Prometheus holds mithril_signer_signer_registration_success_last_epoch ${values.join(", ") || "none"}, expected ${epoch}`);
  return {
    problems,
    facts: [
      `${atAggregator.length} requests at the aggregator, from ${sources.join(", ") || "nobody"}; the core is ${model.core.privateIp}`,
      `the signer's direct attempts: ${direct.length} (${direct[0]?.replace(/^.*direct: /, "") ?? "none"}); the same as root outside the unit: HTTP ${rootDirect}`,
      `the proxy: ${refusals.map(([what, code]) => `${what} → ${code}`).join("; ")}; ${aggregator.host}:443 → ${allowed}`,
      `Prometheus: mithril_signer_signer_registration_success_last_epoch = ${values.join(", ")} (epoch ${epoch})`,
    ],
  };
}
