/**
 * The pool in a box: the wire, the cloud's services, one guest per host of the pool, the operator's SSH,
 * and the deployment state between runs (what each command last ran with), like a Pulumi stack's.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { planDeployment } from "../components/deployment/deployment";
import { renderBootstrap, type HostKeyPair } from "../components/backends/aws/bootstrap";
import { DATA_VOLUME_TAG } from "../components/backends/aws/tags";
import { adminTags } from "../components/firewall/admin-sync";
import type { PoolPlan } from "../components/program/load";
import { hostname } from "../components/model/pool";
import { applySteps, planSteps, type PlannedStep, type Rewrite, type StepRun } from "./deploy";
import { Guest, type GuestSpec } from "./guest";
import type { GuestImage } from "./image";
import { IMDS_ADDRESS, must, RELEASES_ADDRESS, ULA_PREFIX, Wire, type CommandResult } from "./network";
import { loadBoxPool, type PoolInputs } from "./pool";
import type { ServicesState } from "./services";
import { Ssh } from "./ssh";

const ROOT = path.resolve(__dirname, "..");

export interface NodeState {
  readonly active: string;
  readonly setup: string;
  readonly mainPid: number;
  readonly restarts: number;
  /** SIGHUPs the running node handled (this boot's journal). */
  readonly sighups: number;
  /** The release `current` points at. */
  readonly release: string;
  /** When systemd last started the node (the guest's clock, monotonic µs since its boot). */
  readonly startedMonotonicUs: number;
}

async function keyPair(file: string, comment: string): Promise<HostKeyPair> {
  await must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
  const [type, blob] = readFileSync(`${file}.pub`, "utf8").trim().split(/\s+/);
  // As @pulumi/tls gives it (publicKeyOpenssh, trimmed by components/host/host.ts): type and key, no comment.
  return { privateKey: readFileSync(file, "utf8"), publicKey: `${type} ${blob}` };
}

function instanceId(): string {
  return `i-0e2e${randomBytes(7).toString("hex").slice(0, 13)}`;
}

export class Box {
  readonly wire = new Wire();
  readonly guests = new Map<string, Guest>();
  readonly ssh: Ssh;
  readonly serverIds = new Map<string, string>();
  private readonly hostKeys = new Map<string, HostKeyPair>();
  private digests = new Map<string, string>();
  private services: ChildProcess | undefined;
  private stateFile: string;
  private releasesDir = "";
  pool: PoolPlan;
  inputs: PoolInputs;

  private constructor(
    readonly dir: string,
    private readonly image: GuestImage,
    private readonly adminKey: HostKeyPair,
    private readonly now: Date,
    inputs: Omit<PoolInputs, "adminKey">,
    private readonly log: (line: string) => void,
  ) {
    this.inputs = { ...inputs, adminKey: `${adminKey.publicKey} operator@e2e` };
    this.pool = loadBoxPool(this.inputs, now);
    this.ssh = new Ssh(this.wire, dir, path.join(dir, "operator"));
    this.stateFile = path.join(dir, "services.json");
  }

  static async create(dir: string, image: GuestImage, now: Date, inputs: Omit<PoolInputs, "adminKey">, releasesDir: string, log: (line: string) => void): Promise<Box> {
    const adminKey = await keyPair(path.join(dir, "operator"), "operator@e2e");
    const box = new Box(dir, image, adminKey, now, inputs, log);
    const { model } = box.pool;
    model.hosts.forEach((host, index) => {
      const spec: GuestSpec = {
        name: host.name,
        hostname: hostname(model, host),
        privateIp: host.privateIp,
        ipv6: `${ULA_PREFIX}${(16 + index).toString(16)}`,
        mac: `52:54:00:e2:e0:${(16 + index).toString(16)}`,
        tap: `tap-${host.name}`,
        volumeId: `vol-0e2e${randomBytes(7).toString("hex").slice(0, 13)}`,
        // The size the kit gives the volume (a sparse file, so it costs the machine what is written): the
        // setup waits for a volume smaller than DATA_VOLUME_GIB to grow, as an EBS volume just enlarged does.
        dataDiskGiB: host.dataDiskGiB,
      };
      box.guests.set(host.name, new Guest(spec, image, box.wire, dir));
    });
    for (const host of model.hosts) box.hostKeys.set(host.name, await keyPair(path.join(dir, `${host.name}_host_key`), ""));
    try {
      await box.wire.start([...box.guests.values()].map((g) => g.spec.tap));
      box.releasesDir = releasesDir;
      box.writeServicesState();
      await box.startServices();
    } catch (error) {
      await box.teardown();
      throw error;
    }
    const jump = model.relays[0]!;
    box.ssh.configure(
      model.hosts.map((host) => ({
        name: host.name,
        address: host.privateIp,
        hostKey: box.hostKeys.get(host.name)!.publicKey,
        ...(host.role === "core" ? { via: jump.privateIp } : {}),
      })),
    );
    return box;
  }

  get guestList(): Guest[] {
    return [...this.guests.values()];
  }

  guest(name: string): Guest {
    const guest = this.guests.get(name);
    if (!guest) throw new Error(`no guest ${name}`);
    return guest;
  }

  /**
   * The instances' tags as `pulumi up` leaves them (components/backends/aws/host.ts; the pool's own tags
   * aside): a relay carries the admin networks, which its firewall copies (admin-sync). A tag change is an
   * in-place update that lands before any delivery, so a deployment rewrites them first.
   */
  private writeServicesState(): void {
    const tags: Record<string, Record<string, string>> = {};
    for (const guest of this.guests.values()) {
      const host = this.pool.model.hosts.find((h) => h.name === guest.spec.name)!;
      tags[guest.spec.privateIp] = {
        "stakepool:host": host.name,
        "stakepool:role": host.role,
        ...(host.adminSync ? adminTags(this.pool.model) : {}),
        [DATA_VOLUME_TAG]: guest.spec.volumeId,
      };
    }
    const state: ServicesState = { tags, releasesDir: this.releasesDir, log: path.join(this.dir, "services.log") };
    writeFileSync(this.stateFile, JSON.stringify(state, null, 2));
  }

  private async startServices(): Promise<void> {
    const child = spawn("ip", ["netns", "exec", this.wire.ns("gw"), process.execPath, "--import", "tsx", path.join(__dirname, "services.ts"), this.stateFile], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.services = child;
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the services did not start: ${stderr}`)), 60_000);
      createInterface({ input: child.stdout }).once("line", () => {
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code) => reject(new Error(`the services exited (${String(code)}): ${stderr}`)));
    });
    this.log(`services: IMDSv2 at ${IMDS_ADDRESS}, releases at http://${RELEASES_ADDRESS} (log: ${path.join(this.dir, "services.log")})`);
  }

  /** A new server for a host (first boot, or a replacement): new instance id and root disk, same host key and data disk. */
  async boot(name: string): Promise<void> {
    const guest = this.guest(name);
    const host = this.pool.model.hosts.find((h) => h.name === name)!;
    const id = instanceId();
    this.serverIds.set(name, id);
    await guest.prepare({ instanceId: id, cloudConfig: renderBootstrap(this.pool.model, host, this.hostKeys.get(name)!), adminKey: this.inputs.adminKey });
    guest.start();
    this.log(`${name}: server ${id} booting (root ${path.basename(guest.rootImage)}, data ${guest.spec.volumeId})`);
  }

  /** Loads the pool with new inputs (as a changed stack config), plans it and runs what changed. */
  async deploy(changes: Partial<PoolInputs> = {}, showRewrites?: (rewrites: readonly Rewrite[]) => void): Promise<{ runs: StepRun[]; rewrites: Rewrite[] }> {
    this.inputs = { ...this.inputs, ...changes };
    this.pool = loadBoxPool(this.inputs, this.now);
    this.writeServicesState();
    const { steps, rewrites } = planSteps(planDeployment(this.pool), this.serverIds, `http://${RELEASES_ADDRESS}`);
    showRewrites?.(rewrites);
    const execute = (step: PlannedStep) =>
      this.ssh.run(step.host, step.create, {
        stdin: step.stdin,
        timeoutMs: 900_000,
        redial: (attempt, why) => this.log(`  ${step.key}: dial ${attempt} failed (${why}); dialling again, as pulumi-command does`),
      });
    const { runs, digests } = await applySteps(steps, this.digests, execute, this.log);
    this.digests = digests;
    return { runs, rewrites };
  }

  /** Runs a root shell script on a host, over SSH. */
  sh(name: string, script: string, timeoutMs = 120_000): Promise<CommandResult> {
    return this.ssh.sudo(name, script, timeoutMs);
  }

  async mustSh(name: string, script: string, timeoutMs = 120_000): Promise<string> {
    const result = await this.sh(name, script, timeoutMs);
    if (result.code !== 0) throw new Error(`${name}: script failed (${result.code}): ${(result.stderr || result.stdout).trim().split("\n").slice(-5).join(" | ")}`);
    return result.stdout;
  }

  async nodeState(name: string): Promise<NodeState> {
    const out = await this.mustSh(
      name,
      [
        "systemctl show -p ActiveState --value cardano-node",
        "systemctl show -p ActiveState --value stakepool-node-setup",
        "systemctl show -p MainPID --value cardano-node",
        "systemctl show -p NRestarts --value cardano-node",
        "journalctl -b -u cardano-node -o cat --no-pager | grep -c 'SIGHUP #[0-9]* handled' || true",
        "readlink /opt/cardano/current || echo none",
        "systemctl show -p ExecMainStartTimestampMonotonic --value cardano-node",
      ].join("\n"),
    );
    const [active, setup, pid, restarts, sighups, release, started] = out.trim().split("\n");
    return {
      active: active ?? "",
      setup: setup ?? "",
      mainPid: Number(pid),
      restarts: Number(restarts),
      sighups: Number(sighups),
      release: release ?? "",
      startedMonotonicUs: Number(started),
    };
  }

  /** Waits until the node runs (active, and the stand-in logged that it started); resolves with the state. */
  async waitNodeRunning(name: string, timeoutMs: number): Promise<NodeState> {
    const deadline = Date.now() + timeoutMs;
    let state: NodeState | undefined;
    while (Date.now() < deadline) {
      state = await this.nodeState(name).catch(() => undefined);
      if (state?.active === "active" && state.mainPid > 0) {
        const started = await this.sh(name, `journalctl -b -u cardano-node -o cat --no-pager | grep -c 'started (pid ${state.mainPid})' || true`);
        if (Number(started.stdout.trim()) > 0) return state;
      }
      await new Promise((r) => setTimeout(r, 5000));
    }
    throw new Error(`${name}: the node is not running after ${timeoutMs / 1000} s (node ${state?.active ?? "?"}, setup ${state?.setup ?? "?"})`);
  }

  /** Saves each running guest's journal of the kit's units and cloud-init, for a failed run. */
  async diagnostics(): Promise<string[]> {
    const saved: string[] = [];
    for (const guest of this.guestList.filter((g) => g.running)) {
      const result = await this.sh(
        guest.spec.name,
        "cloud-init status --long; journalctl -b --no-pager -u cloud-final -u stakepool-node-setup -u cardano-node -u nftables | tail -n 600; journalctl -b --no-pager -u ssh | tail -n 60",
        60_000,
      ).catch((error: Error) => ({ code: 1, stdout: "", stderr: error.message }));
      const file = path.join(guest.dir, `journal-${guest.generation}.txt`);
      writeFileSync(file, result.stdout + result.stderr);
      saved.push(file);
    }
    return saved;
  }

  async teardown(): Promise<void> {
    for (const guest of this.guestList) guest.kill();
    await Promise.all(this.guestList.map((g) => g.waitExit()));
    this.services?.kill("SIGKILL");
    await this.wire.destroy();
  }
}
