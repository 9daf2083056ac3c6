/**
 * A throwaway network of Linux network namespaces, for proving firewalls with real packets.
 *
 * Every host of the lab is a namespace with one veth ("eth0") plugged into a bridge that lives in a
 * namespace of its own (the "switch"), so nothing is created in the test machine's own network
 * namespace and nothing can leak out of the lab. Hosts may sit in different subnets on that one
 * bridge: each has a default route straight out of its veth (`ip route add default dev eth0`), so every
 * address is on-link. Namespace names carry a per-run prefix (process id and random bytes), so parallel
 * runs never clash; `destroy()` removes everything the lab created and is safe to call at any point,
 * also after a failed `start()`.
 *
 * Each host gets an agent: a small Node process inside its namespace, driven over stdin/stdout, that
 * listens (echoing what it receives), probes TCP ports with a timeout, and holds connections open.
 */
import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

export interface LabHost {
  /** A short name, e.g. "core", "relay-1", "outsider" (letters, digits, dashes). */
  readonly name: string;
  readonly ipv4: string;
  readonly ipv6?: string;
}

/** open: connected; refused: reset (a listener-less port, or a reject rule); timeout: silently dropped. */
export type ProbeOutcome = "open" | "refused" | "timeout" | `error ${string}`;

export interface ProbeTarget {
  readonly address: string;
  readonly port: number;
}

export interface Probe extends ProbeTarget {
  /** The lab host the connection starts from. */
  readonly from: string;
}

export interface ProbeResult extends Probe {
  readonly outcome: ProbeOutcome;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The agent's source: it runs as `node -e` inside a namespace and speaks JSON lines. */
const AGENT_SOURCE = String.raw`
const net = require("net");
const dgram = require("dgram");
const readline = require("readline");
const conns = new Map();
const datagrams = new Map();
let nextConn = 1;
const reply = (id, body) => process.stdout.write(JSON.stringify({ id, ...body }) + "\n");
function connect(address, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    socket.on("error", () => {});
    const timer = setTimeout(() => { socket.destroy(); resolve({ outcome: "timeout" }); }, timeoutMs);
    socket.once("connect", () => { clearTimeout(timer); resolve({ outcome: "open", socket }); });
    socket.once("error", (e) => {
      clearTimeout(timer);
      resolve({ outcome: e.code === "ECONNREFUSED" ? "refused" : "error " + e.code });
    });
  });
}
function listen(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => { socket.on("error", () => {}); socket.pipe(socket); });
    server.once("error", reject);
    server.listen({ port, host: "::", ipv6Only: false }, resolve);
  });
}
function echo(socket, timeoutMs) {
  return new Promise((resolve) => {
    let got = "";
    const done = (ok) => { clearTimeout(timer); socket.removeListener("data", onData); resolve(ok); };
    const onData = (d) => { got += d; if (got.includes("\n")) done(got === "ping\n"); };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on("data", onData);
    socket.write("ping\n");
  });
}
const ops = {
  async listen(req) { await Promise.all(req.ports.map(listen)); return {}; },
  async probe(req) {
    const results = await Promise.all(req.targets.map(async (t) => {
      const r = await connect(t.address, t.port, req.timeoutMs);
      if (r.socket) r.socket.destroy();
      return { address: t.address, port: t.port, outcome: r.outcome };
    }));
    return { results };
  },
  async open(req) {
    const r = await connect(req.address, req.port, req.timeoutMs);
    if (!r.socket) return { outcome: r.outcome };
    const conn = nextConn++;
    conns.set(conn, r.socket);
    return { outcome: r.outcome, conn };
  },
  async echo(req) {
    const socket = conns.get(req.conn);
    return { ok: socket !== undefined && !socket.destroyed && (await echo(socket, req.timeoutMs)) };
  },
  async udpListen(req) {
    const socket = dgram.createSocket({ type: "udp4" });
    datagrams.set(req.port, []);
    socket.on("message", (msg, from) => datagrams.get(req.port).push(from.address + ":" + from.port + " " + msg));
    await new Promise((resolve) => socket.bind(req.port, resolve));
    return {};
  },
  async udpSend(req) {
    const socket = dgram.createSocket({ type: "udp4" });
    await new Promise((resolve) => socket.bind(req.sourcePort, resolve));
    await new Promise((resolve, reject) => socket.send(req.text, req.port, req.address, (e) => (e ? reject(e) : resolve())));
    socket.close();
    return {};
  },
  async udpReceived(req) { return { received: datagrams.get(req.port) || [] }; },
  async close(req) {
    const socket = conns.get(req.conn);
    conns.delete(req.conn);
    if (socket) await new Promise((resolve) => socket.end(resolve));
    return {};
  },
};
readline.createInterface({ input: process.stdin }).on("line", async (line) => {
  const req = JSON.parse(line);
  try { reply(req.id, await ops[req.op](req)); } catch (e) { reply(req.id, { failure: String(e) }); }
}).on("close", () => process.exit(0));
process.stdout.write(JSON.stringify({ id: 0, ready: true }) + "\n");
`;

interface AgentReply {
  readonly id: number;
  readonly failure?: string;
  readonly [key: string]: unknown;
}

/** The agent of one lab host. */
export class Agent {
  private readonly pending = new Map<number, { resolve: (r: AgentReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private exited: Error | undefined;
  readonly ready: Promise<void>;

  constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly host: string) {
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let markReady: () => void = () => {};
    let failReady: (e: Error) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      const reply = JSON.parse(line) as AgentReply;
      if (reply.id === 0) return markReady();
      this.pending.get(reply.id)?.resolve(reply);
      this.pending.delete(reply.id);
    });
    const fail = (why: string) => {
      this.exited = new Error(`the agent of ${host} ${why}: ${stderr.trim()}`);
      failReady(this.exited);
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    };
    child.on("exit", (code) => fail(`exited (${String(code)})`));
    child.on("error", (error) => fail(`could not start (${error.message})`));
  }

  private async call(op: string, args: Record<string, unknown>): Promise<AgentReply> {
    await this.ready;
    if (this.exited) throw this.exited;
    const id = this.nextId++;
    const reply = await new Promise<AgentReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
    if (reply.failure !== undefined) throw new Error(`${this.host}: ${op} failed: ${reply.failure}`);
    return reply;
  }

  /** Listens on every address (IPv4 and IPv6) on these TCP ports, echoing back what arrives. */
  async listen(ports: readonly number[]): Promise<void> {
    await this.call("listen", { ports });
  }

  /** Tries a TCP connection to each target at once, and closes every one that opens. */
  async probe(targets: readonly ProbeTarget[], timeoutMs: number): Promise<{ address: string; port: number; outcome: ProbeOutcome }[]> {
    const reply = await this.call("probe", { targets, timeoutMs });
    return reply.results as { address: string; port: number; outcome: ProbeOutcome }[];
  }

  /** Opens a connection and keeps it; `conn` identifies it when it opened. */
  async open(target: ProbeTarget, timeoutMs: number): Promise<{ outcome: ProbeOutcome; conn?: number }> {
    const reply = await this.call("open", { ...target, timeoutMs });
    return { outcome: reply.outcome as ProbeOutcome, ...(typeof reply.conn === "number" ? { conn: reply.conn } : {}) };
  }

  /** Is a held connection still alive end to end? (sends a line and waits for its echo) */
  async echo(conn: number, timeoutMs: number): Promise<boolean> {
    return (await this.call("echo", { conn, timeoutMs })).ok === true;
  }

  /** Receives IPv4 UDP datagrams on a port (see udpReceived). */
  async udpListen(port: number): Promise<void> {
    await this.call("udpListen", { port });
  }

  /** Sends one IPv4 UDP datagram from a chosen source port. */
  async udpSend(target: ProbeTarget, sourcePort: number, text: string): Promise<void> {
    await this.call("udpSend", { ...target, sourcePort, text });
  }

  /** What arrived on a listened UDP port so far, as `<source address>:<source port> <text>`. */
  async udpReceived(port: number): Promise<string[]> {
    return (await this.call("udpReceived", { port })).received as string[];
  }

  async close(conn: number): Promise<void> {
    await this.call("close", { conn });
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill("SIGKILL");
  }
}

function run(argv: readonly string[], input?: string, env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(argv[0]!, argv.slice(1), { encoding: "utf8", env: env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function must(argv: readonly string[], input?: string): Promise<string> {
  const result = await run(argv, input);
  if (result.code !== 0) throw new Error(`${argv.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** A lab of namespaces; create it at module level, `start()` in beforeAll, `destroy()` in afterAll. */
export class NetnsLab {
  /** Unique per run: namespaces are named `<prefix>-<host>`. */
  readonly prefix: string;
  private readonly created: string[] = [];
  private readonly agents = new Map<string, Agent>();
  private readonly hosts = new Map<string, LabHost>();
  private workDir: string | undefined;
  private readonly onExit = () => this.destroySync();

  constructor(label: string) {
    this.prefix = `sptest-${process.pid.toString(36)}${randomBytes(3).toString("hex")}-${label}`;
  }

  private get switchNamespace(): string {
    return `${this.prefix}-switch`;
  }

  /** The namespace that plays `host`. */
  namespace(host: string): string {
    if (!this.hosts.has(host)) throw new Error(`no lab host ${host}`);
    return `${this.prefix}-${host}`;
  }

  /** The lab's scratch folder (removed by destroy). */
  get dir(): string {
    this.workDir ??= fs.mkdtempSync(path.join(os.tmpdir(), `${this.prefix}-`));
    return this.workDir;
  }

  private async addNamespace(name: string): Promise<void> {
    this.created.push(name); // first, so that destroy() removes it even if the next step fails
    await must(["ip", "netns", "add", name]);
    await must(["ip", "-n", name, "link", "set", "lo", "up"]);
  }

  async start(hosts: readonly LabHost[]): Promise<void> {
    process.once("exit", this.onExit);
    const sw = this.switchNamespace;
    await this.addNamespace(sw);
    await must(["ip", "-n", sw, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"]);
    await must(["ip", "-n", sw, "link", "set", "br0", "up"]);
    await Promise.all(
      hosts.map(async (host, index) => {
        if (!/^[a-z0-9-]+$/.test(host.name) || this.hosts.has(host.name)) throw new Error(`bad or duplicate lab host ${host.name}`);
        this.hosts.set(host.name, host);
        const ns = this.namespace(host.name);
        const port = `p${index}`;
        await this.addNamespace(ns);
        await must(["ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns", sw]);
        await must(["ip", "-n", sw, "link", "set", port, "master", "br0", "up"]);
        await must(["ip", "-n", ns, "addr", "add", `${host.ipv4}/24`, "dev", "eth0"]);
        // nodad: the address is usable at once (no duplicate address detection on a lab link).
        if (host.ipv6) await must(["ip", "-n", ns, "addr", "add", `${host.ipv6}/64`, "dev", "eth0", "nodad"]);
        await must(["ip", "-n", ns, "link", "set", "eth0", "up"]);
        await must(["ip", "-n", ns, "route", "add", "default", "dev", "eth0"]);
        if (host.ipv6) await must(["ip", "-n", ns, "-6", "route", "add", "default", "dev", "eth0"]);
      }),
    );
  }

  /** Runs a command inside a host's namespace. */
  exec(host: string, argv: readonly string[], input?: string, env?: NodeJS.ProcessEnv): Promise<CommandResult> {
    return run(["ip", "netns", "exec", this.namespace(host), ...argv], input, env);
  }

  /** Runs a command inside a host's namespace and returns its output; throws if it fails. */
  async must(host: string, argv: readonly string[], input?: string): Promise<string> {
    const result = await this.exec(host, argv, input);
    if (result.code !== 0) throw new Error(`${host}: ${argv.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** Loads a ruleset into a host's namespace with `nft -f`, as nftables.service does at boot. */
  async loadRuleset(host: string, ruleset: string): Promise<void> {
    const file = path.join(this.dir, `${host}.nft`);
    fs.writeFileSync(file, ruleset);
    await this.must(host, ["nft", "-f", file]);
  }

  /** The host's agent, started on first use. */
  async agent(host: string): Promise<Agent> {
    let agent = this.agents.get(host);
    if (!agent) {
      const child = spawn("ip", ["netns", "exec", this.namespace(host), process.execPath, "-e", AGENT_SOURCE], { stdio: "pipe" });
      agent = new Agent(child, host);
      this.agents.set(host, agent);
    }
    await agent.ready;
    return agent;
  }

  /** Runs every probe, all at once (each source's probes in its own agent). Results are in input order. */
  async probeAll(probes: readonly Probe[], timeoutMs: number): Promise<ProbeResult[]> {
    const bySource = new Map<string, number[]>();
    probes.forEach((p, i) => bySource.set(p.from, [...(bySource.get(p.from) ?? []), i]));
    const results: ProbeResult[] = new Array<ProbeResult>(probes.length);
    await Promise.all(
      [...bySource.entries()].map(async ([from, indexes]) => {
        const agent = await this.agent(from);
        const outcomes = await agent.probe(indexes.map((i) => ({ address: probes[i]!.address, port: probes[i]!.port })), timeoutMs);
        outcomes.forEach((o, k) => (results[indexes[k]!] = { ...probes[indexes[k]!]!, outcome: o.outcome }));
      }),
    );
    return results;
  }

  /** Stops every agent and removes every namespace and file the lab created. */
  async destroy(): Promise<void> {
    process.removeListener("exit", this.onExit);
    for (const agent of this.agents.values()) agent.stop();
    this.agents.clear();
    // Deleting the switch's namespace deletes the bridge; each host's veth pair goes with its namespace.
    await Promise.all(this.created.splice(0).reverse().map((ns) => run(["ip", "netns", "delete", ns])));
    if (this.workDir) fs.rmSync(this.workDir, { recursive: true, force: true });
    this.workDir = undefined;
  }

  /** Last resort when the process exits without afterAll having run. */
  private destroySync(): void {
    for (const agent of this.agents.values()) agent.stop();
    for (const ns of this.created.splice(0)) {
      try {
        execFileSync("ip", ["netns", "delete", ns], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
    if (this.workDir) fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** Tools and privileges the lab needs (for describeWith). */
export const NETNS_REQUIREMENTS = { tools: ["ip", "nft"], root: true } as const;
