/**
 * What the monitoring steps deliver to hosts, run for real where it can run here: the two scripts in a
 * temporary root (Grafana's install against a loopback server, with a right and a wrong checksum; the
 * Alertmanager configuration with a token file and the real amtool), the units and drop-ins under
 * `systemd-analyze verify`, every command under shellcheck.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { grafanaTunnelCommand, MONITOR_FORWARDS, monitorRoute, relayPermitOpen, tunnelArgs } from "../../../components/features/monitoring/access";
import { loadPool } from "../../../components/program/load";
import { readProject, readStackConfig } from "../../../cli/plan/stack-file";
import { ROOT } from "../../helpers/plan";
import { AWS_ACCOUNT_PLACEHOLDER, renderAlertmanagerConfig, TELEGRAM_TOKEN_PLACEHOLDER } from "../../../components/features/monitoring/alertmanager-config";
import { GRAFANA_RELEASE, renderGrafanaDatasources, renderGrafanaService } from "../../../components/features/monitoring/grafana";
import { metricsListenerOverlay } from "../../../components/node/metrics-listener";
import { ALERTMANAGER_CONFIG, ALERTMANAGER_TEMPLATE, GRAFANA_DASHBOARD_FILE, GRAFANA_RELEASE_ENV, GRAFANA_UNIT_FILE, monitoringScript, unitDropIn } from "../../../components/features/monitoring/paths";
import { scrapeRules } from "../../../components/features/monitoring/ports";
import { BINARIES, renderAlertmanagerDropIn, renderExporterDropIn, renderPrometheusDropIn } from "../../../components/features/monitoring/services";
import { exporterStep, monitorStep, MONITORING_SCRIPTS } from "../../../components/features/monitoring/steps";
import { deliveryScript } from "../../../components/delivery/bundle";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/http-server";
import { describeWith } from "../../helpers/requirements";
import { ALL_CHANNELS, poolInput } from "./fixtures";

const SCRIPTS = path.join(__dirname, "../../../components/features/monitoring/scripts");
const input = poolInput("preview");

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-host-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the monitoring steps", () => {
  it("deliver to the monitoring host its configuration, dashboard, units and scripts, and no secret", () => {
    const step = monitorStep(input);
    const paths = step.delivery.files.map((f) => f.path);
    expect(paths).toContain(ALERTMANAGER_TEMPLATE);
    expect(paths).toContain(GRAFANA_DASHBOARD_FILE);
    expect(paths).toContain(GRAFANA_RELEASE_ENV);
    expect(paths).toContain(GRAFANA_UNIT_FILE);
    for (const name of MONITORING_SCRIPTS) expect(paths).toContain(monitoringScript(name));
    expect(paths).not.toContain(ALERTMANAGER_CONFIG);
    expect(step.secret).toBe(false);
    expect(step.effect).toBe("files");
    const everything = step.delivery.files.map((f) => f.content).join("\n");
    expect(everything).toContain(TELEGRAM_TOKEN_PLACEHOLDER);
    expect(everything).not.toMatch(/[0-9]{6,}:[A-Za-z0-9_-]{30,}/);
    expect(step.delivery.apply.join("\n")).toContain(`alertmanager-config.sh" "${ALL_CHANNELS.telegram!.botTokenFile}"`);
  });

  it("run node_exporter on each pool host's private address, and stop it when removed", () => {
    const step = exporterStep(input, "relay-2");
    expect(step.delivery.files).toHaveLength(1);
    expect(step.delivery.files[0]!.content).toContain("--web.listen-address=10.30.32.12:9100 --collector.disable-defaults");
    expect(step.delivery.remove?.join("\n")).toContain("systemctl disable --now prometheus-node-exporter.service");
    expect(() => exporterStep(input, "relay-9")).toThrow(/no monitored host/);
  });

  it("render delivery scripts the kit's bundle accepts (safe paths, owners, modes)", () => {
    expect(deliveryScript(monitorStep(input).delivery)).toContain("stakepool delivery");
    expect(deliveryScript(exporterStep(input, "core").delivery)).toContain("stakepool delivery");
  });

  it("open each scrape port on each pool host to the monitoring host only", () => {
    const rules = scrapeRules(input);
    expect(rules).toHaveLength(6);
    expect(new Set(rules.map((r) => r.from))).toEqual(new Set(["10.30.0.20"]));
    expect(rules.filter((r) => r.host === "core").map((r) => `${r.address}:${r.port}`)).toEqual(["10.30.0.10:12798", "10.30.0.10:9100"]);
  });

  it("find the way to the monitoring host from the stack: own servers' logins and relay-1's address; on AWS the address stays the operator's to give", () => {
    const own = loadPool(readStackConfig(readProject(ROOT), "ssh-example"), "ssh-example", { plan: true, baseDir: ROOT, now: new Date("2026-11-26T00:00:00Z") });
    const route = monitorRoute(own.model, "203.0.113.11")!;
    expect(route).toEqual({ jump: { user: "cardano-admin", port: 22, host: "203.0.113.11" }, monitor: { user: "cardano-admin", host: "10.0.0.20", port: 22 } });
    expect(tunnelArgs({ ...route.jump, host: route.jump.host! }, route.monitor, 40123, 9090)).toEqual([
      "-N", "-J", "cardano-admin@203.0.113.11", "-L", "40123:127.0.0.1:9090", "cardano-admin@10.0.0.20",
    ]);
    const aws = loadPool(readStackConfig(readProject(ROOT), "preview"), "preview", { plan: true, baseDir: ROOT, now: new Date("2026-11-26T00:00:00Z") });
    expect(monitorRoute(aws.model, undefined)).toEqual({ jump: { user: "ubuntu", port: 22, host: undefined }, monitor: { user: "ubuntu", host: "10.30.0.9", port: 22 } });
    expect(monitorRoute({ ...aws.model, monitor: undefined }, undefined)).toBeUndefined();
  });

  it("reach Grafana through the first relay, with the relay forwarding only to the monitor's SSH", () => {
    expect(grafanaTunnelCommand({ user: "ubuntu", host: "203.0.113.10", port: 22 }, { user: "ubuntu", host: "10.30.0.20", port: 22 })).toBe(
      "ssh -N -J ubuntu@203.0.113.10 -L 3000:127.0.0.1:3000 ubuntu@10.30.0.20",
    );
    // ssh(1): -J takes [user@]host[:port]; the destination's port is -p.
    expect(grafanaTunnelCommand({ user: "admin", host: "198.51.100.12", port: 2222 }, { user: "ops", host: "10.0.0.20", port: 2200 })).toBe(
      "ssh -N -J admin@198.51.100.12:2222 -L 3000:127.0.0.1:3000 -p 2200 ops@10.0.0.20",
    );
    expect(relayPermitOpen("10.30.0.20")).toBe("10.30.0.20:22");
    expect(MONITOR_FORWARDS).toEqual(["127.0.0.1:3000", "127.0.0.1:9090"]);
  });

  it("keep Prometheus, Alertmanager and Grafana on loopback; the datasource points there", () => {
    expect(renderPrometheusDropIn()).toContain("--web.listen-address=127.0.0.1:9090");
    expect(renderAlertmanagerDropIn()).toMatch(/--web\.listen-address=127\.0\.0\.1:9093 --cluster\.listen-address=$/m);
    expect((yaml.load(renderGrafanaDatasources()) as { datasources: Array<{ url: string }> }).datasources[0]!.url).toBe("http://127.0.0.1:9090");
  });
});

describe("the node's metrics listener", () => {
  const upstream = JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/monitoring/mainnet-trace-options.json"), "utf8")) as {
    TraceOptionMetricsPrefix: string;
    TraceOptions: { "": { backends: string[] } };
  };

  it("keeps the official backends and moves only PrometheusSimple to the private address", () => {
    const ours = metricsListenerOverlay("10.30.16.11").TraceOptions[""].backends;
    const official = upstream.TraceOptions[""].backends;
    expect(ours).toHaveLength(official.length);
    ours.forEach((b, i) => expect(b).toBe(official[i]!.startsWith("PrometheusSimple") ? "PrometheusSimple suffix 10.30.16.11 12798" : official[i]));
    expect(official).toContain("PrometheusSimple suffix 127.0.0.1 12798");
  });

  it("is a PrometheusSimple string trace-dispatcher parses as suffix, host, port (parsePrometheusString)", () => {
    const entry = metricsListenerOverlay("10.30.16.11").TraceOptions[""].backends.find((b) => b.startsWith("PrometheusSimple"))!;
    const [name, modifier, host, port] = entry.split(" ");
    expect([name, modifier, host]).toEqual(["PrometheusSimple", "suffix", "10.30.16.11"]);
    expect(Number(port)).toBeGreaterThan(0);
    expect(Number(port)).toBeLessThan(65536);
    expect(upstream.TraceOptionMetricsPrefix).toBe("cardano.node.metrics.");
  });
});

function run(argv: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describeWith({ tools: ["shellcheck"] }, "the steps' commands and scripts", () => {
  it("pass shellcheck", () => {
    const commands = new Set<string>();
    for (const step of [monitorStep(input), monitorStep(poolInput("mainnet", { webhookUrl: "https://h.example.org/x" })), exporterStep(input, "core")]) {
      for (const c of [...step.delivery.apply, ...(step.delivery.remove ?? [])]) commands.add(c);
    }
    for (const command of commands) {
      const file = path.join(dir, "apply.sh");
      fs.writeFileSync(file, `#!/bin/sh\nexport R=""\n${command}\n`);
      const result = run(["shellcheck", "-s", "sh", file]);
      expect(result.stdout, command).toBe("");
    }
    for (const name of MONITORING_SCRIPTS) expect(run(["shellcheck", path.join(SCRIPTS, name)]).stdout, name).toBe("");
  });
});

/** For scripts that talk to the loopback server, which lives in this process: never block its event loop. */
function runAsync(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { encoding: "utf8", env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A stand-in release tarball: one top folder holding bin/grafana, like Grafana's. */
function grafanaTarball(version: string): Buffer {
  const src = fs.mkdtempSync(path.join(dir, "tarball-"));
  fs.mkdirSync(path.join(src, `grafana-${version}`, "bin"), { recursive: true });
  fs.mkdirSync(path.join(src, `grafana-${version}`, "conf"));
  fs.writeFileSync(path.join(src, `grafana-${version}`, "bin", "grafana"), "#!/bin/sh\necho grafana\n", { mode: 0o755 });
  fs.writeFileSync(path.join(src, `grafana-${version}`, "conf", "defaults.ini"), "[server]\n");
  const out = path.join(src, "grafana.tar.gz");
  execFileSync("tar", ["-czf", out, "-C", src, `grafana-${version}`]);
  return fs.readFileSync(out);
}

describeWith({ tools: ["curl", "tar", "sha256sum"], root: true }, "install-grafana.sh in a temporary root", () => {
  let server: LoopbackServer;
  let root: string;
  let good: Buffer;
  let next: Buffer;

  beforeAll(async () => {
    good = grafanaTarball("13.2.0");
    next = grafanaTarball("13.3.0");
    server = await startLoopbackServer();
    server.route("GET", "/grafana-13.2.0.tar.gz", { body: good });
    server.route("GET", "/grafana-13.3.0.tar.gz", { body: next });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(dir, "root-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function release(version: string, sha: string, url = `${server.url}/grafana-${version}.tar.gz`): void {
    fs.mkdirSync(path.join(root, "etc/stakepool"), { recursive: true });
    fs.writeFileSync(path.join(root, GRAFANA_RELEASE_ENV), `# test\nGRAFANA_VERSION=${version}\nGRAFANA_URL=${url}\nGRAFANA_SHA256=${sha}\n`);
  }
  const install = () => runAsync([path.join(SCRIPTS, "install-grafana.sh")], { R: root, GRAFANA_USER: "root" });

  it("installs the pinned release, makes a password once, and downloads nothing the second time", async () => {
    release("13.2.0", sha256(good));
    const first = await install();
    expect(first.stderr).toContain("Grafana 13.2.0 is current");
    expect(first.status).toBe(0);
    expect(fs.readlinkSync(path.join(root, "opt/grafana/current"))).toBe("13.2.0");
    expect(fs.existsSync(path.join(root, "opt/grafana/13.2.0/bin/grafana"))).toBe(true);
    const password = path.join(root, "etc/grafana/admin-password");
    expect(fs.readFileSync(password, "utf8")).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(fs.statSync(password).mode & 0o777).toBe(0o640);
    const before = fs.readFileSync(password, "utf8");
    const downloads = server.requestsFor("/grafana-13.2.0.tar.gz").length;
    expect((await install()).status).toBe(0);
    expect(server.requestsFor("/grafana-13.2.0.tar.gz")).toHaveLength(downloads);
    expect(fs.readFileSync(password, "utf8")).toBe(before);
  });

  it("refuses a download whose checksum is not the pinned one, installing nothing (exit 3: no retry helps)", async () => {
    release("13.2.0", sha256(next));
    const result = await install();
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("not the pinned");
    expect(fs.existsSync(path.join(root, "opt/grafana/13.2.0"))).toBe(false);
    expect(fs.existsSync(path.join(root, "opt/grafana/current"))).toBe(false);
  });

  it("switches to a new release and removes the old one", async () => {
    release("13.2.0", sha256(good));
    expect((await install()).status).toBe(0);
    release("13.3.0", sha256(next));
    expect((await install()).status).toBe(0);
    expect(fs.readlinkSync(path.join(root, "opt/grafana/current"))).toBe("13.3.0");
    expect(fs.readdirSync(path.join(root, "opt/grafana")).sort()).toEqual(["13.3.0", "current"]);
  });

  it("refuses plain http beyond the loopback, and a malformed pin", async () => {
    release("13.2.0", sha256(good), "http://dl.example.org/grafana.tar.gz");
    expect((await install()).stderr).toContain("is not an https URL");
    release("13.2.0", "ABC");
    expect((await install()).stderr).toContain("is not a SHA-256");
  });

  it("pins a well-formed release for the monitoring host", () => {
    expect(GRAFANA_RELEASE.url).toMatch(/^https:\/\/dl\.grafana\.com\/.*13\.2\.0.*linux-amd64\.tar\.gz$/);
    expect(GRAFANA_RELEASE.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describeWith({ tools: ["amtool"], root: true }, "alertmanager-config.sh with the real amtool", () => {
  let root: string;
  const tokenFile = ALL_CHANNELS.telegram!.botTokenFile;
  const token = "123456789:AAEhBP0av28VKcdXvzXLEBcSDlMy6Mo-Ab0";

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(dir, "am-"));
    fs.mkdirSync(path.join(root, path.dirname(ALERTMANAGER_TEMPLATE)), { recursive: true });
    fs.writeFileSync(path.join(root, ALERTMANAGER_TEMPLATE), renderAlertmanagerConfig(input));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const apply = (...args: string[]) => run([path.join(SCRIPTS, "alertmanager-config.sh"), ...args], { R: root, ALERTMANAGER_GROUP: "root" });
  const target = () => path.join(root, ALERTMANAGER_CONFIG);

  it("fills in the token from its file, checked by amtool, readable by root and Alertmanager's group only", () => {
    fs.writeFileSync(path.join(root, tokenFile), `${token}\n`, { mode: 0o400 });
    const result = apply(tokenFile);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const text = fs.readFileSync(target(), "utf8");
    expect(text).toContain(`bot_token: ${token}`);
    expect(text).not.toContain(TELEGRAM_TOKEN_PLACEHOLDER);
    expect(fs.statSync(target()).mode & 0o777).toBe(0o640);
    expect(run(["amtool", "check-config", target()]).status).toBe(0);
  });

  it("refuses a file that holds something other than a token, keeping the running configuration", () => {
    fs.writeFileSync(target(), "previous\n");
    for (const bad of ["123456789:short", "abc:AAEhBP0av28VKcdXvzXLEBcSDlMy6Mo-Ab0", `${token}/x`, "123456789:AAEhBP0av28VKcdXvzXLEBcSDl&My6Mo-Ab0"]) {
      fs.writeFileSync(path.join(root, tokenFile), bad);
      const result = apply(tokenFile);
      expect(result.status, bad).toBe(1);
      expect(result.stderr).toContain("does not hold a Telegram bot token");
      expect(result.stderr).not.toContain(bad);
    }
    expect(apply().stderr).toContain("no token file was given");
    expect(fs.readFileSync(target(), "utf8")).toBe("previous\n");
  });

  it("fills in the AWS account of the alerts topic from the instance identity document (IMDSv2), and nothing but an account id", async () => {
    const arn = `arn:aws:sns:us-east-2:${AWS_ACCOUNT_PLACEHOLDER}:stakepool-test-alerts`;
    fs.writeFileSync(path.join(root, ALERTMANAGER_TEMPLATE), renderAlertmanagerConfig(poolInput("preview", { email: "ops@example.org", sns: { topicArn: arn, region: "us-east-2" } })));
    const imds = await startLoopbackServer();
    try {
      imds.route("PUT", "/latest/api/token", { body: "imds-token" });
      // The document as EC2 serves it (Instance identity documents, EC2 user guide), abridged.
      const document = (accountId: string) => JSON.stringify({ accountId, architecture: "x86_64", region: "us-east-2", instanceId: "i-0123456789abcdef0" });
      imds.route("GET", "/latest/dynamic/instance-identity/document", (r) => (r.headers["x-aws-ec2-metadata-token"] === "imds-token" ? { body: document("210987654321") } : { status: 401 }));
      const env = { R: root, ALERTMANAGER_GROUP: "root", IMDS_ENDPOINT: imds.url };
      const good = await runAsync([path.join(SCRIPTS, "alertmanager-config.sh")], env);
      expect(good.stderr).toBe("");
      expect(good.status).toBe(0);
      const text = fs.readFileSync(target(), "utf8");
      expect(text).toContain("topic_arn: arn:aws:sns:us-east-2:210987654321:stakepool-test-alerts");
      expect(text).not.toContain(AWS_ACCOUNT_PLACEHOLDER);
      expect(imds.requestsFor("/latest/api/token")[0]?.headers["x-aws-ec2-metadata-token-ttl-seconds"]).toBe("60");

      for (const bad of ["21098765432", "210987654321/x", "2109876543210"]) {
        imds.route("GET", "/latest/dynamic/instance-identity/document", { body: document(bad) });
        const refused = await runAsync([path.join(SCRIPTS, "alertmanager-config.sh")], env);
        expect(refused.status, bad).toBe(1);
        expect(refused.stderr).toContain("holds no AWS account id");
      }
      imds.route("GET", "/latest/dynamic/instance-identity/document", { status: 404 });
      expect((await runAsync([path.join(SCRIPTS, "alertmanager-config.sh")], env)).stderr).toContain("gives no identity document");
      expect(fs.readFileSync(target(), "utf8")).toBe(text);
    } finally {
      await imds.close();
    }
  });

  it("copies a template without Telegram as it is, and never installs one amtool refuses", () => {
    fs.writeFileSync(path.join(root, ALERTMANAGER_TEMPLATE), renderAlertmanagerConfig(poolInput("preview", { webhookUrl: "https://h.example.org/x" })));
    expect(apply().status).toBe(0);
    const good = fs.readFileSync(target(), "utf8");
    fs.writeFileSync(path.join(root, ALERTMANAGER_TEMPLATE), good.replace("group_wait: 30s", "group_wait: soon"));
    const result = apply();
    expect(result.stderr).toContain("amtool refuses the new configuration");
    expect(fs.readFileSync(target(), "utf8")).toBe(good);
    expect(fs.existsSync(`${target()}.new`)).toBe(false);
  });
});

describeWith({ tools: ["systemd-analyze"] }, "the monitoring units under systemd-analyze verify", () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(dir, "units-"));
    const systemUnits = ["/usr/lib/systemd/system", "/lib/systemd/system"].find((d) => fs.existsSync(path.join(d, "sysinit.target")))!;
    fs.cpSync(systemUnits, path.join(root, "usr/lib/systemd/system"), { recursive: true, verbatimSymlinks: true });
    const stub = (file: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), "#!/bin/sh\n", { mode: 0o755 });
    };
    for (const binary of [...Object.values(BINARIES), "/opt/grafana/13.2.0/bin/grafana", "/bin/kill"]) stub(binary);
    fs.symlinkSync("13.2.0", path.join(root, "opt/grafana/current"));
    // The packages' own units, as Debian ships them (minimal copies where the package is not installed here).
    for (const unit of ["prometheus", "prometheus-alertmanager", "prometheus-node-exporter"]) {
      const shipped = path.join(systemUnits, `${unit}.service`);
      const text = fs.existsSync(shipped)
        ? fs.readFileSync(shipped, "utf8")
        : `[Service]\nUser=prometheus\nExecStart=${BINARIES.prometheus}\n[Install]\nWantedBy=multi-user.target\n`;
      fs.writeFileSync(path.join(root, "usr/lib/systemd/system", `${unit}.service`), text);
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function verify(files: Record<string, string>, units: string[]): { status: number; output: string } {
    const etc = path.join(root, "etc/systemd/system");
    fs.rmSync(etc, { recursive: true, force: true });
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    const result = run(["systemd-analyze", "verify", "--man=no", `--root=${root}`, ...units]);
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  it("accepts Grafana's unit and the three drop-ins, without a single warning", () => {
    const result = verify(
      {
        [GRAFANA_UNIT_FILE]: renderGrafanaService(),
        [unitDropIn("prometheus")]: renderPrometheusDropIn(),
        [unitDropIn("prometheus-alertmanager")]: renderAlertmanagerDropIn(),
        [unitDropIn("prometheus-node-exporter")]: renderExporterDropIn("10.30.0.20"),
      },
      ["grafana.service", "prometheus.service", "prometheus-alertmanager.service", "prometheus-node-exporter.service"],
    );
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it("would catch a drop-in systemd cannot use (so the check above means something)", () => {
    const result = verify({ [unitDropIn("prometheus")]: renderPrometheusDropIn().replace("RestartSec=5", "RestartSec=soon") }, ["prometheus.service"]);
    expect(result.output).toMatch(/RestartSec|soon/);
  });
});
