/**
 * The monitoring lab: the real Prometheus, Alertmanager and node_exporter (Debian's packages) in network
 * namespaces that play the pool in the kit's address plan. Each pool host runs a stand-in of the node's
 * metrics endpoint (./stand-in.ts: the release's metric names and exposition format) and node_exporter
 * with the exporter step's command line; the monitoring host runs Prometheus and Alertmanager with the
 * monitor step's files at their delivered paths and its drop-ins' command lines, and a webhook receiver
 * on its loopback plays the operator's channel and the dead-man heartbeat.
 *
 * Timing: the files are rendered with 1 s scrape, evaluation and grouping intervals (LAB_TIMING) so that
 * the lab takes minutes; the rules' `for:` durations are the production ones. With production timing the
 * same paths take at most (scrape 30 s + `for` + evaluation 30 s + group_wait 30 s): 3.5 minutes for
 * CardanoNodeDown, 1.5 minutes for KESExpiryImminent (which has no `for`).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderDashboard } from "../../../components/features/monitoring/dashboard";
import type { MonitoringInput } from "../../../components/features/monitoring/input";
import { N, TIP_BLOCK_METRIC } from "../../../components/features/monitoring/metrics";
import { PROMETHEUS_CONFIG, monitoringScript } from "../../../components/features/monitoring/paths";
import { NODE_METRICS_PORT } from "../../../components/features/monitoring/ports";
import { SERIES_PER_TARGET } from "../../../components/backends/aws/monitor-sizing";
import { exporterStep, monitorStep } from "../../../components/features/monitoring/steps";
import type { MonitoringTiming } from "../../../components/features/monitoring/timing";
import { slotAt, timeOfSlot } from "../../../components/keys/kes";
import { NETWORKS } from "../../../components/networks/networks";
import { NetnsLab, NETNS_REQUIREMENTS } from "../../helpers/netns";
import { describeWith } from "../../helpers/requirements";
import { dashboardPanels } from "./dashboard-panels";
import { poolInput } from "./fixtures";
import { nodeMetrics, STAND_IN_SOURCE, WEBHOOK_SOURCE, type NodeState } from "./stand-in";

const LAB_TIMING: MonitoringTiming = { scrapeSeconds: 1, evaluationSeconds: 1, groupWaitSeconds: 1, groupIntervalSeconds: 1, heartbeatSeconds: 2 };
const WEBHOOK_PORT = 9199;
const network = NETWORKS.preview;
const INPUT: MonitoringInput = {
  ...poolInput("preview", { webhookUrl: `http://127.0.0.1:${WEBHOOK_PORT}/operator`, heartbeatUrl: `http://127.0.0.1:${WEBHOOK_PORT}/heartbeat` }),
};
const OPCERT_EXPIRY_PERIOD = 1250;

interface Received {
  readonly path: string;
  readonly at: number;
  readonly alerts: Array<{ status: string; labels: Record<string, string> }>;
}

/** A long-running process in a namespace, started with `ip netns exec`; it is the process we kill. */
class NsProcess {
  readonly lines: string[] = [];
  private readonly waiters: Array<() => void> = [];
  stderr = "";
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      this.lines.push(line);
      this.waiters.splice(0).forEach((w) => w());
    });
    child.stderr.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
  }
  async waitFor(predicate: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`${what}: not seen (${this.stderr.trim().slice(-800)})`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }
  stop(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

const lab = new NetnsLab("mon");
const processes: NsProcess[] = [];
const standIns = new Map<string, NsProcess>();
let webhook: NsProcess;

function start(host: string, argv: readonly string[]): NsProcess {
  const child = spawn("ip", ["netns", "exec", lab.namespace(host), ...argv], { stdio: "pipe" });
  const p = new NsProcess(child);
  processes.push(p);
  return p;
}

/** The command line a drop-in gives the package's unit (its second ExecStart). */
function execStart(dropIn: string): string[] {
  const line = dropIn.split("\n").filter((l) => l.startsWith("ExecStart=")).at(-1)!;
  return line.slice("ExecStart=".length).split(" ");
}

function nodeState(host: string, overrides: Partial<NodeState> = {}): NodeState {
  const h = INPUT.hosts.find((x) => x.name === host)!;
  return { role: h.role, forging: h.forging, slotNow: slotAt(network.timing, new Date()), remainingKesPeriods: 40, opcertExpiryKesPeriod: OPCERT_EXPIRY_PERIOD, ...overrides };
}

function serve(host: string, state: NodeState): void {
  standIns.get(host)!.child.stdin.write(`${JSON.stringify({ metrics: nodeMetrics(state) })}\n`);
}

/**
 * Runs a command on the monitoring host with the monitor step's files at their delivered paths: a
 * private mount namespace whose /etc holds those files (and the account files the tools need), and a
 * private /var/lib/prometheus for the data.
 */
function onMonitor(command: string): NsProcess {
  const staging = path.join(lab.dir, `etc-${processes.length}`);
  for (const file of monitorStep(INPUT, { timing: LAB_TIMING }).delivery.files) {
    fs.mkdirSync(path.dirname(path.join(staging, file.path)), { recursive: true });
    fs.writeFileSync(path.join(staging, file.path), file.content, { mode: Number.parseInt(file.mode, 8) });
  }
  const script = [
    `for f in passwd group nsswitch.conf hosts; do cp -a /etc/$f "${staging}/etc/" 2>/dev/null || true; done`,
    `mount --bind "${staging}/etc" /etc`,
    `mount --bind "${staging}/usr/local/lib" /usr/local/lib`,
    "mkdir -p /var/lib/prometheus && mount -t tmpfs tmpfs /var/lib/prometheus && mkdir -p /var/lib/prometheus/metrics2 /var/lib/prometheus/alertmanager",
    command,
  ].join(" && ");
  return start("monitor", ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]);
}

async function promApi(pathAndQuery: string, form?: Record<string, string>): Promise<{ status: string; data: unknown; error?: string }> {
  const args = ["curl", "-sS", "--max-time", "10"];
  if (form) for (const [k, v] of Object.entries(form)) args.push("--data-urlencode", `${k}=${v}`);
  const result = await lab.exec("monitor", [...args, `http://127.0.0.1:9090${pathAndQuery}`]);
  if (result.code !== 0) throw new Error(`curl ${pathAndQuery}: ${result.stderr}`);
  return JSON.parse(result.stdout) as { status: string; data: unknown; error?: string };
}

async function query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const reply = await promApi("/api/v1/query", { query: expr });
  if (reply.status !== "success") throw new Error(`${expr}: ${reply.error ?? reply.status}`);
  return (reply.data as { result: Array<{ metric: Record<string, string>; value: [number, string] }> }).result;
}

function received(): Received[] {
  return webhook.lines.flatMap((line) => {
    const r = JSON.parse(line) as { path?: string; at?: number; body?: string };
    if (r.path === undefined) return [];
    return [{ path: r.path, at: r.at!, alerts: (JSON.parse(r.body!) as { alerts: Received["alerts"] }).alerts }];
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function firstDelivery(pathName: string, alertname: string, host?: string, after = 0): Received | undefined {
  return received().find((r) => r.path === pathName && r.at >= after && r.alerts.some((a) => a.status === "firing" && a.labels.alertname === alertname && (host === undefined || a.labels.host === host)));
}

describeWith({ ...NETNS_REQUIREMENTS, tools: [...NETNS_REQUIREMENTS.tools, "prometheus", "prometheus-alertmanager", "prometheus-node-exporter", "promtool", "amtool", "curl", "unshare"] }, "the monitoring lab (real Prometheus, Alertmanager, node_exporter)", () => {
  beforeAll(async () => {
    await lab.start([...INPUT.hosts.map((h) => ({ name: h.name, ipv4: h.privateIp })), { name: "monitor", ipv4: INPUT.monitor.privateIp }]);
    for (const h of INPUT.hosts) {
      const standIn = start(h.name, [process.execPath, "-e", STAND_IN_SOURCE, h.privateIp, String(NODE_METRICS_PORT)]);
      standIns.set(h.name, standIn);
      await standIn.waitFor((l) => l === "ready", 15_000, `the stand-in node of ${h.name}`);
      serve(h.name, nodeState(h.name));
      start(h.name, execStart(exporterStep(INPUT, h.name).delivery.files[0]!.content));
    }
    const step = monitorStep(INPUT, { timing: LAB_TIMING });
    const dropIn = (unit: string) => step.delivery.files.find((f) => f.path.includes(`/${unit}.service.d/`))!.content;
    start("monitor", execStart(dropIn("prometheus-node-exporter")));
    webhook = start("monitor", [process.execPath, "-e", WEBHOOK_SOURCE, String(WEBHOOK_PORT)]);
    await webhook.waitFor((l) => l.includes('"ready"'), 15_000, "the webhook receiver");
    // As the step applies it: promtool checks the config; alertmanager-config.sh writes what Alertmanager reads.
    // Alertmanager first: Prometheus sends a new alert at once, and re-sends only after a minute.
    onMonitor(`ALERTMANAGER_GROUP=root ${monitoringScript("alertmanager-config.sh")} && exec ${execStart(dropIn("prometheus-alertmanager")).join(" ")}`);
    await until("Alertmanager to be ready", 30_000, async () => ((await lab.exec("monitor", ["curl", "-sf", "http://127.0.0.1:9093/-/ready"])).code === 0 ? true : undefined));
    onMonitor(`promtool check config ${PROMETHEUS_CONFIG} >&2 && exec ${execStart(dropIn("prometheus")).join(" ")}`);
    await until("Prometheus to scrape every target", 60_000, async () => {
      try {
        const targets = (await promApi("/api/v1/targets")).data as { activeTargets: Array<{ health: string }> };
        return targets.activeTargets.length === 7 && targets.activeTargets.every((t) => t.health === "up") ? true : undefined;
      } catch {
        return undefined;
      }
    });
  }, 120_000);

  afterAll(async () => {
    for (const p of processes) p.stop();
    await lab.destroy();
  });

  it("scrapes the node's exposition format under the release's names, never storing the per-block tip label", async () => {
    expect((await query(`${N.blockNum}`)).map((r) => r.metric.host).sort()).toEqual(["core", "relay-1", "relay-2"]);
    expect((await query(`${N.remainingKesPeriods}`)).map((r) => [r.metric.host, r.metric.forging, r.value[1]])).toEqual([["core", "true", "40"]]);
    expect(await query(`{__name__="${TIP_BLOCK_METRIC}"}`)).toEqual([]);
    expect((await query(`${N.density}`)).length).toBe(3);
  });

  it("stores no more series per target than the sizing assumes", async () => {
    const samples = await query("scrape_samples_post_metric_relabeling");
    const byJob = (job: string) => samples.filter((s) => s.metric.job === job).map((s) => Number(s.value[1]));
    process.stderr.write(`series per target: node ${JSON.stringify(byJob("cardano-node"))}, node_exporter ${JSON.stringify(byJob("node-exporter"))}\n`);
    for (const n of byJob("cardano-node")) expect(n).toBeLessThanOrEqual(SERIES_PER_TARGET.node);
    for (const n of byJob("node-exporter")) expect(n).toBeLessThanOrEqual(SERIES_PER_TARGET.nodeExporter);
  });

  it("pings the heartbeat with Watchdog, and tells the operator nothing while the pool is healthy", { timeout: 120_000 }, async () => {
    // A firing alert reaches Alertmanager when it starts and then every minute (Prometheus's resend delay):
    // one that started before Prometheus knew its Alertmanager arrives with the first resend.
    await until("two Watchdog pings", 90_000, () => (received().filter((r) => r.path === "/heartbeat").length >= 2 ? true : undefined)).catch(async (e: Error) => {
      const alertmanager = await lab.exec("monitor", ["curl", "-sS", "http://127.0.0.1:9093/api/v2/alerts"]);
      throw new Error(`${e.message}; Prometheus ALERTS: ${JSON.stringify(await query("ALERTS"))}; Alertmanager: ${alertmanager.stdout}; logs: ${processes.map((p) => p.stderr.slice(-600)).join("\n")}`);
    });
    const heartbeat = received().filter((r) => r.path === "/heartbeat");
    expect(heartbeat.every((r) => r.alerts.every((a) => a.labels.alertname === "Watchdog"))).toBe(true);
    expect(received().filter((r) => r.path === "/operator")).toEqual([]);
  });

  it("runs every dashboard query against this Prometheus without error, each returning data", async () => {
    await new Promise((r) => setTimeout(r, 5000));
    const panels = dashboardPanels(renderDashboard(INPUT));
    const targets = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    expect(targets.length).toBeGreaterThan(40);
    for (const { panel, expr } of targets) {
      const concrete = expr.replaceAll("$host", ".*").replaceAll("$__rate_interval", "1m");
      const result = await query(concrete);
      expect(result.length, `${panel}: ${concrete}`).toBeGreaterThan(0);
    }
    const expiry = panels.flatMap((p) => p.targets ?? []).find((t) => t.expr.includes(N.opcertExpiryKesPeriod) && t.expr.startsWith("1000 *"))!;
    const [value] = await query(expiry.expr.replaceAll("$host", ".*"));
    expect(Number(value!.value[1])).toBe(timeOfSlot(network.timing, OPCERT_EXPIRY_PERIOD * network.timing.slotsPerKesPeriod).getTime());
  }, 120_000);

  it("tells the operator within seconds that the KES key is almost spent, and within 2 min 20 s that a node stopped", async () => {
    const faultAt = Date.now();
    serve("core", nodeState("core", { remainingKesPeriods: 2 }));
    standIns.get("relay-2")!.stop();

    const kes = await until("KESExpiryImminent at the operator's webhook", 30_000, () => firstDelivery("/operator", "KESExpiryImminent", "core", faultAt));
    process.stderr.write(`KESExpiryImminent reached the webhook ${kes.at - faultAt} ms after the change\n`);
    expect(kes.at - faultAt).toBeLessThan(15_000);
    const alert = kes.alerts.find((a) => a.labels.alertname === "KESExpiryImminent")!;
    expect(alert.labels).toMatchObject({ severity: "critical", host: "core", pool: "test", network: "preview" });

    const down = await until("CardanoNodeDown at the operator's webhook", 200_000, () => firstDelivery("/operator", "CardanoNodeDown", "relay-2", faultAt));
    process.stderr.write(`CardanoNodeDown reached the webhook ${down.at - faultAt} ms after the node stopped\n`);
    expect(down.at - faultAt).toBeGreaterThanOrEqual(120_000);
    expect(down.at - faultAt).toBeLessThan(140_000);
    expect(firstDelivery("/operator", "KESExpiringSoon")).toBeUndefined();
    expect(firstDelivery("/operator", "CardanoNodeNotAdvancing", "relay-2")).toBeUndefined();
    expect(received().filter((r) => r.path === "/heartbeat" && r.at > faultAt).length).toBeGreaterThan(10);
  }, 240_000);

  it("lets npm run status print every host and what fires, from this Prometheus", async () => {
    const cli = path.join(__dirname, "../../../cli/status.ts");
    const result = await lab.exec("monitor", [process.execPath, require.resolve("tsx/cli"), cli, "--network", "preview", "--prometheus", "http://127.0.0.1:9090"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rows = result.stdout.split("\n");
    expect(rows.slice(1, 5).map((r) => r.split(/\s+/)[0])).toEqual(["core", "relay-1", "relay-2", "monitor"]);
    expect(rows[1]).toMatch(/^core\s+\d{8}\s+\d+s\s+100\.00%\s+22\s/);
    expect(result.stdout).toContain("core: KESExpiryImminent (critical)");
    expect(result.stdout).toContain("relay-2: CardanoNodeDown (critical)");
  }, 60_000);
});
