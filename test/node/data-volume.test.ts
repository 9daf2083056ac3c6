/**
 * data-volume.sh against real block devices (loop devices), with the volume id served as an instance tag
 * by a loopback IMDS: the chain database is never formatted away, a new volume is made usable, and a grown
 * volume's filesystem grows with it.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATA_MOUNT, DB_DIR } from "../../components/node/paths";
import { DATA_VOLUME_TAG } from "../../components/backends/aws/tags";
import { startLoopbackServer, type LoopbackServer } from "../helpers/http-server";
import { attachLoopDevice, mountsOf, type LoopDevice } from "../helpers/loop-device";
import { describeWith } from "../helpers/requirements";
import { createSandbox, serveImds, type Sandbox } from "./sandbox";

const VOLUME_ID = "vol-0123456789abcdef0";
const NVME_NAME = "nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0";
const ROOT_FSTAB_LINE = "LABEL=cloudimg-rootfs / ext4 discard,errors=remount-ro 0 1";
const MiB = 1024 * 1024;
/** Room for XFS (300 MiB at least) and for ext4's backup superblocks at 128 and 384 MiB. */
const FS_MIB = 512;
const CHAIN_FILE = "db/immutable/04242.chunk";

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
    // On the device before the test goes on: a plain `sync` does not wait for a loop device's writes to
    // reach its backing file, which the hashes read.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every byte of the volume, hashed: a refused volume must not change at all. Read from the loop device's
 * backing file after a sync, not through /dev/loopN: ext4 writes file data past the block device's page
 * cache, so pages cached there before (the script's sampling of the new volume) stay stale after the
 * filesystem is unmounted, and neither `blockdev --flushbufs` nor a re-read reliably drops them under load
 * (a false change in about one run of three). The backing file is what the device stores; writes to the
 * device are fsynced (writeAt), so it holds them.
 */
const deviceHash = (device: LoopDevice) => {
  // Settled: the same twice in a row (the test's own writes still landing must not look like the script's).
  let previous: string | undefined;
  for (let i = 0; i < 20; i++) {
    sh("sync", []);
    const hash = sh("sha256sum", [device.file]).split(" ")[0]!;
    if (hash === previous) return hash;
    previous = hash;
    sh("sleep", ["0.2"]);
  }
  throw new Error(`${device.file} kept changing for 20 reads`);
};
const zeroFirstMiB = (device: string) => writeAt(device, 0, Buffer.alloc(MiB));

type FsType = "ext4" | "xfs" | "btrfs";
/** A filesystem made by someone else, with the mkfs defaults (-f: the device may hold an older one). */
function mkfs(type: FsType, device: string): void {
  sh(`mkfs.${type}`, type === "ext4" ? ["-q", "-F", device] : ["-q", "-f", device]);
}

describeWith(
  {
    root: true,
    tools: [
      "bash", "curl", "flock", "python3", "losetup", "blkid", "blockdev", "blkdiscard", "wipefs", "sha256sum", "mkswap", "mount", "findmnt", "mountpoint",
      "mkfs.ext4", "dumpe2fs", "resize2fs", "mkfs.xfs", "xfs_info", "xfs_growfs", "mkfs.btrfs", "btrfs", "sgdisk",
    ],
  },
  "the data volume",
  () => {
    let server: LoopbackServer;
    let scratch: string;
    let box: Sandbox;
    const devices: LoopDevice[] = [];
    const servers: Sandbox[] = [];
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
      box = freshServer();
    });
    afterEach(() => {
      for (const device of devices) for (const target of mountsOf(device.device)) sh("umount", [target]);
      for (const s of servers.splice(0)) s.cleanup();
    });

    /** A server's root as cloud-init left it, before the setup ran (a replaced instance gets a new one). */
    function freshServer(): Sandbox {
      const s = createSandbox({ server, nodeUser: "nobody" });
      writeFileSync(s.at("/etc/fstab"), `${ROOT_FSTAB_LINE}\n`);
      servers.push(s);
      return s;
    }
    function volume(name: string, sizeMiB = 64): LoopDevice {
      const device = attachLoopDevice(scratch, name, sizeMiB);
      devices.push(device);
      return device;
    }
    const attach = (device: LoopDevice, to: Sandbox = box) => symlinkSync(device.device, to.at(`/dev/disk/by-id/${NVME_NAME}`));
    const mountedFrom = (on: Sandbox = box) => sh("findmnt", ["-n", "-o", "SOURCE", "--mountpoint", on.at(DATA_MOUNT)]);
    const fstabLines = (on: Sandbox = box) => readFileSync(on.at("/etc/fstab"), "utf8").split("\n").filter(Boolean);
    const fsBytes = (on: Sandbox = box) => Number(sh("df", ["-B1", "--output=size", on.at(DATA_MOUNT)]).split("\n")[1]);
    /** The server goes away with the volume still holding its filesystem. */
    const unmount = (on: Sandbox = box) => sh("umount", [on.at(DATA_MOUNT)]);

    /** Mounts the device outside any server, lets `write` fill it, unmounts it. */
    function withMounted(device: LoopDevice, write: (dir: string) => void): void {
      const dir = mkdtempSync(path.join(scratch, "m-"));
      sh("mount", [device.device, dir]);
      try {
        write(dir);
      } finally {
        sh("umount", [dir]);
      }
    }
    /** A chain database written by a previous server's node user, whose uid this server does not know. */
    function writeChain(dir: string): void {
      mkdirSync(path.join(dir, path.dirname(CHAIN_FILE)), { recursive: true });
      writeFileSync(path.join(dir, CHAIN_FILE), "the chain\n");
      chownSync(path.join(dir, "db"), 4242, 4242);
      chownSync(path.join(dir, "db", "immutable"), 4242, 4242);
      chownSync(path.join(dir, CHAIN_FILE), 4242, 4242);
    }
    /** Runs the setup on a first server, writes the chain on the volume it made, and lets that server go. */
    async function kitVolume(device: LoopDevice): Promise<void> {
      attach(device);
      const result = await box.run("data-volume.sh");
      expect(result.stderr).not.toMatch(/ERROR/);
      writeChain(box.at(DATA_MOUNT));
      unmount();
    }

    describe("a new volume", () => {
      it("is formatted ext4 with the kit's label, mounted for the node user, recorded by UUID with nofail", async () => {
        const device = volume("new", FS_MIB);
        attach(device);
        const result = await box.run("data-volume.sh");
        expect(result.stderr).not.toMatch(/ERROR/);
        expect(result.code).toBe(0);
        expect(result.stderr).toMatch(/has no signature; checked that it is new: \d+ MiB in \d+ reads/);
        expect(result.stderr).toMatch(/is new: formatting it ext4/);
        const fs = probe(device.device);
        expect(fs.TYPE).toBe("ext4");
        expect(fs.LABEL).toBe("cardano-data");
        expect(mountedFrom()).toBe(device.device);
        expect(statSync(box.at(DATA_MOUNT)).uid).toBe(nobody());
        expect(fstabLines()).toEqual([ROOT_FSTAB_LINE, `UUID=${fs.UUID} ${box.at(DATA_MOUNT)} ext4 defaults,noatime,nofail 0 2`]);

        // Again (a reboot, or a second run): nothing changes, nothing is formatted.
        const again = await box.run("data-volume.sh");
        expect(again.code).toBe(0);
        expect(again.stderr).not.toMatch(/format/);
        expect(probe(device.device).UUID).toBe(fs.UUID);
        expect(fstabLines()).toHaveLength(2);
      });

      it("made by the kit is mounted again by a replaced server, as it is: same filesystem, the chain kept", async () => {
        const device = volume("replaced", FS_MIB);
        await kitVolume(device);
        const uuid = probe(device.device).UUID;

        const replacement = freshServer();
        attach(device, replacement);
        const result = await replacement.run("data-volume.sh");
        expect(result.stderr).not.toMatch(/ERROR/);
        expect(result.code).toBe(0);
        expect(result.stderr).not.toMatch(/format|checked that it is new/);
        expect(result.stderr).toMatch(/holds a ext4 filesystem: mounting it as it is/);
        expect(probe(device.device)).toMatchObject({ UUID: uuid, LABEL: "cardano-data" });
        expect(mountedFrom(replacement)).toBe(device.device);
        expect(readFileSync(replacement.at(`${DATA_MOUNT}/${CHAIN_FILE}`), "utf8")).toBe("the chain\n");
        expect(statSync(replacement.at(`${DATA_MOUNT}/${CHAIN_FILE}`)).uid).toBe(nobody());
      });
    });

    describe("a volume with a filesystem made elsewhere is mounted as it is; its database goes to the node user", () => {
      for (const type of ["ext4", "xfs", "btrfs"] as const) {
        it(type, async () => {
          const device = volume(`other-${type}`, FS_MIB);
          mkfs(type, device.device);
          withMounted(device, writeChain);
          const uuid = probe(device.device).UUID;
          attach(device);

          const result = await box.run("data-volume.sh");
          expect(result.stderr).not.toMatch(/ERROR/);
          expect(result.code).toBe(0);
          expect(result.stderr).toMatch(new RegExp(`holds a ${type} filesystem: mounting it as it is`));
          expect(probe(device.device)).toMatchObject({ TYPE: type, UUID: uuid });
          expect(readFileSync(box.at(`${DB_DIR}/immutable/04242.chunk`), "utf8")).toBe("the chain\n");
          expect(statSync(box.at(`${DB_DIR}/immutable/04242.chunk`)).uid).toBe(nobody());
          expect(fstabLines()).toContain(`UUID=${uuid} ${box.at(DATA_MOUNT)} ${type} defaults,noatime,nofail 0 2`);
        });
      }
    });

    describe("a volume that is not provably new is refused, every byte left as it was", () => {
      interface NotNew {
        readonly name: string;
        readonly prepare: (device: LoopDevice) => void | Promise<void>;
        /** What the refusal must say it found. */
        readonly says: readonly RegExp[];
      }
      const notNew = /has no signature at its start but is not new: /;
      const withZeroedStart = (type: FsType) => (device: LoopDevice) => {
        mkfs(type, device.device);
        withMounted(device, writeChain);
        zeroFirstMiB(device.device);
      };
      const cases: NotNew[] = [
        // The red team's five (issue 12): the old rule formatted each of them.
        { name: "ext4 with a chain, its first MiB zeroed", prepare: withZeroedStart("ext4"), says: [notNew, /ext4 superblock copy at 128 MiB, label ''; repair: e2fsck -f -b 32768 -B 4096 \/dev\/loop\d+/] },
        { name: "btrfs with a chain, its first MiB zeroed", prepare: withZeroedStart("btrfs"), says: [notNew, /btrfs superblock at 64 MiB; repair: btrfs rescue super-recover/] },
        { name: "XFS with a chain, its first MiB zeroed", prepare: withZeroedStart("xfs"), says: [notNew, /XFS superblock at 128 MiB; repair: xfs_repair/] },
        {
          name: "a GPT disk whose primary tables are zeroed (its backup at the end intact)",
          prepare: (device) => {
            sh("sgdisk", ["--new=1:0:0", "--typecode=1:8300", device.device]);
            zeroFirstMiB(device.device);
          },
          says: [/holds a gpt partition table \(the kit uses the whole volume\)/],
        },
        {
          name: "random data at 4 MiB on an otherwise zero device",
          prepare: (device) => writeAt(device.device, 4 * MiB, randomBytes(64 * 1024)),
          says: [notNew, /data in 1 of \d+ places read, from 4 MiB/],
        },
        // A small filesystem's ext4 (1 KiB blocks, groups of 8 MiB), made by someone else.
        {
          name: "ext4 of 1 KiB blocks, its first MiB zeroed",
          prepare: (device) => {
            sh("mkfs.ext4", ["-q", "-F", "-b", "1024", device.device]);
            zeroFirstMiB(device.device);
          },
          says: [notNew, /ext4 superblock copy at 8\.00098 MiB, label ''; repair: e2fsck -f -b 8193 -B 1024/],
        },
        // The old rule's own case: data that no tool recognises, inside the first MiB.
        {
          name: "data without any signature at 8 KiB",
          prepare: (device) => writeAt(device.device, 8192, Buffer.from("stakepool test data, not a filesystem\n".repeat(100))),
          says: [notNew, /data in 1 of \d+ places read, from byte 8192/],
        },
        // Data deep inside the device, found by the samples.
        {
          name: "a stray block at 300 MiB on an otherwise zero device",
          prepare: (device) => writeAt(device.device, 300 * MiB, Buffer.from("a stray block\n")),
          says: [notNew, /data in 1 of \d+ places read, from 300 MiB/],
        },
        {
          name: "a volume the kit formatted, holding a chain, whose first MiB was later zeroed",
          prepare: async (device) => {
            await kitVolume(device);
            zeroFirstMiB(device.device);
          },
          says: [notNew, /ext4 superblock copy at 128 MiB, label 'cardano-data' \(the kit's data volume\); repair: e2fsck -f -b 32768 -B 4096/],
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const device = volume(c.name.replace(/\W+/g, "-"), FS_MIB);
          await c.prepare(device);
          expect(probe(device.device)).toEqual({}); // the old rule's blkid saw nothing here
          const before = deviceHash(device);

          const server = freshServer();
          attach(device, server);
          const result = await server.run("data-volume.sh");
          expect(result.code).not.toBe(0);
          for (const says of c.says) expect(result.stderr).toMatch(says);
          expect(result.stderr).toMatch(
            /Refusing to format it\. To start afresh, losing everything on it: blkdiscard -z \/dev\/loop\d+, then run \S+data-volume\.sh again/,
          );
          expect(deviceHash(device)).toBe(before);
          expect(mountsOf(device.device)).toEqual([]);
          expect(fstabLines(server)).toEqual([ROOT_FSTAB_LINE]);
        });
      }

      it("until the operator zeroes it deliberately, as the refusal says: then it is new and formatted", async () => {
        const device = volume("wiped", FS_MIB);
        withZeroedStart("ext4")(device);
        attach(device);
        expect((await box.run("data-volume.sh")).code).not.toBe(0);

        sh("blkdiscard", ["-z", device.device]);
        const result = await box.run("data-volume.sh");
        expect(result.stderr).not.toMatch(/ERROR/);
        expect(result.code).toBe(0);
        expect(result.stderr).toMatch(/is new: formatting it ext4/);
        expect(probe(device.device).LABEL).toBe("cardano-data");
      });
    });

    // The operator's own servers (stakepool:backend ssh): a disk by its stable name, or a folder.
    describe("an operator's disk, named by /dev/disk/by-id (DATA_DEVICE)", () => {
      const DISK = "ata-EXAMPLE_SSD_0001";
      const asDisk = (device: LoopDevice, on: Sandbox = box) => {
        symlinkSync(device.device, on.at(`/dev/disk/by-id/${DISK}`));
        return { DATA_DEVICE: on.at(`/dev/disk/by-id/${DISK}`), DATA_VOLUME_TAG: "" };
      };

      it("is formatted when provably new and mounted for the node user, with no instance tag read", async () => {
        const device = volume("own-new", FS_MIB);
        const asked = server.requests.length;
        const result = await box.run("data-volume.sh", [], asDisk(device));
        expect(result.stderr).not.toMatch(/ERROR/);
        expect(result.code).toBe(0);
        expect(result.stderr).toMatch(new RegExp(`data disk \\S+/dev/disk/by-id/${DISK} is ${device.device}`));
        expect(result.stderr).toMatch(/is new: formatting it ext4/);
        expect(mountedFrom()).toBe(device.device);
        expect(statSync(box.at(DATA_MOUNT)).uid).toBe(nobody());
        expect(server.requests.slice(asked).map((r) => r.path)).toEqual([]);
      });

      it("is refused, every byte as it was, when it holds a partition table (a system disk named by mistake)", async () => {
        const device = volume("own-gpt", FS_MIB);
        sh("sgdisk", ["--new=1:0:0", "--typecode=1:8300", device.device]);
        const before = deviceHash(device);
        const result = await box.run("data-volume.sh", [], asDisk(device));
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/Refusing to format it/);
        expect(deviceHash(device)).toBe(before);
        expect(mountsOf(device.device)).toEqual([]);
      });

      it("is refused when the setting names a kernel name that can change across boots", async () => {
        const device = volume("own-kernel-name", 64);
        const result = await box.run("data-volume.sh", [], { DATA_DEVICE: device.device, DATA_VOLUME_TAG: "" });
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/is not a disk's stable name/);
        expect(mountsOf(device.device)).toEqual([]);
      });
    });

    describe("no data disk (DATA_FOLDER): a folder on the root disk", () => {
      it("is made for the node user; nothing is mounted, nothing is added to fstab, a second run changes nothing", async () => {
        const env = { DATA_FOLDER: "true", DATA_VOLUME_TAG: "" };
        const result = await box.run("data-volume.sh", [], env);
        expect(result.stderr).not.toMatch(/ERROR/);
        expect(result.code).toBe(0);
        expect(result.stderr).toMatch(/lives in \S+ on the root disk/);
        expect(statSync(box.at(DATA_MOUNT)).uid).toBe(nobody());
        // findmnt fails when nothing is mounted there.
        expect(() => sh("findmnt", ["-n", "-o", "SOURCE", "--mountpoint", box.at(DATA_MOUNT)])).toThrow();
        expect(fstabLines()).toEqual([ROOT_FSTAB_LINE]);
        expect((await box.run("data-volume.sh", [], env)).code).toBe(0);
      });

      it("is refused with a device set as well: one place for the chain database", async () => {
        const result = await box.run("data-volume.sh", [], { DATA_FOLDER: "true", DATA_VOLUME_TAG: "", DATA_DEVICE: box.at("/dev/disk/by-id/x") });
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/DATA_FOLDER is true, yet a device or volume is set too/);
      });
    });

    /** Runs the setup on a volume whose device has just grown, expecting its filesystem to grow online. */
    async function expectGrown(device: LoopDevice, type: FsType, on: Sandbox = box): Promise<void> {
      const result = await on.run("data-volume.sh");
      expect(result.stderr).not.toMatch(/ERROR|WARNING|format/);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(new RegExp(`growing the ${type} filesystem on ${device.device} online from ${FS_MIB} to ${2 * FS_MIB} MiB`));
      // df's size (the filesystem less its own overhead) now goes well past what the device held before.
      expect(fsBytes(on)).toBeGreaterThan(1.5 * FS_MIB * MiB);
      const again = await on.run("data-volume.sh");
      expect(again.stderr).not.toMatch(/growing/);
    }

    describe("a volume that grew has its filesystem grown online", () => {
      for (const type of ["xfs", "btrfs"] as const) {
        it(`${type}, mounted`, async () => {
          const device = volume(`grow-${type}`, FS_MIB);
          mkfs(type, device.device);
          attach(device);
          expect((await box.run("data-volume.sh")).code).toBe(0);
          expect(fsBytes()).toBeLessThanOrEqual(FS_MIB * MiB);
          device.grow(2 * FS_MIB); // as EBS does: the device grows under the mounted filesystem
          await expectGrown(device, type);
        });
      }

      it("a grow that fails is a warning: the volume is mounted and the node keeps the space it had", async () => {
        const device = volume("grow-fails", FS_MIB);
        await kitVolume(device);
        device.grow(2 * FS_MIB);
        const replacement = freshServer();
        writeFileSync(replacement.at("test-stubs/resize2fs"), "#!/bin/sh\necho 'resize2fs: Permission denied to resize filesystem' >&2\nexit 1\n", { mode: 0o755 });
        attach(device, replacement);
        const result = await replacement.run("data-volume.sh");
        expect(result.code).toBe(0);
        expect(result.stderr).toMatch(/growing the ext4 filesystem on \S+ online from 512 to 1024 MiB/);
        expect(result.stderr).toMatch(/WARNING: could not grow the ext4 filesystem/);
        expect(mountedFrom(replacement)).toBe(device.device);
        expect(readFileSync(replacement.at(`${DATA_MOUNT}/${CHAIN_FILE}`), "utf8")).toBe("the chain\n");
      });
    });

    // The kernel asks CAP_SYS_RESOURCE of an online ext4 resize (fs/ext4/resize.c, ext4_resize_begin),
    // even from root; a confined root without it cannot run these (EC2's root has it).
    describeWith({ root: true, capabilities: ["CAP_SYS_RESOURCE"], provenElsewhere: "npm run e2e (the guests' root holds every capability)" }, "the kit's ext4 volume that grew is grown online", () => {
      it("while mounted", async () => {
        const device = volume("grow-ext4", FS_MIB);
        attach(device);
        expect((await box.run("data-volume.sh")).code).toBe(0);
        device.grow(2 * FS_MIB);
        await expectGrown(device, "ext4");
      });

      it("when it grew while no server had it mounted: after the replaced server mounts it", async () => {
        const device = volume("grow-replaced", FS_MIB);
        await kitVolume(device);
        device.grow(2 * FS_MIB);
        const replacement = freshServer();
        attach(device, replacement);
        await expectGrown(device, "ext4", replacement);
        expect(readFileSync(replacement.at(`${DATA_MOUNT}/${CHAIN_FILE}`), "utf8")).toBe("the chain\n");
      });
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
