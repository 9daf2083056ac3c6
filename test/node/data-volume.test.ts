/**
 * data-volume.sh against real block devices (loop devices), with the volume id served as an instance tag
 * by a loopback IMDS: the chain database is never formatted away, and a blank volume is made usable.
 */
import { execFileSync } from "node:child_process";
import { chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { DATA_MOUNT, DB_DIR } from "../../components/node/paths";
import { DATA_VOLUME_TAG } from "../../components/node/tags";
import { startLoopbackServer, type LoopbackServer } from "../helpers/http-server";
import { attachLoopDevice, mountsOf, type LoopDevice } from "../helpers/loop-device";
import { describeWith } from "../helpers/requirements";
import { createSandbox, serveImds, type Sandbox } from "./sandbox";

const VOLUME_ID = "vol-0123456789abcdef0";
const NVME_NAME = "nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0";
const ROOT_FSTAB_LINE = "LABEL=cloudimg-rootfs / ext4 discard,errors=remount-ro 0 1";

function sh(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function probe(device: string): Record<string, string> {
  try {
    return Object.fromEntries(sh("blkid", ["-p", "-o", "export", device]).split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  } catch {
    return {};
  }
}

function writeAt(device: string, offset: number, data: Buffer): void {
  const fd = openSync(device, "r+");
  try {
    writeSync(fd, data, 0, data.length, offset);
  } finally {
    closeSync(fd);
  }
}

describeWith(
  { root: true, tools: ["bash", "curl", "flock", "losetup", "blkid", "wipefs", "mkfs.ext4", "mkswap", "mount", "findmnt", "mountpoint"] },
  "the data volume",
  () => {
    let server: LoopbackServer;
    let scratch: string;
    let box: Sandbox;
    const devices: LoopDevice[] = [];
    const nobody = () => Number(sh("id", ["-u", "nobody"]));

    beforeAll(async () => {
      server = await startLoopbackServer();
      serveImds(server, { [DATA_VOLUME_TAG]: VOLUME_ID });
      scratch = mkdtempSync(path.join(os.tmpdir(), "stakepool-loop-"));
    });
    afterAll(async () => {
      for (const device of devices) device.detach();
      rmSync(scratch, { recursive: true, force: true });
      await server.close();
    });
    beforeEach(() => {
      box = createSandbox({ server, nodeUser: "nobody" });
      writeFileSync(box.at("/etc/fstab"), `${ROOT_FSTAB_LINE}\n`);
    });
    afterEach(() => {
      for (const target of mountsOf(box.at(DATA_MOUNT))) sh("umount", [target]);
      for (const device of devices) for (const target of mountsOf(device.device)) sh("umount", [target]);
      box.cleanup();
    });

    function volume(name: string, sizeMiB = 64): LoopDevice {
      const device = attachLoopDevice(scratch, name, sizeMiB);
      devices.push(device);
      return device;
    }
    const attach = (device: LoopDevice) => symlinkSync(device.device, box.at(`/dev/disk/by-id/${NVME_NAME}`));
    const mountedFrom = () => sh("findmnt", ["-n", "-o", "SOURCE", "--mountpoint", box.at(DATA_MOUNT)]);
    const fstabLines = () => readFileSync(box.at("/etc/fstab"), "utf8").split("\n").filter(Boolean);

    it("formats a blank volume, mounts it for the node user, records it by UUID with nofail", async () => {
      const device = volume("blank");
      attach(device);
      const result = await box.run("data-volume.sh");
      expect(result.stderr).not.toMatch(/ERROR/);
      expect(result.code).toBe(0);
      const fs = probe(device.device);
      expect(fs.TYPE).toBe("ext4");
      expect(fs.LABEL).toBe("cardano-data");
      expect(mountedFrom()).toBe(device.device);
      expect(statSync(box.at(DATA_MOUNT)).uid).toBe(nobody());
      expect(fstabLines()).toEqual([ROOT_FSTAB_LINE, `UUID=${fs.UUID} ${box.at(DATA_MOUNT)} ext4 defaults,noatime,nofail 0 2`]);

      // Again (a reboot, or a second run): nothing changes, nothing is formatted.
      const again = await box.run("data-volume.sh");
      expect(again.code).toBe(0);
      expect(probe(device.device).UUID).toBe(fs.UUID);
      expect(fstabLines()).toHaveLength(2);
    });

    it("mounts a volume that already has a filesystem as it is: its files survive, its database goes to the node user", async () => {
      const device = volume("existing");
      sh("mkfs.ext4", ["-q", device.device]);
      const uuid = probe(device.device).UUID;
      const outside = mkdtempSync(path.join(scratch, "m-"));
      sh("mount", [device.device, outside]);
      mkdirSync(path.join(outside, "db", "immutable"), { recursive: true });
      writeFileSync(path.join(outside, "db", "immutable", "04242.chunk"), "the chain\n");
      // A database written by a previous server's node user, with another uid.
      chownSync(path.join(outside, "db"), 4242, 4242);
      chownSync(path.join(outside, "db", "immutable", "04242.chunk"), 4242, 4242);
      sh("umount", [outside]);
      attach(device);

      const result = await box.run("data-volume.sh");
      expect(result.stderr).not.toMatch(/ERROR/);
      expect(result.code).toBe(0);
      expect(probe(device.device).UUID).toBe(uuid);
      expect(readFileSync(box.at(`${DB_DIR}/immutable/04242.chunk`), "utf8")).toBe("the chain\n");
      expect(statSync(box.at(`${DB_DIR}/immutable/04242.chunk`)).uid).toBe(nobody());
      expect(fstabLines()).toContain(`UUID=${uuid} ${box.at(DATA_MOUNT)} ext4 defaults,noatime,nofail 0 2`);
    });

    it("refuses a volume with a partition table and does not format it", async () => {
      const device = volume("partitioned");
      // An MBR with one Linux partition at sector 2048.
      const entry = Buffer.alloc(16);
      entry[4] = 0x83;
      entry.writeUInt32LE(2048, 8);
      entry.writeUInt32LE(4096, 12);
      writeAt(device.device, 446, entry);
      writeAt(device.device, 510, Buffer.from([0x55, 0xaa]));
      attach(device);
      const result = await box.run("data-volume.sh");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/partition table/);
      expect(probe(device.device).PTTYPE).toBe("dos");
      expect(probe(device.device).TYPE).toBeUndefined();
      expect(mountsOf(device.device)).toEqual([]);
      expect(fstabLines()).toEqual([ROOT_FSTAB_LINE]);
    });

    it("refuses a volume with a signature that is not a filesystem (swap)", async () => {
      const device = volume("swap");
      sh("mkswap", ["-q", device.device]);
      attach(device);
      const result = await box.run("data-volume.sh");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/not a filesystem/);
      expect(probe(device.device).TYPE).toBe("swap");
      expect(mountsOf(device.device)).toEqual([]);
    });

    it("refuses a volume holding data that no tool recognises", async () => {
      const device = volume("unknown");
      writeAt(device.device, 8192, Buffer.from("stakepool test data, not a filesystem\n".repeat(100)));
      attach(device);
      const result = await box.run("data-volume.sh");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/without any known signature/);
      expect(probe(device.device)).toEqual({});
      expect(mountsOf(device.device)).toEqual([]);
    });

    it("waits for a volume that is attached after boot", async () => {
      const device = volume("late");
      const timer = setTimeout(() => attach(device), 1500);
      try {
        const result = await box.run("data-volume.sh");
        expect(result.code).toBe(0);
        expect(mountedFrom()).toBe(device.device);
      } finally {
        clearTimeout(timer);
      }
    });

    it("gives up, bounded, on a volume that never appears", async () => {
      const started = Date.now();
      const result = await box.run("data-volume.sh");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/did not appear/);
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  },
);
