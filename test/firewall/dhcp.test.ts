/**
 * DHCPv4 through the host firewall, which has no rule for it, with the real clients: systemd-networkd
 * (Ubuntu's client, on the kit's AWS hosts) and ISC dhclient (Debian's), against a small DHCP server that
 * answers from the subnet's router address as EC2's does, with a 6-second lease so that renewals come
 * every 3 seconds. Each client gets its lease and renews it again and again. The control: without
 * `ct state established` accepted, systemd-networkd's renewal answer (which it reads from a UDP socket,
 * through the input hook) is dropped and the client falls back to rebinding: conntrack is what admits it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { renderNftables } from "../../components/firewall/nftables";
import { NETNS_REQUIREMENTS, NetnsLab } from "../helpers/netns";
import { describeWith } from "../helpers/requirements";
import { ROOT } from "../fixtures/paths";
import { poolModel } from "./model";

const model = poolModel({ relays: 1 });
const core = model.core;
/** The subnet's base + 1: the VPC router, and EC2's DHCP server. */
const ROUTER = core.privateIp.replace(/\.\d+$/, ".1");
const LEASE_SECONDS = 6;
const NETWORKD = "/lib/systemd/systemd-networkd";
const HELPERS = path.join(ROOT, "test/helpers/dhcp");

const lab = new NetnsLab("dhcp");
const running: ChildProcess[] = [];

/** Starts a long-running command in a lab host's namespace; its output collects in `output()`. */
function background(host: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { output: () => string } {
  const child = spawn("ip", ["netns", "exec", lab.namespace(host), ...argv], { stdio: ["ignore", "pipe", "pipe"], env });
  running.push(child);
  let text = "";
  child.stdout.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr.on("data", (d: Buffer) => (text += d.toString()));
  return { output: () => text };
}

async function until(condition: () => boolean, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, `${pattern.flags}g`)) ?? []).length;

/** The core's ruleset, loaded before any client starts; the core holds no address until DHCP gives it one. */
async function prepareCore(ruleset: string): Promise<void> {
  await lab.must("core", ["ip", "addr", "flush", "dev", "eth0"]);
  await lab.must("core", ["ip", "route", "flush", "dev", "eth0"]);
  await lab.loadRuleset("core", ruleset);
}

function startServer(log: string): void {
  background("router", ["python3", path.join(HELPERS, "server.py"), "eth0", ROUTER, core.privateIp, "255.255.255.0", String(LEASE_SECONDS), log]);
}

function startNetworkd(): { output: () => string } {
  return background("core", ["unshare", "-m", "--propagation", "private", "sh", path.join(HELPERS, "networkd-client.sh")], {
    ...process.env,
    SYSTEMD_LOG_LEVEL: "debug",
  });
}

describeWith({ ...NETNS_REQUIREMENTS, tools: [...NETNS_REQUIREMENTS.tools, "python3", "unshare", "dhclient", NETWORKD] }, "DHCP leases through the host firewall", () => {
  const ruleset = renderNftables(model, core);

  beforeAll(async () => {
    await lab.start([
      { name: "router", ipv4: ROUTER },
      { name: "core", ipv4: core.privateIp },
    ]);
  });
  afterEach(async () => {
    for (const child of running.splice(0)) child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
  });
  afterAll(() => lab.destroy());

  it("has no rule for DHCPv4 replies", () => {
    expect(ruleset).not.toMatch(/sport 67|dport 68/);
  });

  it("lets systemd-networkd take its lease and renew it, the renewals' answers admitted as established", async () => {
    await prepareCore(ruleset);
    const log = path.join(lab.dir, "server-networkd.log");
    startServer(log);
    const client = startNetworkd();
    const renewed = () => count(client.output(), /REQUEST \(renewing\)\n[^\n]*Received message from UDP socket/);
    await until(() => renewed() >= 2, 30);
    const output = client.output();
    expect(output).toContain(`DHCPv4 address ${core.privateIp}/24, gateway ${ROUTER} acquired from ${ROUTER}`);
    expect(renewed()).toBeGreaterThanOrEqual(2);
    expect(output).not.toMatch(/rebinding|lease lost/i);
    expect(count(fs.readFileSync(log, "utf8"), new RegExp(`sent 5 to ${core.privateIp.replace(/\./g, "\\.")}`))).toBeGreaterThanOrEqual(2);
    expect(await lab.must("core", ["ip", "-4", "addr", "show", "dev", "eth0"])).toContain(`inet ${core.privateIp}/24`);
  }, 60_000);

  it("lets ISC dhclient take its lease and renew it", async () => {
    await prepareCore(ruleset);
    const events = path.join(lab.dir, "dhclient-events.log");
    const script = path.join(lab.dir, "dhclient-script.sh");
    // dhclient's hook, reduced to setting the address and logging the event: it touches no other file.
    fs.writeFileSync(
      script,
      `#!/bin/sh\necho "$reason $new_ip_address" >> ${events}\ncase "$reason" in\n  PREINIT) ip link set dev "$interface" up ;;\n  BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/24" dev "$interface" ;;\nesac\n`,
      { mode: 0o755 },
    );
    startServer(path.join(lab.dir, "server-dhclient.log"));
    background("core", ["dhclient", "-d", "-4", "-v", "-1", "-cf", "/dev/null", "-sf", script, "-lf", path.join(lab.dir, "leases"), "-pf", path.join(lab.dir, "dhclient.pid"), "eth0"]);
    const read = () => (fs.existsSync(events) ? fs.readFileSync(events, "utf8") : "");
    await until(() => count(read(), /^RENEW /m) >= 2, 30);
    expect(read()).toMatch(new RegExp(`^BOUND ${core.privateIp.replace(/\./g, "\\.")}$`, "m"));
    expect(count(read(), /^RENEW /m)).toBeGreaterThanOrEqual(2);
    expect(read()).not.toMatch(/^(REBIND|EXPIRE|FAIL)/m);
  }, 60_000);

  it("loses systemd-networkd's renewals when established traffic is not accepted (the control)", async () => {
    await prepareCore(ruleset.split("\n").filter((line) => !line.includes("ct state established,related accept")).join("\n"));
    startServer(path.join(lab.dir, "server-control.log"));
    const client = startNetworkd();
    await until(() => /rebinding/.test(client.output()), 30);
    expect(client.output()).toContain("REQUEST (renewing)");
    expect(client.output()).toContain("REQUEST (rebinding)");
  }, 60_000);
});
