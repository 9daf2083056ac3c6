/**
 * The proxy, for real: the rendered squid configuration runs in a relay's network namespace as the
 * unprivileged `proxy` user (as its unit runs it), and clients in other namespaces ask it for tunnels.
 * A stand-in aggregator (plain TCP on 443, which says which address it sees and echoes) answers for
 * the aggregator's name, resolved through the relay's /etc/hosts (`ip netns exec` mounts
 * /etc/netns/<namespace>/hosts there); another stand-in answers for other names.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { aggregatorDestination } from "../../../components/features/mithril-signer/destinations";
import { RELAY_PROXY_PORT } from "../../../components/features/mithril-signer/input";
import { renderSquidConfig } from "../../../components/features/mithril-signer/squid-conf";
import { NetnsLab } from "../../helpers/netns";
import { describeWith } from "../../helpers/requirements";
import { signerInput } from "./input";

const AGGREGATOR_IP = "203.0.113.10";
const OTHER_IP = "203.0.113.20";
const OUTSIDER_IP = "198.51.100.7";

/** Listens on the given ports; says `peer <address>` to every connection, then echoes. */
const STAND_IN = String.raw`
const net = require("net");
const ports = process.argv.slice(1).map(Number);
let listening = 0;
for (const port of ports) {
  net.createServer((s) => { s.on("error", () => {}); s.write("peer " + s.remoteAddress.replace(/^::ffff:/, "") + "\n"); s.pipe(s); })
    .listen({ port, host: "0.0.0.0" }, () => { if (++listening === ports.length) process.stdout.write("ready\n"); });
}
`;

/** Sends one request to the proxy; on a 200 for CONNECT, reads the stand-in's greeting and an echo through the tunnel. */
const CLIENT = String.raw`
const net = require("net");
const [host, port, method, target] = process.argv.slice(1);
const out = {};
let buffer = "";
let tunnel = false;
const socket = net.connect({ host, port: Number(port) });
const done = () => { process.stdout.write(JSON.stringify(out)); socket.destroy(); process.exit(0); };
setTimeout(() => { out.timeout = true; done(); }, 8000);
socket.on("error", (e) => { out.error = e.code; done(); });
socket.on("close", done);
socket.on("connect", () => {
  socket.write(method === "CONNECT"
    ? "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n"
    : method + " " + target + " HTTP/1.1\r\nHost: " + new URL(target).host + "\r\nConnection: close\r\n\r\n");
});
socket.on("data", (d) => {
  buffer += d;
  if (!tunnel) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    out.status = Number(buffer.split(" ")[1]);
    buffer = buffer.slice(end + 4);
    if (out.status !== 200 || method !== "CONNECT") return done();
    tunnel = true;
    socket.write("ping\n");
  }
  const lines = buffer.split("\n");
  if (lines.length >= 3) { out.greeting = lines[0]; out.echo = lines[1]; done(); }
});
`;

interface Answer {
  readonly status?: number;
  readonly greeting?: string;
  readonly echo?: string;
  readonly error?: string;
  readonly timeout?: boolean;
}

describeWith({ tools: ["ip", "squid", "setpriv"], root: true }, "the proxy in network namespaces", () => {
  const { model, input } = signerInput("preprod");
  const core = model.core;
  const [relay1, relay2] = model.relays;
  const aggregator = aggregatorDestination(input.network);
  const lab = new NetnsLab("mithril");
  const children: ChildProcess[] = [];
  let etcNetns: string;
  let confDir: string;
  let squidLog = "";

  /** Starts a long-running process in a host's namespace; resolves once its output matches `ready`. */
  function start(host: string, argv: readonly string[], ready: RegExp, onOutput: (text: string) => void = () => {}): Promise<ChildProcess> {
    const child = spawn("ip", ["netns", "exec", lab.namespace(host), ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${argv[0]} in ${host} did not get ready: ${squidLog}`)), 15000);
      const seen = (d: Buffer) => {
        onOutput(d.toString());
        if (ready.test(d.toString())) {
          clearTimeout(timer);
          resolve(child);
        }
      };
      child.stdout.on("data", seen);
      child.stderr.on("data", seen);
      child.on("exit", (code) => reject(new Error(`${argv[0]} in ${host} exited (${String(code)}): ${squidLog}`)));
    });
  }

  async function ask(from: string, method: string, target: string, proxy = relay1!.privateIp): Promise<Answer> {
    const stdout = await lab.must(from, [process.execPath, "-e", CLIENT, proxy, String(RELAY_PROXY_PORT), method, target]);
    return JSON.parse(stdout) as Answer;
  }

  beforeAll(async () => {
    await lab.start([
      { name: "core", ipv4: core.privateIp },
      { name: "relay-1", ipv4: relay1!.privateIp },
      { name: "relay-2", ipv4: relay2!.privateIp },
      { name: "outsider", ipv4: OUTSIDER_IP },
      { name: "aggregator", ipv4: AGGREGATOR_IP },
      { name: "other", ipv4: OTHER_IP },
    ]);
    // The relay's names: the aggregator, a sibling host of the domain the Mithril docs allow, another host.
    etcNetns = path.join("/etc/netns", lab.namespace("relay-1"));
    mkdirSync(etcNetns, { recursive: true });
    writeFileSync(
      path.join(etcNetns, "hosts"),
      `127.0.0.1 localhost\n${AGGREGATOR_IP} ${aggregator.host}\n${OTHER_IP} explorer.mithril.network elsewhere.example.org\n`,
    );
    writeFileSync(path.join(etcNetns, "resolv.conf"), "nameserver 127.0.0.1\n");

    await start("aggregator", [process.execPath, "-e", STAND_IN, "443", "8443", "80"], /ready/);
    await start("other", [process.execPath, "-e", STAND_IN, "443"], /ready/);

    // Readable by the proxy user, as /etc/stakepool/mithril-relay/squid.conf is on a relay.
    confDir = mkdtempSync(path.join(os.tmpdir(), "stakepool-squid-lab-"));
    chmodSync(confDir, 0o755);
    const conf = path.join(confDir, "squid.conf");
    writeFileSync(conf, renderSquidConfig(input, relay1!.privateIp), { mode: 0o644 });
    await start(
      "relay-1",
      ["setpriv", "--reuid=proxy", "--regid=proxy", "--clear-groups", "squid", "-N", "-d", "1", "-f", conf],
      /Accepting HTTP Socket connections/,
      (text) => (squidLog += text),
    );
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    if (confDir) rmSync(confDir, { recursive: true, force: true });
    if (etcNetns) rmSync(etcNetns, { recursive: true, force: true });
    await lab.destroy();
  });

  it("lets the core tunnel to the aggregator's host on 443; the aggregator sees the relay, never the core", async () => {
    const answer = await ask("core", "CONNECT", `${aggregator.host}:443`);
    expect(answer).toEqual({ status: 200, greeting: `peer ${relay1!.privateIp}`, echo: "ping" });
  });

  it("refuses the core any other host: a sibling in the domain the docs allow, another name, the aggregator's address", async () => {
    for (const target of ["explorer.mithril.network:443", "elsewhere.example.org:443", `${AGGREGATOR_IP}:443`]) {
      expect(await ask("core", "CONNECT", target), target).toEqual({ status: 403 });
    }
  });

  it("refuses the core any other port of the aggregator's host, and anything but CONNECT", async () => {
    for (const target of [`${aggregator.host}:8443`, `${aggregator.host}:80`]) expect(await ask("core", "CONNECT", target), target).toEqual({ status: 403 });
    for (const target of [`http://${aggregator.host}:443/aggregator`, `http://${aggregator.host}/aggregator`]) {
      expect(await ask("core", "GET", target), target).toEqual({ status: 403 });
    }
  });

  it("refuses every other address: another relay, an outsider", async () => {
    for (const from of ["relay-2", "outsider"]) expect(await ask(from, "CONNECT", `${aggregator.host}:443`), from).toEqual({ status: 403 });
  });

  it("listens on the relay's private address only", async () => {
    const agent = await lab.agent("relay-1");
    const [loopback] = await agent.probe([{ address: "127.0.0.1", port: RELAY_PROXY_PORT }], 2000);
    expect(loopback!.outcome).toBe("refused");
  });

  it("ran unprivileged and wrote nothing it was not told to (its messages went to stderr)", () => {
    expect(squidLog).toMatch(/Accepting HTTP Socket connections at conn\d+ local=[\d.]+:3132/);
    expect(squidLog).not.toMatch(/FATAL|ERROR/);
  });
});
