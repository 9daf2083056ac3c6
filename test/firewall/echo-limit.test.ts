/**
 * Ping limits per source, with real echo requests through a real kernel: one address flooding the core
 * gets the burst and then 5 answers a second, while another address pinging at an honest pace at the
 * same time gets every answer; over IPv6 a whole /64 shares one bucket and another /64 does not. The
 * flood keeps one ICMP identifier, as `ping` does, so conntrack files its requests as `established`:
 * the limit must come before `ct state established` to see them at all.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderNftables } from "../../components/firewall/nftables";
import { NETNS_REQUIREMENTS, NetnsLab } from "../helpers/netns";
import { describeWith } from "../helpers/requirements";
import { poolModel } from "./model";

const model = poolModel({ relays: 1 });
const core = model.core;
const CORE_V6 = "2001:db8:100::10";

const lab = new NetnsLab("echo");

/** Pings from a lab host and returns how many answers came back. */
async function ping(from: string, target: string, count: number, intervalSeconds: number): Promise<{ sent: number; received: number }> {
  const started = performance.now();
  const result = await lab.exec(from, ["ping", "-n", "-q", "-c", String(count), "-i", String(intervalSeconds), "-W", "1", target]);
  const summary = /(\d+) packets transmitted, (\d+) received/.exec(result.stdout);
  if (!summary) throw new Error(`ping from ${from} gave no summary: ${result.stdout} ${result.stderr}`);
  elapsed.set(from, (performance.now() - started) / 1000);
  return { sent: Number(summary[1]), received: Number(summary[2]) };
}

/** How long each host's last ping ran, in seconds. */
const elapsed = new Map<string, number>();

/** The most answers a bucket of 5/second, burst 10, gives over the flooder's last ping (and a second of slack). */
const allowance = () => 10 + 5 * (elapsed.get("flooder")! + 1);

describeWith({ ...NETNS_REQUIREMENTS, tools: [...NETNS_REQUIREMENTS.tools, "ping"] }, "ping limits per source", () => {
  beforeAll(async () => {
    await lab.start([
      { name: "core", ipv4: core.privateIp, ipv6: CORE_V6 },
      { name: "flooder", ipv4: "198.51.100.9", ipv6: "2001:db8:b::9" },
      // Same /64 as the flooder: one subscriber's network.
      { name: "neighbour", ipv4: "198.51.100.10", ipv6: "2001:db8:b::10" },
      { name: "other", ipv4: "192.0.2.30", ipv6: "2001:db8:c::30" },
    ]);
    await lab.loadRuleset("core", renderNftables(model, core));
    // Neighbour discovery first, so that no echo request is lost to an unresolved neighbour.
    for (const from of ["flooder", "neighbour", "other"]) {
      await ping(from, core.privateIp, 1, 0.2);
      await ping(from, CORE_V6, 1, 0.2);
    }
    await new Promise((r) => setTimeout(r, 2500)); // every bucket full again
  }, 60_000);
  afterAll(() => lab.destroy());

  it("limits a flood from one IPv4 address, and still answers another address every time", async () => {
    const [flood, honest] = await Promise.all([ping("flooder", core.privateIp, 200, 0.01), ping("other", core.privateIp, 8, 0.25)]);
    process.stdout.write(`ping flood over IPv4: ${flood.received}/${flood.sent} answered in ${elapsed.get("flooder")!.toFixed(1)} s; the other source ${honest.received}/${honest.sent}\n`);
    expect(flood.sent).toBe(200);
    expect(flood.received).toBeGreaterThanOrEqual(10); // the burst
    expect(flood.received).toBeLessThanOrEqual(allowance());
    expect(honest).toEqual({ sent: 8, received: 8 });
  }, 30_000);

  it("limits a flood per IPv6 /64: a neighbour in the same /64 shares it, another /64 is answered every time", async () => {
    await new Promise((r) => setTimeout(r, 2500));
    const [flood, neighbour, honest] = await Promise.all([
      ping("flooder", CORE_V6, 200, 0.01),
      ping("neighbour", CORE_V6, 8, 0.25),
      ping("other", CORE_V6, 8, 0.25),
    ]);
    process.stdout.write(
      `ping flood over IPv6: ${flood.received}/${flood.sent} answered; its /64 neighbour ${neighbour.received}/${neighbour.sent}; another /64 ${honest.received}/${honest.sent}\n`,
    );
    expect(flood.received + neighbour.received).toBeLessThanOrEqual(allowance());
    expect(neighbour.received).toBeLessThan(8);
    expect(honest).toEqual({ sent: 8, received: 8 });
  }, 30_000);

  it("never limits the host pinging itself", async () => {
    expect(await ping("core", "127.0.0.1", 100, 0.002)).toEqual({ sent: 100, received: 100 });
  });

  it("keeps answering the relays after a flood (the buckets refill)", async () => {
    await new Promise((r) => setTimeout(r, 2500));
    expect(await ping("flooder", core.privateIp, 5, 0.25)).toEqual({ sent: 5, received: 5 });
  }, 30_000);
});

