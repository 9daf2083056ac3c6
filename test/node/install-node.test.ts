/**
 * install-node.sh run for real in a temporary root, against release tarballs served from a loopback
 * server: what an operator relies on when a server installs its node and when they upgrade it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { INSTALL_ROOT, KIT_LIB_DIR, KIT_NODE_CONFIG_NAME } from "../../components/node/paths";
import { nodeUpgradeCommand } from "../../components/node/upgrade";
import { startLoopbackServer, type LoopbackServer } from "../helpers/http-server";
import { describeWith } from "../helpers/requirements";
import { createSandbox, nodeReleaseTarball, nodeTarballPath, sha256, type Sandbox } from "./sandbox";

const OLD = "10.9.1";
const NEW = "11.9.3";

describeWith({ tools: ["bash", "curl", "tar", "python3", "sha256sum", "flock", "sleep"] }, "installing a node release", () => {
  let server: LoopbackServer;
  let box: Sandbox;
  const tarballs = new Map<string, Buffer>();

  beforeAll(async () => {
    server = await startLoopbackServer();
    for (const version of [OLD, NEW]) {
      const tarball = nodeReleaseTarball(version, { network: "preview" });
      tarballs.set(version, tarball);
      server.route("GET", nodeTarballPath(version), { body: tarball });
    }
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    box = createSandbox({ server, network: "preview" });
  });
  afterEach(() => box.cleanup());

  const installRoot = () => box.at(INSTALL_ROOT);
  const current = () => readlinkSync(path.join(installRoot(), "current"));
  const shaOf = (version: string) => sha256(tarballs.get(version)!);

  it("installs a release with the right checksum and makes it current, with metrics on the private address", async () => {
    const result = await box.run("install-node.sh", [OLD, shaOf(OLD)]);
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.code).toBe(0);
    expect(current()).toBe(OLD);
    const share = path.join(installRoot(), "current", "share", "preview");
    expect(existsSync(path.join(installRoot(), "current", "bin", "cardano-node"))).toBe(true);
    // The kit's copy sits beside the release's config, so relative genesis paths still resolve.
    type NodeConfig = { ShelleyGenesisFile: string; TraceOptions: Record<string, { backends: string[] }> };
    const original = JSON.parse(readFileSync(path.join(share, "config.json"), "utf8")) as NodeConfig;
    const kit = JSON.parse(readFileSync(path.join(share, KIT_NODE_CONFIG_NAME), "utf8")) as NodeConfig;
    expect(kit.ShelleyGenesisFile).toBe("shelley-genesis.json");
    expect(kit.TraceOptions[""]!.backends).toContain(`PrometheusSimple suffix ${box.host.privateIp} 12798`);
    expect(kit.TraceOptions[""]!.backends.filter((b) => b.startsWith("PrometheusSimple"))).toHaveLength(1);
    expect(kit.TraceOptions[""]!.backends).toContain("Stdout MachineFormat");
    expect(original.TraceOptions[""]!.backends).toContain("PrometheusSimple suffix 127.0.0.1 12798");
    expect({ ...kit, TraceOptions: undefined }).toEqual({ ...original, TraceOptions: undefined });
  });

  it("refuses a wrong checksum before extracting anything, and leaves the current version alone", async () => {
    expect((await box.run("install-node.sh", [OLD, shaOf(OLD)])).code).toBe(0);
    const tarCallsBefore = box.tarCalls().length;
    const wrong = await box.run("install-node.sh", [NEW, shaOf(OLD)]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/checksum mismatch/);
    expect(box.tarCalls()).toHaveLength(tarCallsBefore);
    expect(readdirSync(installRoot()).sort()).toEqual([OLD, "current"]);
    expect(current()).toBe(OLD);
  });

  it("is idempotent: the same version again downloads nothing and restarts nothing", async () => {
    expect((await box.run("install-node.sh", ["--restart", OLD, shaOf(OLD)])).code).toBe(0);
    const downloads = server.requestsFor(nodeTarballPath(OLD)).length;
    const callsAfterFirst = box.systemctlCalls();
    const again = await box.run("install-node.sh", ["--restart", OLD, shaOf(OLD)]);
    expect(again.code).toBe(0);
    expect(server.requestsFor(nodeTarballPath(OLD))).toHaveLength(downloads);
    expect(box.systemctlCalls()).toEqual(callsAfterFirst);
    expect(current()).toBe(OLD);
    expect(readdirSync(installRoot()).sort()).toEqual([OLD, "current"]);
  });

  it("upgrades with the exact upgrade command: installs beside the old one, switches, restarts the node", async () => {
    expect((await box.run("install-node.sh", [OLD, shaOf(OLD)])).code).toBe(0);
    // The command line as delivered over SSH, with the scripts where the sandbox put them.
    const command = nodeUpgradeCommand(NEW, shaOf(NEW));
    expect(command).toContain(`${KIT_LIB_DIR}/install-node.sh`);
    const result = await box.shell(command.replaceAll(KIT_LIB_DIR, box.at(KIT_LIB_DIR)));
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.code).toBe(0);
    expect(readFileSync(box.at("test-stubs/cloud-init.log"), "utf8")).toBe("status --wait\n");
    expect(current()).toBe(NEW);
    expect(readdirSync(installRoot()).sort()).toEqual([OLD, NEW, "current"]);
    expect(box.systemctlCalls()).toEqual(["try-restart cardano-node.service"]);
    // Rolling back is a switch to the release still installed: no download.
    const downloads = server.requests.length;
    expect((await box.run("install-node.sh", ["--restart", OLD, shaOf(OLD)])).code).toBe(0);
    expect(server.requests).toHaveLength(downloads);
    expect(current()).toBe(OLD);
  });

  it("refuses a release whose configuration names a genesis file it does not ship", async () => {
    const broken = nodeReleaseTarball("11.9.4", { network: "preview", omit: "conway-genesis.json" });
    server.route("GET", nodeTarballPath("11.9.4"), { body: broken });
    const result = await box.run("install-node.sh", ["11.9.4", sha256(broken)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/ConwayGenesisFile/);
    expect(existsSync(installRoot()) ? readdirSync(installRoot()) : []).toEqual([]);
  });

  it("refuses a release without the new tracing system's options (no way to bind the metrics)", async () => {
    const old = nodeReleaseTarball("9.9.9", { network: "preview", withoutTracing: true });
    server.route("GET", nodeTarballPath("9.9.9"), { body: old });
    const result = await box.run("install-node.sh", ["9.9.9", sha256(old)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/TraceOptions/);
    expect(existsSync(path.join(installRoot(), "9.9.9"))).toBe(false);
  });

  it("on a testnet, refuses an unpinned release but prints the hash it downloaded", async () => {
    const result = await box.run("install-node.sh", [OLD]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(shaOf(OLD));
    expect(result.stderr).toMatch(/UNVERIFIED/);
    expect(existsSync(path.join(installRoot(), OLD))).toBe(false);
    expect(existsSync(path.join(installRoot(), "current"))).toBe(false);
  });

  it("on mainnet, refuses an unpinned release without even downloading it", async () => {
    const mainnet = createSandbox({ server, network: "mainnet" });
    try {
      const before = server.requests.length;
      const result = await mainnet.run("install-node.sh", [OLD, ""]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/mainnet never installs an unverified release/);
      expect(server.requests).toHaveLength(before);
    } finally {
      mainnet.cleanup();
    }
  });

  it("never overlaps another node script: it waits for the lock, bounded", async () => {
    const lock = box.settings.LOCK_FILE!;
    mkdirSync(path.dirname(lock), { recursive: true });
    const holder = spawn("flock", [lock, "sleep", "3"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = server.requests.length;
      const blocked = await box.run("install-node.sh", [OLD, shaOf(OLD)], { LOCK_WAIT_SECONDS: "1" });
      expect(blocked.code).not.toBe(0);
      expect(blocked.stderr).toMatch(/still holds/);
      expect(server.requests).toHaveLength(before);
      const waited = await box.run("install-node.sh", [OLD, shaOf(OLD)]);
      expect(waited.stderr).toMatch(/waiting for/);
      expect(waited.code).toBe(0);
      expect(current()).toBe(OLD);
    } finally {
      holder.kill();
    }
  });

  it("refuses arguments that are not a version and a SHA-256", async () => {
    const before = server.requests.length;
    expect((await box.run("install-node.sh", ["../../etc", shaOf(OLD)])).code).not.toBe(0);
    expect((await box.run("install-node.sh", [OLD, "abc"])).code).not.toBe(0);
    expect(server.requests).toHaveLength(before);
  });
});
