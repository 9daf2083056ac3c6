/**
 * install-node.sh run for real in a temporary root, against release tarballs served from a loopback
 * server: what an operator relies on when a server installs its node (at its first setup, and when the
 * node step moves it to another release).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { INSTALL_ROOT, KIT_NODE_CONFIG_NAME } from "../../components/node/paths";
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

  it("installs a release with the right checksum and makes it current, with the kit's copy of its config beside it", async () => {
    const result = await box.run("install-node.sh", [OLD, shaOf(OLD)]);
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.code).toBe(0);
    expect(current()).toBe(OLD);
    const share = path.join(installRoot(), "current", "share", "preview");
    expect(existsSync(path.join(installRoot(), "current", "bin", "cardano-node"))).toBe(true);
    // The kit's copy sits beside the release's config, so relative genesis paths still resolve; the
    // node's unit lays the kit's node settings over it before every start (node-apply.test.ts).
    const original = JSON.parse(readFileSync(path.join(share, "config.json"), "utf8")) as unknown;
    expect(JSON.parse(readFileSync(path.join(share, KIT_NODE_CONFIG_NAME), "utf8"))).toEqual(original);
    // Installing never touches the running node.
    expect(box.systemctlCalls()).toEqual([]);
  });

  it("makes a release readable and runnable by the node's user even when its tarball carries owner-only modes", async () => {
    // A tarball made under umask 077 has a 0700 top folder: kept as it was, the node (not root) could not
    // run bin/cardano-node, and its unit would fail with 203/EXEC while the install looked fine.
    const tight = nodeReleaseTarball("11.9.4", { network: "preview", ownerOnly: true });
    server.route("GET", nodeTarballPath("11.9.4"), { body: tight });
    const result = await box.run("install-node.sh", ["11.9.4", sha256(tight)]);
    expect(result.code).toBe(0);
    const release = path.join(installRoot(), "11.9.4");
    for (const [file, mode] of [["", 0o755], ["bin", 0o755], ["bin/cardano-node", 0o755], ["share/preview/config.json", 0o644]] as const) {
      expect(statSync(path.join(release, file)).mode & 0o777, file || "the release folder").toBe(mode);
    }
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

  it("is idempotent: the same version again downloads nothing; a version still installed is a switch, not a download", async () => {
    expect((await box.run("install-node.sh", [OLD, shaOf(OLD)])).code).toBe(0);
    const downloads = server.requestsFor(nodeTarballPath(OLD)).length;
    expect((await box.run("install-node.sh", [OLD, shaOf(OLD)])).code).toBe(0);
    expect(server.requestsFor(nodeTarballPath(OLD))).toHaveLength(downloads);
    expect(readdirSync(installRoot()).sort()).toEqual([OLD, "current"]);
    expect((await box.run("install-node.sh", [NEW, shaOf(NEW)])).code).toBe(0);
    expect(current()).toBe(NEW);
    const all = server.requests.length;
    expect((await box.run("install-node.sh", [OLD, shaOf(OLD)])).code).toBe(0);
    expect(server.requests).toHaveLength(all);
    expect(current()).toBe(OLD);
    expect(box.systemctlCalls()).toEqual([]);
  });

  it("refuses a release whose configuration names a genesis file it does not ship", async () => {
    const broken = nodeReleaseTarball("11.9.4", { network: "preview", omit: "conway-genesis.json" });
    server.route("GET", nodeTarballPath("11.9.4"), { body: broken });
    const result = await box.run("install-node.sh", ["11.9.4", sha256(broken)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/ConwayGenesisFile/);
    expect(existsSync(installRoot()) ? readdirSync(installRoot()) : []).toEqual([]);
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
