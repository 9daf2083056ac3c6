/**
 * mithril-signer-apply.sh run for real in the node scripts' sandbox (test/node/sandbox.ts) on the core:
 * the signer installed from the verified Mithril distribution tarball (served from a loopback server),
 * switched and restarted only when something changed, an upgrade that rolls like the node's, and the
 * keys step's commands after a KES rotation.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { deliveryScript } from "../../../components/delivery/bundle";
import { KEYS_APPLY_WITH_SIGNER, SIGNER_APPLY_SCRIPT_NAME } from "../../../components/features/mithril-signer/commands";
import { NETWORKS } from "../../../components/networks/networks";
import {
  SIGNER_APPLIED_FILE,
  SIGNER_APPLY_SETTINGS_FILE,
  SIGNER_CURRENT_LINK,
  SIGNER_ENV_FILE,
  SIGNER_LOCK_FILE,
} from "../../../components/features/mithril-signer/paths";
import { signerCoreStep } from "../../../components/features/mithril-signer/steps";
import { MITHRIL_INSTALL_ROOT } from "../../../components/node/paths";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/http-server";
import { describeWith } from "../../helpers/requirements";
import { createSandbox, mithrilTarballPath, sha256, type Sandbox } from "../../node/sandbox";
import { SIGNER_UNIT_FILE } from "../../../components/features/mithril-signer/commands";

const OLD = "2630.0";
const NEW = "2630.1";
const SIGNER = "mithril-signer.service";
const NODE = "cardano-node.service";

/** A Mithril distribution tarball laid out like upstream's (binaries at the top), with stub binaries. */
function distribution(version: string, options: { signer?: boolean } = {}): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-mithril-dist-"));
  try {
    const stub = (name: string) => writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} ${version}"\n`, { mode: 0o755 });
    stub("mithril-client");
    if (options.signer ?? true) stub("mithril-signer");
    stub("mithril-aggregator");
    return execFileSync("tar", ["-czf", "-", "-C", dir, "."]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describeWith({ root: true, tools: ["bash", "curl", "tar", "sha256sum", "flock"] }, "the signer's apply script", () => {
  let server: LoopbackServer;
  let box: Sandbox;
  const tarballs = new Map<string, Buffer>();

  beforeAll(async () => {
    server = await startLoopbackServer();
    for (const version of [OLD, NEW]) {
      tarballs.set(version, distribution(version));
      server.route("GET", mithrilTarballPath(version), { body: tarballs.get(version)! });
    }
  });
  afterAll(async () => server.close());

  /** Delivers the core's signer step into the sandbox root, for this release and proxy. */
  function deliver(version: string, sha: string | undefined, proxy = "10.30.0.11"): void {
    const step = signerCoreStep({ network: NETWORKS.preview, coreIp: box.model.core.privateIp, proxyRelayIps: [proxy], mithril: { version, sha256: sha }, monitorIp: undefined });
    for (const file of step.delivery.files) {
      mkdirSync(path.dirname(box.at(file.path)), { recursive: true });
      writeFileSync(box.at(file.path), file.content);
      chmodSync(box.at(file.path), Number.parseInt(file.mode, 8));
    }
  }

  const env = {
    STAKEPOOL_SIGNER_ENV: "",
    SIGNER_HEALTHY_SECONDS: "1",
  };
  const apply = () => box.run(SIGNER_APPLY_SCRIPT_NAME, [], env);
  const installed = () => readdirSync(box.at(MITHRIL_INSTALL_ROOT)).filter((n) => !n.startsWith(".")).sort();
  const current = () => readlinkSync(box.at(SIGNER_CURRENT_LINK));
  const restarts = () => box.systemctlCalls().filter((c) => /^(start|restart)( --no-block)? mithril-signer/.test(c));

  beforeEach(() => {
    box = createSandbox({ server, network: "preview", hostName: "core" });
    // Every path of the script's settings, into the sandbox root.
    Object.assign(env, {
      STAKEPOOL_SIGNER_ENV: box.at(SIGNER_APPLY_SETTINGS_FILE),
      SIGNER_APPLIED_FILE: box.at(SIGNER_APPLIED_FILE),
      SIGNER_CURRENT_LINK: box.at(SIGNER_CURRENT_LINK),
      SIGNER_ENV_FILE: box.at(SIGNER_ENV_FILE),
      SIGNER_LOCK_FILE: box.at(SIGNER_LOCK_FILE),
      SIGNER_UNIT_FILE: box.at(SIGNER_UNIT_FILE),
    });
    box.unitState(NODE, "active");
  });
  afterEach(() => box.cleanup());

  it("installs the signer from the verified distribution tarball, makes it current and starts it once it stays up", async () => {
    deliver(OLD, sha256(tarballs.get(OLD)!));
    const result = await apply();
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.code).toBe(0);
    expect(installed()).toEqual([OLD, "current"]);
    expect(current()).toBe(OLD);
    const dir = box.at(`${MITHRIL_INSTALL_ROOT}/${OLD}`);
    // The whole distribution, in the layout and with the record mithril-bootstrap.sh uses.
    expect(readdirSync(dir).sort()).toEqual([".stakepool-sha256", "mithril-aggregator", "mithril-client", "mithril-signer"]);
    expect(readFileSync(path.join(dir, ".stakepool-sha256"), "utf8").trim()).toBe(sha256(tarballs.get(OLD)!));
    expect(box.systemctlCalls()).toEqual(expect.arrayContaining(["daemon-reload", `enable ${SIGNER}`, `start ${SIGNER}`]));
    expect(existsSync(box.at(SIGNER_APPLIED_FILE))).toBe(true);
  });

  it("restarts nothing and downloads nothing when nothing changed", async () => {
    deliver(OLD, sha256(tarballs.get(OLD)!));
    expect((await apply()).code).toBe(0);
    const requests = server.requests.length;
    const result = await apply();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/nothing to restart/);
    expect(server.requests).toHaveLength(requests);
    expect(restarts()).toEqual([`start ${SIGNER}`]);
  });

  it("restarts the signer when its environment changed (another proxy), without downloading", async () => {
    deliver(OLD, sha256(tarballs.get(OLD)!));
    expect((await apply()).code).toBe(0);
    const requests = server.requests.length;
    deliver(OLD, sha256(tarballs.get(OLD)!), "10.30.1.12");
    const result = await apply();
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(requests);
    expect(restarts()).toEqual([`start ${SIGNER}`, `restart ${SIGNER}`]);
  });

  it("upgrades like the node: the new release beside the old, the link switched, one restart", async () => {
    deliver(OLD, sha256(tarballs.get(OLD)!));
    expect((await apply()).code).toBe(0);
    deliver(NEW, sha256(tarballs.get(NEW)!));
    const result = await apply();
    expect(result.code).toBe(0);
    expect(installed()).toEqual([OLD, NEW, "current"]);
    expect(current()).toBe(NEW);
    expect(restarts()).toEqual([`start ${SIGNER}`, `restart ${SIGNER}`]);
  });

  it("refuses a tarball whose checksum does not match: nothing installed, switched or restarted", async () => {
    deliver(OLD, sha256(tarballs.get(OLD)!));
    expect((await apply()).code).toBe(0);
    deliver(NEW, sha256("something else"));
    const result = await apply();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/checksum mismatch/);
    expect(installed()).toEqual([OLD, "current"]);
    expect(current()).toBe(OLD);
    expect(restarts()).toEqual([`start ${SIGNER}`]);
  });

  it("installs no unpinned release (it only prints the download's hash)", async () => {
    deliver(OLD, undefined);
    const result = await apply();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`no SHA-256 is pinned.*hashed to ${sha256(tarballs.get(OLD)!)}`));
    expect(existsSync(box.at(`${MITHRIL_INSTALL_ROOT}/${OLD}`))).toBe(false);
    expect(restarts()).toEqual([]);
  });

  it("uses the release the Mithril bootstrap installed (same tarball, same record) without downloading it again", async () => {
    const dir = box.at(`${MITHRIL_INSTALL_ROOT}/${OLD}`);
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", "-", "-C", dir], { input: tarballs.get(OLD)! });
    writeFileSync(path.join(dir, ".stakepool-sha256"), `${sha256(tarballs.get(OLD)!)}\n`);
    deliver(OLD, sha256(tarballs.get(OLD)!));
    const requests = server.requests.length;
    expect((await apply()).code).toBe(0);
    expect(server.requests).toHaveLength(requests);
    expect(current()).toBe(OLD);
  });

  it("refuses an installed release from another tarball, and one without a signer", async () => {
    const dir = box.at(`${MITHRIL_INSTALL_ROOT}/${OLD}`);
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", "-", "-C", dir], { input: tarballs.get(OLD)! });
    writeFileSync(path.join(dir, ".stakepool-sha256"), `${sha256("another tarball")}\n`);
    deliver(OLD, sha256(tarballs.get(OLD)!));
    let result = await apply();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/not the pinned/);
    rmSync(path.join(dir, "mithril-signer"));
    result = await apply();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/holds no mithril-signer/);
    expect(existsSync(box.at(SIGNER_CURRENT_LINK))).toBe(false);
  });

  it("refuses a distribution without mithril-signer", async () => {
    const broken = distribution("2630.2", { signer: false });
    server.route("GET", mithrilTarballPath("2630.2"), { body: broken });
    deliver("2630.2", sha256(broken));
    const result = await apply();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no executable mithril-signer/);
    expect(installed()).toEqual([]);
  });

  it("on a core whose node is not running yet, enables the signer and leaves it to start on its own", async () => {
    box.unitState(NODE, "activating");
    deliver(OLD, sha256(tarballs.get(OLD)!));
    const result = await apply();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/keeps trying to start until the node runs/);
    expect(box.systemctlCalls()).toEqual(expect.arrayContaining([`enable ${SIGNER}`, `restart --no-block ${SIGNER}`]));
    // Not recorded as applied: the next run checks that it really runs.
    expect(existsSync(box.at(SIGNER_APPLIED_FILE))).toBe(false);
  });

  it("fails, and stops the rollout, when the restarted signer does not stay up", async () => {
    box.unitState(SIGNER, "inactive", { fails: true });
    deliver(OLD, sha256(tarballs.get(OLD)!));
    const result = await apply();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/did not stay up/);
    expect(existsSync(box.at(SIGNER_APPLIED_FILE))).toBe(false);
  });

  it("after a KES rotation, reloads the node and then restarts the signer, and nothing else", async () => {
    box.unitState(SIGNER, "active");
    const script = box.at("keys-delivery.sh");
    writeFileSync(script, deliveryScript({ directories: [], files: [], apply: KEYS_APPLY_WITH_SIGNER }));
    const result = await box.shell(`bash '${script}' </dev/null`);
    expect(result.code).toBe(0);
    expect(box.systemctlCalls()).toEqual([`is-active --quiet ${NODE}`, `reload ${NODE}`, `is-active --quiet ${SIGNER}`, `restart ${SIGNER}`]);
  });

  it("on the first deployment, before the signer's step has installed its unit, the keys step succeeds and starts no signer", async () => {
    const script = box.at("keys-delivery.sh");
    writeFileSync(script, deliveryScript({ directories: [], files: [], apply: KEYS_APPLY_WITH_SIGNER }));
    const result = await box.shell(`bash '${script}' </dev/null`);
    expect(result.code).toBe(0);
    expect(box.systemctlCalls()).toEqual([`is-active --quiet ${NODE}`, `reload ${NODE}`, `is-active --quiet ${SIGNER}`]);
  });
});
