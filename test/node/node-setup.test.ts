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
import { DATA_VOLUME_TAG, MITHRIL_SHA256_TAG, MITHRIL_VERSION_TAG, NODE_SHA256_TAG, NODE_VERSION_TAG } from "../../components/node/tags";
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
      serveImds(server, {
        [DATA_VOLUME_TAG]: VOLUME_ID,
        [NODE_VERSION_TAG]: NODE_VERSION,
        [NODE_SHA256_TAG]: sha256(node),
        [MITHRIL_VERSION_TAG]: MITHRIL_VERSION,
        [MITHRIL_SHA256_TAG]: sha256(mithril),
      });
    });
    afterAll(async () => {
      for (const target of mountsOf(box.at(DATA_MOUNT))) execFileSync("umount", [target]);
      device.detach();
      box.cleanup();
      rmSync(scratch, { recursive: true, force: true });
      await server.close();
    });

    it("on first boot: formats and mounts the volume, installs the tagged release, restores from Mithril; the node's delivery starts it", async () => {
      const result = await box.run("node-setup.sh");
      expect(result.stderr).not.toMatch(/ERROR/);
      expect(result.code).toBe(0);

      expect(execFileSync("findmnt", ["-n", "-o", "SOURCE", "--mountpoint", box.at(DATA_MOUNT)], { encoding: "utf8" }).trim()).toBe(device.device);
      expect(readlinkSync(box.at(`${INSTALL_ROOT}/current`))).toBe(NODE_VERSION);
      expect(readFileSync(box.at(`${DB_DIR}/immutable/00000.chunk`), "utf8")).toBe("chunk\n");
      expect(statSync(box.at(DB_DIR)).uid).toBe(Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" })));
      expect(readMithrilRecord(record).args).toContain("--include-ancillary");
      // The node's unit arrives over SSH; until then the setup leaves the start to that delivery.
      expect(result.stdout + result.stderr).toContain("has not been delivered yet");
      expect(box.systemctlCalls().some((c) => c.includes("cardano-node"))).toBe(false);
    });

    it("on the next boot, with the unit delivered: downloads nothing, formats nothing, keeps the database, starts the node", async () => {
      mkdirSync(path.dirname(box.at(NODE_UNIT_FILE)), { recursive: true });
      writeFileSync(box.at(NODE_UNIT_FILE), "[Unit]\n");
      const requests = server.requests.length;
      const uuid = execFileSync("blkid", ["-p", "-s", "UUID", "-o", "value", device.device], { encoding: "utf8" }).trim();
      rmSync(record);
      const result = await box.run("node-setup.sh");
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
