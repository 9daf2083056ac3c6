/**
 * One pool host as a QEMU guest (TCG, 1 vCPU), booted the AWS way: a fresh copy of the cached image (the
 * AMI), the kit's own gzipped user data and the instance's metadata given to cloud-init through NoCloud
 * seed files written into that copy (`ds=nocloud`; EC2 hands the same to cloud-init through its own
 * datasource), and a data disk that outlives the guest (the EBS volume). An operator's own server boots
 * the same image with its provider's first-boot settings instead (e2e/backends.ts).
 *
 * The data disk is a virtio disk whose serial is the volume id without its dash, the part of an EBS NVMe
 * device's serial udev names it by; the image's udev rule (e2e/image/build.sh) gives it the EC2 name
 * /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol…, which the kit's data-volume.sh looks for. Virtio
 * rather than QEMU's NVMe controller: QEMU 7.2 cannot give an NVMe controller the EBS model name, and
 * virtio-blk takes a live `block_resize` (the "volume grown" check).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";
import type { GuestImage } from "./image";
import { must, VPC_ROUTER, type Wire } from "./network";

export interface GuestSpec {
  /** The model's host name (core, relay-1, …). */
  readonly name: string;
  /** `<stack>-<host>`: the system host name cloud-init sets from the user data. */
  readonly hostname: string;
  readonly privateIp: string;
  readonly ipv6: string;
  readonly mac: string;
  readonly tap: string;
  /** Guest memory (an EC2 instance type's, scaled down; an own server's, as declared). */
  readonly memoryMiB: number;
  /**
   * The data disk's serial: an EBS volume id without its dash, or an own server's disk serial; udev names
   * a virtio disk /dev/disk/by-id/virtio-<serial> (and the image's rule adds the EBS name for vol… serials).
   */
  readonly diskSerial: string;
  readonly dataDiskGiB: number;
}

/** The NoCloud seed of one server: what EC2 (or the operator's provider) would hand cloud-init. */
export interface Seed {
  readonly instanceId: string;
  /** The user data as the server receives it (on AWS the kit's gzipped #cloud-config). */
  readonly userData: Buffer;
  /** SSH keys for the image's default user (EC2: the key pair, served in the instance metadata). */
  readonly publicKeys: readonly string[];
}

function networkConfig(spec: GuestSpec): string {
  // The VPC's /16 on the link and its router as the default route, as an EC2 instance gets them by DHCP.
  return [
    "version: 2",
    "ethernets:",
    "  eth0:",
    "    match:",
    `      macaddress: "${spec.mac}"`,
    "    set-name: eth0",
    `    addresses: ["${spec.privateIp}/16", "${spec.ipv6}/64"]`,
    `    gateway4: ${VPC_ROUTER}`,
    "",
  ].join("\n");
}

function metaData(spec: GuestSpec, seed: Seed): string {
  const keys = seed.publicKeys.length === 0 ? [] : ["public-keys:", ...seed.publicKeys.map((k) => `  - ${k}`)];
  return [`instance-id: ${seed.instanceId}`, `local-hostname: ${spec.hostname}`, ...keys, ""].join("\n");
}

interface QmpReply {
  readonly return?: unknown;
  readonly error?: { readonly desc: string };
  readonly event?: string;
}

export class Guest {
  readonly dir: string;
  private process: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** When QEMU was started for the current server. */
  bootedAt = 0;
  /** Incremented for every new server (root image) on this host. */
  generation = 0;

  constructor(readonly spec: GuestSpec, private readonly image: GuestImage, private readonly wire: Wire, runDir: string) {
    this.dir = path.join(runDir, spec.name);
    mkdirSync(this.dir, { recursive: true });
  }

  get rootImage(): string {
    return path.join(this.dir, `root-${this.generation}.img`);
  }

  get dataImage(): string {
    return path.join(this.dir, "data.img");
  }

  get consoleLog(): string {
    return path.join(this.dir, `console-${this.generation}.log`);
  }

  private get qmpSocket(): string {
    return path.join(this.dir, "qmp.sock");
  }

  /** A new server: a fresh root disk from the image with this seed; the data disk is created once. */
  async prepare(seed: Seed): Promise<void> {
    this.generation += 1;
    // Sparse: the image is 3 GiB of which about 1 GiB is used.
    await must(["cp", "--sparse=always", this.image.rootImage, this.rootImage]);
    const seedDir = path.join(this.dir, `seed-${this.generation}`);
    mkdirSync(seedDir, { recursive: true, mode: 0o700 });
    // Mode 0600: the user data holds the server's private host key.
    writeFileSync(path.join(seedDir, "user-data"), seed.userData, { mode: 0o600 });
    writeFileSync(path.join(seedDir, "meta-data"), metaData(this.spec, seed), { mode: 0o600 });
    writeFileSync(path.join(seedDir, "network-config"), networkConfig(this.spec), { mode: 0o600 });
    const commands = ["cd /var/lib/cloud/seed/nocloud", ...["user-data", "meta-data", "network-config"].map((f) => `write ${path.join(seedDir, f)} ${f}`)];
    writeFileSync(path.join(seedDir, "debugfs.cmds"), `${commands.join("\n")}\n`);
    await must(["debugfs", "-w", "-f", path.join(seedDir, "debugfs.cmds"), this.rootImage]);
    if (!existsSync(this.dataImage)) {
      const fd = openSync(this.dataImage, "w");
      ftruncateSync(fd, this.spec.dataDiskGiB * 2 ** 30);
      closeSync(fd);
    }
  }

  start(): void {
    rmSync(this.qmpSocket, { force: true });
    const args = [
      "netns", "exec", this.wire.ns("wire"),
      "qemu-system-x86_64", "-accel", "tcg", "-m", String(this.spec.memoryMiB), "-smp", "1", "-display", "none", "-no-reboot",
      "-name", this.spec.name,
      "-kernel", this.image.kernel, "-initrd", this.image.initrd,
      "-append", "root=LABEL=root rw console=ttyS0 ds=nocloud",
      "-drive", `file=${this.rootImage},format=raw,if=none,id=root`, "-device", "virtio-blk-pci,drive=root",
      "-drive", `file=${this.dataImage},format=raw,if=none,id=data`,
      "-device", `virtio-blk-pci,drive=data,serial=${this.spec.diskSerial}`,
      "-netdev", `tap,id=n0,ifname=${this.spec.tap},script=no,downscript=no`,
      "-device", `virtio-net-pci,netdev=n0,mac=${this.spec.mac}`,
      "-serial", `file:${this.consoleLog}`,
      "-qmp", `unix:${this.qmpSocket},server=on,wait=off`,
    ];
    const child = spawn("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    this.exited = new Promise((resolve) =>
      child.on("exit", (code) => {
        if (code !== 0 && stderr.trim()) process.stderr.write(`${this.spec.name}: qemu: ${stderr.trim()}\n`);
        resolve(code);
      }),
    );
    this.process = child;
    this.bootedAt = Date.now();
  }

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** One QMP command (after the capabilities handshake); resolves with its `return`. */
  async qmp(execute: string, args?: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.qmpSocket);
      let buffer = "";
      let stage = 0;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`${this.spec.name}: QMP ${execute} timed out`));
      }, 30_000);
      socket.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on("data", (data: Buffer) => {
        buffer += data.toString();
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (!line) continue;
          const message = JSON.parse(line) as QmpReply;
          if (message.event) continue;
          if (stage === 0) {
            stage = 1;
            socket.write(`${JSON.stringify({ execute: "qmp_capabilities" })}\n`);
          } else if (stage === 1) {
            stage = 2;
            socket.write(`${JSON.stringify({ execute, ...(args ? { arguments: args } : {}) })}\n`);
          } else {
            clearTimeout(timer);
            socket.end();
            if (message.error) reject(new Error(`${this.spec.name}: QMP ${execute}: ${message.error.desc}`));
            else resolve(message.return);
          }
        }
      });
    });
  }

  /** ACPI power button (EC2 terminate: the OS shuts down), then wait; killed if it does not stop in time. */
  async powerOff(timeoutMs: number): Promise<"clean" | "killed"> {
    if (!this.running) return "clean";
    await this.qmp("system_powerdown").catch(() => undefined);
    const stopped = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
    if (stopped) return "clean";
    this.kill();
    await this.exited;
    return "killed";
  }

  kill(): void {
    if (this.running) this.process?.kill("SIGKILL");
  }

  /** Removes this host's disk images (every generation's root and the data disk). */
  removeDisks(): void {
    for (let g = 1; g <= this.generation; g++) rmSync(path.join(this.dir, `root-${g}.img`), { force: true });
    rmSync(this.dataImage, { force: true });
  }

  async waitExit(): Promise<void> {
    await this.exited;
  }
}
