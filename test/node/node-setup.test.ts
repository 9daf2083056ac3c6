/**
 * The boot setup end to end, for real: a blank loop-device volume, IMDS tags and release tarballs on a
 * loopback server, a stub mithril-client. What a new server does on its first boot, and that the next
 * boot changes nothing.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DATA_MOUNT, DB_DIR, INSTALL_ROOT, NODE_SERVICE, SYSTEMD_UNIT_DIR } from "../../components/node/paths";

const NODE_UNIT_FILE = `${SYSTEMD_UNIT_DIR}/${NODE_SERVICE}.service`;
import { DATA_VOLUME_TAG } from "../../components/backends/aws/tags";
import { startLoopbackServer, type LoopbackServer } from "../helpers/http-server";
import { attachLoopDevice, mountsOf, type LoopDevice } from "../helpers/loop-device";
import { describeWith } from "../helpers/requirements";
import {
  createSandbox,
  mithrilTarball,
  mithrilTarballPath,
  nodeReleaseTarball,
  nodeTarballPath,
  readMithrilRecord,
  serveImds,
  sha256,
  type Sandbox,
} from "./sandbox";

const NODE_VERSION = "11.9.3";
const MITHRIL_VERSION = "2617.0";
const VOLUME_ID = "vol-0fedcba9876543210";

describeWith(
  { root: true, tools: ["bash", "curl", "tar", "python3", "sha256sum", "flock", "runuser", "losetup", "blkid", "wipefs", "mkfs.ext4", "findmnt", "mountpoint"] },
  "the boot setup",
  () => {
    let server: LoopbackServer;
    let scratch: string;
    let device: LoopDevice;
    let box: Sandbox;
    let record: string;
    let releases: Record<string, string>;

    beforeAll(async () => {
      server = await startLoopbackServer();
      scratch = mkdtempSync(path.join(os.tmpdir(), "stakepool-setup-"));
      device = attachLoopDevice(scratch, "data", 64);
      box = createSandbox({ server, network: "preview", hostName: "core", nodeUser: "nobody" });
      record = box.at("/records/mithril-client.txt");
      mkdirSync(path.dirname(record));
      chmodSync(path.dirname(record), 0o777);
      symlinkSync(device.device, box.at(`/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_ID.replace("-", "")}`));

      const node = nodeReleaseTarball(NODE_VERSION, { network: "preview" });
      const mithril = mithrilTarball({ recordFile: record });
      server.route("GET", nodeTarballPath(NODE_VERSION), { body: node });
      server.route("GET", mithrilTarballPath(MITHRIL_VERSION), { body: mithril });
      serveImds(server, { [DATA_VOLUME_TAG]: VOLUME_ID });
      releases = { NODE_VERSION, NODE_SHA256: sha256(node), MITHRIL_VERSION, MITHRIL_SHA256: sha256(mithril) };
    });
    afterAll(async () => {
      for (const target of mountsOf(box.at(DATA_MOUNT))) execFileSync("umount", [target]);
      device.detach();
      box.cleanup();
      rmSync(scratch, { recursive: true, force: true });
      await server.close();
    });

    it("on a new server: formats and mounts the volume, installs the pinned release, restores from Mithril, starts the node", async () => {
      const result = await box.run("node-setup.sh", [], releases);
      expect(result.stderr).not.toMatch(/ERROR/);
      expect(result.code).toBe(0);

      expect(execFileSync("findmnt", ["-n", "-o", "SOURCE", "--mountpoint", box.at(DATA_MOUNT)], { encoding: "utf8" }).trim()).toBe(device.device);
      expect(readlinkSync(box.at(`${INSTALL_ROOT}/current`))).toBe(NODE_VERSION);
      expect(readFileSync(box.at(`${DB_DIR}/immutable/00000.chunk`), "utf8")).toBe("chunk\n");
      expect(statSync(box.at(DB_DIR)).uid).toBe(Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" })));
      expect(readMithrilRecord(record).args).toContain("--include-ancillary");
      // The node step delivered the unit and the release pins, then started this setup: it starts the node.
      expect(box.systemctlCalls().slice(-2)).toEqual(["enable cardano-node.service", "start --no-block cardano-node.service"]);
    });

    it("on the next boot: downloads nothing, formats nothing, keeps the database, starts the node", async () => {
      const requests = server.requests.length;
      const uuid = execFileSync("blkid", ["-p", "-s", "UUID", "-o", "value", device.device], { encoding: "utf8" }).trim();
      rmSync(record);
      const result = await box.run("node-setup.sh", [], releases);
      expect(result.code).toBe(0);
      expect(server.requests).toHaveLength(requests);
      expect(execFileSync("blkid", ["-p", "-s", "UUID", "-o", "value", device.device], { encoding: "utf8" }).trim()).toBe(uuid);
      expect(readFileSync(box.at(`${DB_DIR}/immutable/00000.chunk`), "utf8")).toBe("chunk\n");
      expect(() => statSync(record)).toThrow();
      const calls = box.systemctlCalls();
      expect(calls).toContain("enable cardano-node.service");
      expect(calls.at(-1)).toBe("start --no-block cardano-node.service");
    });
  },
);

describeWith(
  { root: true, tools: ["bash", "curl", "tar", "python3", "sha256sum", "flock", "runuser", "losetup", "blkid", "wipefs", "mkfs.ext4", "findmnt", "mountpoint", "timeout"] },
  "a boot setup that fails once",
  () => {
    let server: LoopbackServer;
    let scratch: string;
    let device: LoopDevice;
    let box: Sandbox;
    let mithril: Buffer;
    let releases: Record<string, string>;
    let aggregatorCalls = 0;

    beforeAll(async () => {
      server = await startLoopbackServer();
      scratch = mkdtempSync(path.join(os.tmpdir(), "stakepool-setup-retry-"));
      device = attachLoopDevice(scratch, "data", 64);
      // The aggregator is down for the first attempt, then answers.
      server.route("GET", "/aggregator", () => (++aggregatorCalls === 1 ? { status: 503, body: "down\n" } : { body: "{}\n" }));
      box = createSandbox({
        server,
        network: "preview",
        hostName: "core",
        nodeUser: "nobody",
        env: { MITHRIL_AGGREGATOR: `${server.url}/aggregator`, SETUP_RETRY_FIRST_SECONDS: "1", SETUP_RETRY_MAX_SECONDS: "2" },
      });
      symlinkSync(device.device, box.at(`/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_ID.replace("-", "")}`));
      const record = box.at("/records/mithril-client.txt");
      mkdirSync(path.dirname(record));
      chmodSync(path.dirname(record), 0o777);
      const node = nodeReleaseTarball(NODE_VERSION, { network: "preview" });
      mithril = mithrilTarball({ recordFile: record, contactAggregator: true });
      server.route("GET", nodeTarballPath(NODE_VERSION), { body: node });
      server.route("GET", mithrilTarballPath(MITHRIL_VERSION), { body: mithril });
      serveImds(server, { [DATA_VOLUME_TAG]: VOLUME_ID });
      releases = { NODE_VERSION, NODE_SHA256: sha256(node), MITHRIL_VERSION, MITHRIL_SHA256: sha256(mithril) };
      // The node's unit was delivered before the setup ran (it starts the node when it is done).
      mkdirSync(path.dirname(box.at(NODE_UNIT_FILE)), { recursive: true });
      writeFileSync(box.at(NODE_UNIT_FILE), "[Unit]\n");
    });
    afterAll(async () => {
      for (const target of mountsOf(box.at(DATA_MOUNT))) execFileSync("umount", [target]);
      device.detach();
      box.cleanup();
      rmSync(scratch, { recursive: true, force: true });
      await server.close();
    });

    it("tries again after a backoff while Mithril's aggregator is down, then restores the chain and starts the node", async () => {
      const result = await box.run("node-setup.sh", [], releases);
      expect(result.code).toBe(0);
      expect(aggregatorCalls).toBe(2);
      expect(result.stderr).toMatch(/attempt 1 failed \(exit \d+\); trying again in 1s/);
      expect(result.stderr).toContain("the setup succeeded at attempt 2");
      expect(readFileSync(box.at(`${DB_DIR}/immutable/00000.chunk`), "utf8")).toBe("chunk\n");
      // The first attempt had already installed the release: the second one did not download it again.
      expect(server.requestsFor(nodeTarballPath(NODE_VERSION))).toHaveLength(1);
      expect(box.systemctlCalls().slice(-2)).toEqual(["enable cardano-node.service", "start --no-block cardano-node.service"]);
    });

    it("stops at once, without retrying, when retrying cannot help (a checksum that does not match)", async () => {
      rmSync(box.at(`${INSTALL_ROOT}/current`));
      server.route("GET", nodeTarballPath("11.9.4"), { body: nodeReleaseTarball("11.9.4", { network: "preview" }) });
      const calls = box.systemctlCalls().length;
      const result = await box.run("node-setup.sh", [], { ...releases, NODE_VERSION: "11.9.4", NODE_SHA256: sha256("not the tarball") });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/checksum mismatch/);
      expect(result.stderr).toContain("retrying cannot fix the error above");
      expect(result.stderr).not.toMatch(/trying again/);
      expect(server.requestsFor(nodeTarballPath("11.9.4"))).toHaveLength(1);
      expect(box.systemctlCalls()).toHaveLength(calls);
    });
  },
);
