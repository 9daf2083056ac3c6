/**
 * The stand-in cardano-node of the e2e box, run here on the kit's own files: it must refuse what the node
 * refuses (with the node's words where the node has them) and accept what the kit ships, or the box
 * proves nothing.
 */
import { spawn, type ChildProcess, execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { planDeployment } from "../../components/deployment/deployment";
import { kesPeriodAt } from "../../components/keys/kes";
import { NETWORKS } from "../../components/networks/networks";
import { nodeRelease } from "../../e2e/standin/release";
import { fixturePath } from "../fixtures/paths";
import { opcertFor, signingKeyConfig } from "../helpers/hot-keys";
import { testPool } from "../helpers/model";
import { describeWith } from "../helpers/requirements";

const NOW = new Date("2026-11-26T00:00:00Z");
const PERIOD = kesPeriodAt(NETWORKS.preview.timing, NOW);

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describeWith({ tools: ["python3", "tar", "node"] }, "the e2e stand-in cardano-node", () => {
  let dir: string;
  let bin: string;
  let share: string;
  // The box's pool (e2e/pool.ts), without a monitoring host: its node's metrics stay on loopback here.
  const pool = testPool("preview", { relays: 2, monitoring: false, ...signingKeyConfig(NOW) }, "test", NOW);
  const deployment = planDeployment(pool);

  /** The host's delivered files under `<dir>/<host>/`, as the node finds them. */
  function hostFiles(host: string): string {
    const root = path.join(dir, host);
    for (const step of deployment.hosts.find((h) => h.host.name === host)!.steps) {
      for (const file of step.delivery.files.filter((f) => f.path.startsWith("/etc/cardano/"))) {
        mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
        writeFileSync(path.join(root, file.path), file.content);
        chmodSync(path.join(root, file.path), Number.parseInt(file.mode, 8));
      }
    }
    return root;
  }

  async function start(host: string, options: { extraArgs?: string[]; root?: string; db?: string } = {}): Promise<Running & { metrics: number; port: number; root: string; db: string }> {
    const root = options.root ?? hostFiles(host);
    const metrics = await freePort();
    const port = await freePort();
    const release = JSON.parse(readFileSync(path.join(share, "config.json"), "utf8")) as { TraceOptions: Record<string, { backends: string[] }> };
    release.TraceOptions[""]!.backends = release.TraceOptions[""]!.backends.map((b) => b.replace(/^PrometheusSimple .*/, `PrometheusSimple suffix 127.0.0.1 ${metrics}`));
    const overlay = JSON.parse(deployment.hosts.find((h) => h.host.name === host)!.planFiles.get("node-config.json")!) as object;
    const config = path.join(share, `${host}-config.json`);
    writeFileSync(config, JSON.stringify({ ...release, ...overlay }));
    const db = options.db ?? path.join(root, "db");
    const keys = host === "core" ? ["--shelley-kes-key", "kes.skey", "--shelley-vrf-key", "vrf.skey", "--shelley-operational-certificate", "node.cert"].map((a) => (a.startsWith("--") ? a : path.join(root, "etc/cardano/keys", a))) : [];
    const args = ["run", "--config", config, "--topology", path.join(root, "etc/cardano/topology.json"), "--database-path", db, "--socket-path", path.join(db, "node.socket"), "--host-addr", "127.0.0.1", "--port", String(port), ...keys, ...(options.extraArgs ?? [])];
    const child = spawn(path.join(bin, "cardano-node"), args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const waitFor = async (text: string | RegExp, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      const found = () => (typeof text === "string" ? output.includes(text) : text.test(output));
      while (!found()) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${String(text)} in:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    return { child, output: () => output, exited, waitFor, metrics, port, root, db };
  }

  async function getMetrics(port: number): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    return response.text();
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-standin-"));
    const release = nodeRelease("9.9.9-test", "preview", path.join(dir, "releases"));
    const unpacked = path.join(dir, "release");
    mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", release.file, "-C", unpacked]);
    bin = path.join(unpacked, "bin");
    share = path.join(unpacked, "share", "preview");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("says it is a stand-in", () => {
    expect(execFileSync(path.join(bin, "cardano-node"), ["--version"], { encoding: "utf8" })).toMatch(/STAND-IN/);
  });

  it("runs a relay on the kit's files: listens, serves the new tracing metric names, reloads on SIGHUP, stops cleanly on SIGINT", async () => {
    const node = await start("relay-1");
    await node.waitFor("started (pid");
    expect(node.output()).toMatch(/peer snapshot .*: \d+ big ledger pools/);
    await new Promise<void>((resolve, reject) => createConnection(node.port, "127.0.0.1").once("connect", function (this: { end(): void }) {
      this.end();
      resolve();
    }).once("error", reject));
    expect(await getMetrics(node.metrics)).toMatch(/^cardano_node_metrics_forging_enabled_int 0$/m);
    node.child.kill("SIGHUP");
    await node.waitFor("SIGHUP #1 handled");
    node.child.kill("SIGINT");
    expect(await node.exited).toBe(0);
    expect(existsSync(path.join(node.db, "clean"))).toBe(true);

    const again = await start("relay-1", { root: node.root });
    await again.waitFor("started (pid");
    expect(again.output()).toContain("the previous run shut down cleanly");
    again.child.kill("SIGINT");
    await again.exited;
  });

  it("forges on the core with the delivered keys and picks up a new opcert on SIGHUP, without a restart", async () => {
    const node = await start("core");
    await node.waitFor(`EnabledBlockForging: opcert #0 from KES period ${PERIOD}`);
    await node.waitFor("started (pid");
    expect(await getMetrics(node.metrics)).toMatch(new RegExp(`^cardano_node_metrics_operationalCertificateStartKESPeriod_int ${PERIOD}$`, "m"));
    const opcert = path.join(node.root, "etc/cardano/keys/node.cert");
    chmodSync(opcert, 0o600);
    writeFileSync(opcert, opcertFor(PERIOD + 1, 1));
    node.child.kill("SIGHUP");
    await node.waitFor(`EnabledBlockForging: opcert #1 from KES period ${PERIOD + 1}`);
    expect(await getMetrics(node.metrics)).toMatch(new RegExp(`^cardano_node_metrics_operationalCertificateStartKESPeriod_int ${PERIOD + 1}$`, "m"));
    node.child.kill("SIGINT");
    expect(await node.exited).toBe(0);
  });

  it("refuses a VRF key readable by others, in cardano-node's words (Run.hs checkVRFFilePermissions); group bits only warn", async () => {
    const root = hostFiles("core");
    const vrf = path.join(root, "etc/cardano/keys/vrf.skey");
    chmodSync(vrf, 0o404);
    const refused = await start("core", { root });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain(`VRF private key file at: ${vrf} has "other" file permissions. Please remove all "other" file permissions.`);

    chmodSync(vrf, 0o440);
    const warned = await start("core", { root });
    await warned.waitFor("started (pid");
    expect(warned.output()).toContain(`WARNING: VRF private key file at: ${vrf} has "group" file permissions. Please remove all "group" file permissions.`);
    warned.child.kill("SIGINT");
    await warned.exited;
  });

  it("refuses an unknown flag, a topology the rules refuse, a legacy snapshot in GenesisMode, and another network's database", async () => {
    const flag = await start("relay-1", { extraArgs: ["--bogus", "1"] });
    expect(await flag.exited).toBe(1);
    expect(flag.output()).toContain("Invalid option `--bogus'");

    const root = hostFiles("relay-1");
    const topologyFile = path.join(root, "etc/cardano/topology.json");
    const good = readFileSync(topologyFile, "utf8");
    const topology = JSON.parse(good) as { localRoots: { accessPoints: { address: string }[] }[] };
    topology.localRoots[0]!.accessPoints[0]!.address = "0.0.0.0";
    writeFileSync(topologyFile, JSON.stringify(topology));
    const bad = await start("relay-1", { root });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/topology .* refused: .*0\.0\.0\.0 is not a valid destination address/);

    // Refused on SIGHUP, the running node keeps its previous topology and runs on.
    writeFileSync(topologyFile, good);
    const running = await start("relay-1", { root });
    await running.waitFor("started (pid");
    writeFileSync(topologyFile, JSON.stringify(topology));
    running.child.kill("SIGHUP");
    await running.waitFor("(the previous topology stays)");
    expect(running.child.exitCode).toBeNull();
    running.child.kill("SIGINT");
    await running.exited;
    writeFileSync(topologyFile, good);

    copyFileSync(fixturePath("peer-snapshots/legacy-v1-preview.json"), path.join(root, "etc/cardano/peer-snapshot.json"));
    const legacy = await start("relay-1", { root });
    expect(await legacy.exited).toBe(1);
    expect(legacy.output()).toContain("legacy version-1 snapshot");

    const other = path.join(dir, "other-network-db");
    mkdirSync(other);
    writeFileSync(path.join(other, "protocolMagicId"), "1");
    const mismatch = await start("relay-1", { root: hostFiles("relay-1"), db: other });
    expect(await mismatch.exited).toBe(1);
    expect(mismatch.output()).toContain("ProtocolMagicIdMismatch");
  });
});
