/**
 * The operator's SSH, from the admin namespace, with OpenSSH, reaching the pool the way the kit's
 * deliveries do (components/delivery/deliver.ts): as the admin user, relays directly, the core through
 * the first relay (ProxyJump: a direct-tcpip channel through the relay, as pulumi-command's `proxy`
 * dials the target through the proxy's client), and each hop's host key pinned (StrictHostKeyChecking
 * with a known_hosts file holding exactly the key the kit generated for that server; pulumi-command:
 * `ssh.FixedHostKey`).
 *
 * A step runs the way pulumi-command runs `create` (provider/pkg/provider/remote/commandOutputs.go
 * `run`): one new connection, one session, the command string as the exec request (sshd hands it to
 * the user's shell with -c), stdin attached, no terminal; stdout and stderr collected; a non-zero exit
 * fails the step. OpenSSH sends a single command argument unchanged, and -T requests no terminal.
 * A connection that cannot be made is dialled again, as pulumi-command's `dialWithRetry` does
 * (remote/connection.go), up to the kit's dialErrorLimit, each dial bounded by its perDialTimeout
 * (components/delivery/deliver.ts); a command that started and failed is never run again.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { connectionArgs } from "../components/delivery/deliver";
import type { CommandResult, Wire } from "./network";

/** The kit's dial settings for a delivery (the same for both hops). */
const DIAL = (() => {
  const args = connectionArgs({ host: "", hostKey: "", user: "", port: 22 });
  return { limit: Number(args.dialErrorLimit), timeoutSeconds: Number(args.perDialTimeout) };
})();

export interface RunOptions {
  readonly stdin?: string;
  readonly timeoutMs?: number;
  /** A delivery: dial again as pulumi-command does when the connection cannot be made; told of each retry. */
  readonly redial?: (attempt: number, why: string) => void;
  /** A new connection even for the operator's checks (whether a host can be reached at all). */
  readonly fresh?: boolean;
}

export interface SshHost {
  readonly name: string;
  readonly address: string;
  /** `ssh-ed25519 AAAA…` */
  readonly hostKey: string;
  /** The login user and SSH port (the AWS backend: ubuntu and 22; own servers: as `stakepool:servers` says). */
  readonly user: string;
  readonly port: number;
  /** The host to jump through (the core: the first relay), by name. */
  readonly via?: string;
}

export class Ssh {
  private readonly config: string;
  private readonly hosts = new Map<string, SshHost>();
  /** Names the shared connections; a new generation never reuses an older one's (see freshConnections). */
  private generation = 0;

  constructor(private readonly wire: Wire, private readonly dir: string, private readonly identity: string) {
    this.config = path.join(dir, "ssh_config");
  }

  /** Writes the client configuration and the pinned host keys. */
  configure(hosts: readonly SshHost[]): void {
    for (const host of hosts) this.hosts.set(host.name, host);
    const knownHosts = path.join(this.dir, "known_hosts");
    // OpenSSH names a host on another port than 22 as [address]:port in known_hosts.
    const known = (h: SshHost) => (h.port === 22 ? h.address : `[${h.address}]:${h.port}`);
    writeFileSync(knownHosts, hosts.map((h) => `${known(h)} ${h.hostKey}\n`).join(""));
    const byName = new Map(hosts.map((h) => [h.name, h]));
    const jump = (name: string) => {
      const via = byName.get(name);
      if (!via) throw new Error(`no SSH host ${name} to jump through`);
      return `${via.user}@${via.address}:${via.port}`;
    };
    const lines = [
      "# The operator's SSH client for the e2e pool (written by e2e/ssh.ts).",
      ...hosts.flatMap((h) => [`Host ${h.address}`, `  User ${h.user}`, `  Port ${h.port}`, ...(h.via === undefined ? [] : [`  ProxyJump ${jump(h.via)}`])]),
      "Host *",
      `  IdentityFile ${this.identity}`,
      "  IdentitiesOnly yes",
      "  IdentityAgent none",
      "  StrictHostKeyChecking yes",
      `  UserKnownHostsFile ${knownHosts}`,
      "  GlobalKnownHostsFile /dev/null",
      "  HostKeyAlgorithms ssh-ed25519",
      "  BatchMode yes",
      // pulumi-command's perDialTimeout; OpenSSH also bounds the banner exchange with it (a stalled jump).
      `  ConnectTimeout ${DIAL.timeoutSeconds}`,
      "  ServerAliveInterval 10",
      "  ServerAliveCountMax 6",
      "  LogLevel ERROR",
      "",
    ];
    writeFileSync(this.config, lines.join("\n"));
  }

  private address(name: string): string {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no SSH host ${name}`);
    return host.address;
  }

  /**
   * Runs `command` on a host as a fresh connection with `stdin` attached. A dial that fails (no
   * authenticated connection: the command never started) is tried again: for a delivery (`redial`,
   * a pulumi-command `create`) up to the kit's dialErrorLimit, each dial bounded by its perDialTimeout;
   * for the operator's own checks a few times, with more patience (a guest under TCG can take longer
   * than 10 s to answer).
   */
  async run(name: string, command: string, options: RunOptions = {}): Promise<CommandResult> {
    const log = path.join(this.dir, `ssh-${process.hrtime.bigint()}.log`);
    const attempts = options.redial ? DIAL.limit : 5;
    // -E with LogLevel VERBOSE: ssh's own messages go to the log (not the command's stderr), including
    // "Authenticated to", which tells a failed dial from a command that ran. (Not -v: ProxyJump would
    // pass it on to the jump's ssh, whose messages would then reach stderr.)
    const patience = options.redial ? [] : ["-o", "ConnectTimeout=30"];
    // The operator's checks share one connection per host (OpenSSH multiplexing): under TCG each new
    // handshake costs the guest, and the jump, a second or two of CPU. Deliveries never share: each is one
    // new connection, as pulumi-command makes it; nor does a check of whether a host can be reached.
    const shared = options.redial || options.fresh ? [] : ["-o", "ControlMaster=auto", "-o", `ControlPath=${this.controlPath()}`, "-o", "ControlPersist=30"];
    try {
      for (let attempt = 1; ; attempt++) {
        rmSync(log, { force: true });
        const argv = ["ssh", "-F", this.config, "-o", "LogLevel=VERBOSE", ...patience, ...shared, "-E", log, "-T", this.address(name), command];
        const result = await this.wire.exec("admin", argv, { input: options.stdin ?? "", timeoutMs: options.timeoutMs ?? 600_000 });
        const trace = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
        const dialled = trace.some((l) => l.startsWith("Authenticated to"));
        if (result.code !== 255 || dialled || attempt >= attempts) {
          return result.code === 255 && !dialled ? { ...result, stderr: `${result.stderr}${trace.slice(-3).join("\n")}` } : result;
        }
        options.redial?.(attempt, trace.slice(-1)[0] ?? "no reason given");
        await new Promise((r) => setTimeout(r, 2000));
      }
    } finally {
      rmSync(log, { force: true });
    }
  }

  private controlPath(): string {
    return path.join(this.dir, `cm-${this.generation}-%C`);
  }

  /**
   * From now on the checks open new shared connections: after a server was replaced or the operator's
   * address changed, an older shared connection must not stand in for reaching the host again.
   */
  freshConnections(): void {
    this.generation++;
  }

  /** Ends every shared connection (their processes outlive the commands by ControlPersist). */
  async closeShared(): Promise<void> {
    await this.wire.exec("admin", ["pkill", "-f", `ControlPath=${path.join(this.dir, "cm-")}`]);
  }

  /** Runs a shell command as root on a host (the operator's checks). */
  sudo(name: string, script: string, timeoutMs = 120_000): Promise<CommandResult> {
    return this.run(name, "sudo -n bash -s", { stdin: script, timeoutMs });
  }

  /**
   * Opens a local forward from the admin's side (`127.0.0.1:<localPort>`) to `<remote>` as the host sees
   * it, on the same route as every other connection (through the jump, host keys pinned): the way the plan
   * tells the operator to reach Grafana. Resolves, once ssh has set the forward up, with its closer.
   */
  async tunnel(name: string, localPort: number, remote: string): Promise<() => void> {
    const argv = ["ip", "netns", "exec", this.wire.ns("admin"), "ssh", "-F", this.config, "-o", "ExitOnForwardFailure=yes", "-o", "ConnectTimeout=30", "-N", "-L", `127.0.0.1:${localPort}:${remote}`, this.address(name)];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const close = () => void child.kill("SIGTERM");
    for (let waited = 0; waited < 60_000; waited += 1000) {
      if (child.exitCode !== null) throw new Error(`the tunnel to ${name} ended (${child.exitCode}): ${stderr.trim()}`);
      const listening = await this.wire.exec("admin", ["sh", "-c", `ss -Htln 'sport = :${localPort}' | grep -q .`]);
      if (listening.code === 0) return close;
      await new Promise((r) => setTimeout(r, 1000));
    }
    close();
    throw new Error(`the tunnel to ${name} did not open within 60 s: ${stderr.trim()}`);
  }

  /** Waits until the host answers SSH with its pinned key; resolves with the seconds waited. */
  async waitUntilReachable(name: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: CommandResult | undefined;
    while (Date.now() < deadline) {
      last = await this.run(name, "true", { timeoutMs: 30_000, fresh: true });
      if (last.code === 0) return;
      await new Promise((r) => setTimeout(r, 3000));
    }
    throw new Error(`${name} did not answer SSH within ${timeoutMs / 1000} s: ${last?.stderr.trim() ?? ""}`);
  }
}
