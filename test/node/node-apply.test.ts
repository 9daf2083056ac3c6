/**
 * node-apply.sh, the node step's command, run for real in a temporary root against release tarballs on a
 * loopback server and a systemctl stand-in that keeps unit states: what an operator relies on when a
 * release, the node's unit or its settings change, one host at a time.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { INSTALL_ROOT, KIT_NODE_CONFIG_NAME, NODE_CONFIG_OVERLAY_FILE, NODE_SERVICE, SYSTEMD_UNIT_DIR } from "../../components/node/paths";
import { startLoopbackServer, type LoopbackServer } from "../helpers/http-server";
import { describeWith } from "../helpers/requirements";
import { createSandbox, nodeReleaseTarball, nodeTarballPath, sha256, type Sandbox } from "./sandbox";

const OLD = "10.9.1";
const NEW = "11.9.3";
const NODE = `${NODE_SERVICE}.service`;
const SETUP = "stakepool-node-setup.service";

describeWith({ tools: ["bash", "curl", "tar", "python3", "sha256sum", "flock", "sleep"] }, "applying the node step", () => {
  let server: LoopbackServer;
  let box: Sandbox;
  const tarballs = new Map<string, Buffer>();
  const release = (version: string) => ({ NODE_VERSION: version, NODE_SHA256: sha256(tarballs.get(version)!), NODE_HEALTHY_SECONDS: "1" });
  const apply = (version: string) => box.run("node-apply.sh", [], release(version));
  const restarts = () => box.systemctlCalls().filter((c) => c === `restart ${NODE}` || c === `start ${NODE}`);

  beforeAll(async () => {
    server = await startLoopbackServer();
    for (const version of [OLD, NEW]) {
      tarballs.set(version, nodeReleaseTarball(version, { network: "preview" }));
      server.route("GET", nodeTarballPath(version), { body: tarballs.get(version)! });
    }
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    box = createSandbox({ server, network: "preview" });
  });
  afterEach(() => box.cleanup());

  it("on a server whose setup has not finished, only starts the setup: it installs and starts the node when done", async () => {
    box.unitState(SETUP, "activating");
    const result = await apply(OLD);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("the boot setup is activating");
    expect(box.systemctlCalls().filter((c) => !c.startsWith("show"))).toEqual([`start --no-block ${SETUP}`]);
    expect(server.requests).toHaveLength(0);
  });

  it("once the setup is done: installs the pinned release, starts the node, waits until it stayed up", async () => {
    box.unitState(SETUP, "active");
    const result = await apply(OLD);
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.code).toBe(0);
    expect(readlinkSync(box.at(`${INSTALL_ROOT}/current`))).toBe(OLD);
    expect(restarts()).toEqual([`start ${NODE}`]);
    expect(box.systemctlCalls()).toContain(`enable ${NODE}`);
    expect(result.stderr).toContain(`runs release ${OLD} and stayed up for 1s`);
  });

  it("restarts nothing and downloads nothing when nothing changed (a re-run for another reason)", async () => {
    box.unitState(SETUP, "active");
    expect((await apply(OLD)).code).toBe(0);
    const requests = server.requests.length;
    const again = await apply(OLD);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("nothing to restart");
    expect(restarts()).toHaveLength(1);
    expect(server.requests).toHaveLength(requests);
  });

  it("moves to a new release: installs it beside the old one, switches, restarts once", async () => {
    box.unitState(SETUP, "active");
    expect((await apply(OLD)).code).toBe(0);
    const result = await apply(NEW);
    expect(result.code).toBe(0);
    expect(readlinkSync(box.at(`${INSTALL_ROOT}/current`))).toBe(NEW);
    expect(restarts()).toEqual([`start ${NODE}`, `restart ${NODE}`]);
  });

  it("restarts, without a download, when only the node's settings or unit changed", async () => {
    box.unitState(SETUP, "active");
    expect((await apply(OLD)).code).toBe(0);
    const requests = server.requests.length;
    writeFileSync(box.at(NODE_CONFIG_OVERLAY_FILE), '{\n  "PeerSharing": false\n}\n');
    expect((await apply(OLD)).code).toBe(0);
    writeFileSync(box.at(`${SYSTEMD_UNIT_DIR}/${NODE}`), "[Unit]\nDescription=changed\n");
    expect((await apply(OLD)).code).toBe(0);
    expect(restarts()).toEqual([`start ${NODE}`, `restart ${NODE}`, `restart ${NODE}`]);
    expect(server.requests).toHaveLength(requests);
  });

  it("fails, stopping the rollout, when the restarted node does not stay up; and tries again on the next run", async () => {
    box.unitState(SETUP, "active");
    box.unitState(NODE, "inactive", { fails: true });
    const result = await apply(OLD);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/did not stay up after the change .* the rollout stops here/);
    box.unitState(NODE, "failed", { fails: false });
    expect((await apply(OLD)).code).toBe(0);
    expect(restarts()).toEqual([`start ${NODE}`, `start ${NODE}`]);
  });
});

describeWith({ tools: ["python3", "tar"] }, "the node's configuration at start", () => {
  let server: LoopbackServer;
  let box: Sandbox;
  beforeAll(async () => {
    server = await startLoopbackServer();
    const tarball = nodeReleaseTarball(OLD, { network: "preview" });
    server.route("GET", nodeTarballPath(OLD), { body: tarball });
    box = createSandbox({ server, network: "preview", hostName: "relay-1" });
    box.unitState(SETUP, "active");
    expect((await box.run("node-apply.sh", [], { NODE_VERSION: OLD, NODE_SHA256: sha256(tarball), NODE_HEALTHY_SECONDS: "1" })).code).toBe(0);
  });
  afterAll(async () => {
    box.cleanup();
    await server.close();
  });

  /** Runs the unit's ExecStartPre, as systemd would, with its paths inside the sandbox. */
  function execStartPre(): { code: number; stderr: string } {
    const unit = readFileSync(box.at(`${SYSTEMD_UNIT_DIR}/${NODE}`), "utf8");
    const line = unit.split("\n").find((l) => l.startsWith("ExecStartPre=+"))!;
    const [python, script, share, name, overlay] = line.slice("ExecStartPre=+".length).split(" ") as [string, string, string, string, string];
    try {
      execFileSync(python, [box.at(script), box.at(share.replace("/current/", `/${OLD}/`)), name, box.at(overlay)], { stdio: "pipe" });
      return { code: 0, stderr: "" };
    } catch (error) {
      return { code: 1, stderr: String((error as { stderr?: Buffer }).stderr ?? "") };
    }
  }

  it("is the release's config.json with the delivered node settings laid over it (JSON merge patch)", () => {
    expect(execStartPre().code).toBe(0);
    const share = box.at(`${INSTALL_ROOT}/${OLD}/share/preview`);
    const release = JSON.parse(readFileSync(path.join(share, "config.json"), "utf8")) as Record<string, unknown>;
    const settings = JSON.parse(readFileSync(box.at(NODE_CONFIG_OVERLAY_FILE), "utf8")) as Record<string, unknown>;
    const running = JSON.parse(readFileSync(path.join(share, KIT_NODE_CONFIG_NAME), "utf8")) as Record<string, unknown>;
    expect(settings.TargetNumberOfActivePeers).toBeGreaterThanOrEqual(27);
    // With a monitoring host, the root namespace's backends are replaced whole (an array), the rest of
    // the release's tracing settings kept (objects merge key by key, RFC 7386).
    type Trace = Record<string, Record<string, unknown>>;
    const releaseTrace = release.TraceOptions as Trace;
    const ours = (settings.TraceOptions as Trace)[""]!;
    expect(ours.backends).toContain("PrometheusSimple suffix 10.30.0.11 12798");
    expect(running).toEqual({ ...release, ...settings, TraceOptions: { ...releaseTrace, "": { ...releaseTrace[""], ...ours } } });
    expect((running.TraceOptions as Trace)[""]).toMatchObject({ severity: releaseTrace[""]!.severity, detail: releaseTrace[""]!.detail });
  });

  it("merges objects key by key and removes a key set to null; refuses to touch genesis", () => {
    const share = box.at(`${INSTALL_ROOT}/${OLD}/share/preview`);
    writeFileSync(box.at(NODE_CONFIG_OVERLAY_FILE), JSON.stringify({ TraceOptions: { ChainDB: null, "": { severity: "Info" } }, ConsensusMode: null }));
    expect(execStartPre().code).toBe(0);
    const running = JSON.parse(readFileSync(path.join(share, KIT_NODE_CONFIG_NAME), "utf8")) as { TraceOptions: Record<string, Record<string, unknown>>; ConsensusMode?: string };
    expect(running.ConsensusMode).toBeUndefined();
    expect(running.TraceOptions.ChainDB).toBeUndefined();
    expect(running.TraceOptions[""]).toMatchObject({ severity: "Info", detail: "DNormal" });
    writeFileSync(box.at(NODE_CONFIG_OVERLAY_FILE), JSON.stringify({ ShelleyGenesisFile: "mine.json" }));
    const refused = execStartPre();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/may not change ShelleyGenesisFile/);
  });
});

describe("the node unit", () => {
  it("merges the settings before every start, as root, outside the node's sandbox", () => {
    expect(readFileSync(path.join(__dirname, "../../components/node/service.ts"), "utf8")).toContain("ExecStartPre=+/usr/bin/python3");
  });
});
