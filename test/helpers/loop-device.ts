/**
 * Loop devices for tests of disk logic (needs root and losetup): a sparse file in a temporary folder
 * attached as a block device. Always detach in afterAll; detach also unmounts what the test mounted.
 */
import { execFileSync } from "node:child_process";
import { closeSync, openSync, ftruncateSync } from "node:fs";
import path from "node:path";

export interface LoopDevice {
  /** e.g. /dev/loop3 */
  readonly device: string;
  /** The backing file. */
  readonly file: string;
  /** Enlarges the backing file and tells the kernel (`losetup --set-capacity`), as EBS grows a volume in place. */
  grow(sizeMiB: number): void;
  /** Unmounts every mount of the device, then detaches it. Safe to call twice. */
  detach(): void;
}

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** Mount points of a device, deepest first. */
export function mountsOf(device: string): string[] {
  try {
    return run("findmnt", ["-n", "-o", "TARGET", "--source", device]).split("\n").filter(Boolean).sort().reverse();
  } catch {
    return [];
  }
}

function truncateTo(file: string, flags: "w" | "r+", sizeMiB: number): void {
  const fd = openSync(file, flags);
  try {
    ftruncateSync(fd, sizeMiB * 1024 * 1024);
  } finally {
    closeSync(fd);
  }
}

/** Attaches a blank (all-zero, sparse) device of `sizeMiB` backed by a file in `dir`. */
export function attachLoopDevice(dir: string, name: string, sizeMiB: number): LoopDevice {
  const file = path.join(dir, `${name}.img`);
  truncateTo(file, "w", sizeMiB);
  const device = run("losetup", ["--find", "--show", file]);
  let attached = true;
  return {
    device,
    file,
    grow(newSizeMiB) {
      truncateTo(file, "r+", newSizeMiB);
      run("losetup", ["--set-capacity", device]);
    },
    detach() {
      if (!attached) return;
      for (const target of mountsOf(device)) run("umount", [target]);
      run("losetup", ["--detach", device]);
      attached = false;
    },
  };
}
