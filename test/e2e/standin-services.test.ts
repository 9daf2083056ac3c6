/**
 * The box's stand-in Grafana and mithril-signer, run here on the kit's own rendered files and settings:
 * they must take what the kit ships and refuse what the real ones would, or the box's monitoring and
 * signer checks prove nothing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { planDeployment } from "../../components/deployment/deployment";
import { GRAFANA_RELEASE, renderGrafanaDashboardProvider, renderGrafanaDatasources, renderGrafanaIni } from "../../components/features/monitoring/grafana";
import { renderDashboard } from "../../components/features/monitoring/dashboard";
import { SIGNER_ENV_FILE } from "../../components/features/mithril-signer/paths";
import { PRODUCTION_TIMING } from "../../components/features/monitoring/timing";
import { describeWith } from "../helpers/requirements";
import { signingKeyConfig } from "../helpers/hot-keys";
import { testPool } from "../helpers/model";

const NOW = new Date("2026-11-26T00:00:00Z");
const STANDIN = path.resolve(__dirname, "../../e2e/standin");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "standin-services-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, version: string): string {
  const file = path.join(dir, `${name}-${version}`);
  writeFileSync(file, readFileSync(path.join(STANDIN, `${name}.py`), "utf8").replaceAll("@VERSION@", version), { mode: 0o755 });
  return file;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function started(child: ChildProcess, ready: RegExp, timeoutMs = 15_000): Promise<string> {
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${output}`)), timeoutMs);
    const seen = (d: Buffer) => {
      output += d.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on("data", seen);
    child.stderr?.on("data", seen);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${String(code)}: ${output}`));
    });
  });
}

describeWith({ tools: ["python3", "curl"] }, "the e2e stand-in Grafana", () => {
  /** The kit's Grafana files, under `root` instead of /, as the monitoring step delivers them. */
  function provision(root: string, port: number, dashboard = renderDashboard(testPool("preview", { relays: 1 }, "test", NOW).monitoring!.input)): string {
    const at = (p: string) => path.join(root, p);
    const ini = renderGrafanaIni()
      .replaceAll("/var/lib/grafana", at("/var/lib/grafana"))
      .replaceAll("/var/log/grafana", at("/var/log/grafana"))
      .replaceAll("/etc/grafana", at("/etc/grafana"))
      .replace("http_port = 3000", `http_port = ${port}`);
    for (const d of ["/var/lib/grafana", "/var/log/grafana", "/etc/grafana/provisioning/datasources", "/etc/grafana/provisioning/dashboards", "/etc/grafana/dashboards"]) mkdirSync(at(d), { recursive: true });
    writeFileSync(at("/etc/grafana/grafana.ini"), ini);
    writeFileSync(at("/etc/grafana/provisioning/datasources/stakepool.yaml"), renderGrafanaDatasources(PRODUCTION_TIMING));
    writeFileSync(at("/etc/grafana/provisioning/dashboards/stakepool.yaml"), renderGrafanaDashboardProvider().replaceAll("/etc/grafana", at("/etc/grafana")));
    writeFileSync(at("/etc/grafana/dashboards/stakepool-pool.json"), dashboard);
    return at("/etc/grafana/grafana.ini");
  }

  it("starts on the kit's grafana.ini and provisioning, answers /api/health and lists the kit's dashboard on the configured port", async () => {
    const port = await freePort();
    const config = provision(path.join(dir, "g1"), port);
    const grafana = script("grafana", GRAFANA_RELEASE.version);
    const child = spawn(grafana, ["server", "--homepath", dir, "--config", config], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const said = await started(child, /listening on 127\.0\.0\.1:\d+/);
      expect(said).toMatch(/STAND-IN grafana/);
      const health = spawnSync("curl", ["-fsS", `http://127.0.0.1:${port}/api/health`], { encoding: "utf8" });
      expect(JSON.parse(health.stdout)).toMatchObject({ database: "ok", version: GRAFANA_RELEASE.version });
      const search = JSON.parse(spawnSync("curl", ["-fsS", `http://127.0.0.1:${port}/api/search`], { encoding: "utf8" }).stdout) as { title: string }[];
      expect(search.map((d) => d.title)).toEqual([(JSON.parse(renderDashboard(testPool("preview", { relays: 1 }, "test", NOW).monitoring!.input)) as { title: string }).title]);
    } finally {
      child.kill();
    }
  });

  it("refuses a dashboard that is not JSON, and a call the kit's unit does not make", () => {
    const config = provision(path.join(dir, "g2"), 3999, "{ not json");
    const grafana = script("grafana", GRAFANA_RELEASE.version);
    const broken = spawnSync(grafana, ["server", "--homepath", dir, "--config", config], { encoding: "utf8" });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/dashboard .*stakepool-pool\.json/);
    const wrong = spawnSync(grafana, ["web", "--config", config], { encoding: "utf8" });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/expected `grafana server/);
  });
});

describeWith({ tools: ["python3", "curl"] }, "the e2e stand-in mithril-signer", () => {
  const pool = testPool("preview", { relays: 1, mithrilSigner: "true", ...signingKeyConfig(NOW) }, "test", NOW);
  const signerStep = planDeployment(pool).hosts.find((d) => d.host.role === "core")!.steps.find((s) => s.name === "mithril-signer")!;
  /** The kit's signer.env as KEY=value pairs. */
  const kitEnvironment = Object.fromEntries(
    signerStep.delivery.files
      .find((f) => f.path === SIGNER_ENV_FILE)!
      .content.split("\n")
      .filter((l) => /^[A-Z]/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );

  it("refuses to start without a setting the real signer requires, naming it", () => {
    const signer = script("mithril-signer", "2630.0-standin");
    const { AGGREGATOR_ENDPOINT: _dropped, ...rest } = kitEnvironment;
    const run = spawnSync(signer, ["-vv", "--configuration-dir", dir], { env: { PATH: process.env.PATH, ...rest }, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/missing settings: AGGREGATOR_ENDPOINT/);
  });

  it("on the kit's settings: reads the keys, connects to the node's socket, asks the proxy for a CONNECT to the aggregator's host on 443, serves the registration metrics", async () => {
    const work = mkdtempSync(path.join(dir, "signer-"));
    const socketPath = path.join(work, "node.socket");
    const node = createServer().listen(socketPath);
    const requests: string[] = [];
    // A proxy that refuses everything (like squid for a source it does not know): the CONNECT line is what counts here.
    const proxy: Server = createServer((c) => c.once("data", (d: Buffer) => (requests.push(d.toString().split("\r\n")[0]!), c.end("HTTP/1.1 403 Forbidden\r\n\r\n"))));
    const proxyPort = await new Promise<number>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve((proxy.address() as { port: number }).port)));
    const metricsPort = await freePort();
    for (const [name, content] of [["kes.skey", "kes"], ["node.cert", "cert"]]) writeFileSync(path.join(work, name!), content!);
    mkdirSync(path.join(work, "stores"));
    const env = {
      ...kitEnvironment,
      PATH: process.env.PATH,
      CARDANO_NODE_SOCKET_PATH: socketPath,
      KES_SECRET_KEY_PATH: path.join(work, "kes.skey"),
      OPERATIONAL_CERTIFICATE_PATH: path.join(work, "node.cert"),
      DATA_STORES_DIRECTORY: path.join(work, "stores"),
      RELAY_ENDPOINT: `http://127.0.0.1:${proxyPort}`,
      METRICS_SERVER_IP: "127.0.0.1",
      METRICS_SERVER_PORT: String(metricsPort),
    };
    const child = spawn(script("mithril-signer", "2630.0-standin"), ["-vv", "--configuration-dir", work], { env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const said = await started(child, /registration failed/);
      expect(said).toMatch(/STAND-IN mithril-signer/);
      expect(said).toMatch(/registration failed: Tunnel connection failed: 403 Forbidden/);
      expect(requests).toEqual([expect.stringMatching(new RegExp(`^CONNECT ${new URL(kitEnvironment.AGGREGATOR_ENDPOINT!).hostname.replaceAll(".", "\\.")}:443 HTTP/1\\.[01]$`))]);
      const metrics = spawnSync("curl", ["-fsS", `http://127.0.0.1:${metricsPort}/metrics`], { encoding: "utf8" }).stdout;
      expect(metrics).toMatch(/^mithril_signer_signer_registration_total_since_startup 1$/m);
      expect(metrics).toMatch(/^mithril_signer_signer_registration_success_last_epoch 0$/m);
    } finally {
      child.kill();
      node.close();
      proxy.close();
    }
  });
});
