/**
 * The per-source connection limit on a relay's node port, with real connections through a real
 * kernel: the default limit's worth of connections from one address open and stay usable, the next one
 * is reset at once, another address is not affected, and a closed connection frees its place.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderNftables } from "../../components/firewall/nftables";
import { NETNS_REQUIREMENTS, NetnsLab, type Agent } from "../helpers/netns";
import { describeWith } from "../helpers/requirements";
import { host, poolModel } from "./model";

const model = poolModel({ relays: 1 });
const relay = host(model, "relay-1");
const NODE = { address: relay.privateIp, port: 3001 };
const TIMEOUT = 1500;

const lab = new NetnsLab("connlimit");

describeWith(NETNS_REQUIREMENTS, "the relay's per-source connection limit", () => {
  let nat: Agent;
  let other: Agent;

  beforeAll(async () => {
    await lab.start([
      { name: "relay", ipv4: relay.privateIp },
      // One NAT address with several nodes behind it, and an unrelated peer.
      { name: "nat", ipv4: "198.51.100.20" },
      { name: "other", ipv4: "192.0.2.30" },
    ]);
    await lab.loadRuleset("relay", renderNftables(model, relay)); // the default options
    await (await lab.agent("relay")).listen([3001]);
    nat = await lab.agent("nat");
    other = await lab.agent("other");
  });
  afterAll(() => lab.destroy());

  it("lets one address hold 10 connections, resets the 11th, and still admits others", async () => {
    const held: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const opened = await nat.open(NODE, TIMEOUT);
      expect(opened.outcome, `connection ${i} from the NAT address`).toBe("open");
      held.push(opened.conn!);
    }
    expect((await nat.open(NODE, TIMEOUT)).outcome, "the 11th connection from the NAT address").toBe("refused");

    // The ten that were admitted are still alive end to end.
    const alive = await Promise.all(held.map((conn) => nat.echo(conn, TIMEOUT)));
    expect(alive).toEqual(new Array(10).fill(true));

    // Another address is counted on its own.
    expect((await other.open(NODE, TIMEOUT)).outcome).toBe("open");

    // Closing one connection frees its place (the kernel stops counting a closed connection).
    await nat.close(held[0]!);
    let again = "refused";
    for (let attempt = 0; attempt < 20 && again !== "open"; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      const opened = await nat.open(NODE, TIMEOUT);
      again = opened.outcome;
    }
    expect(again).toBe("open");
  });
});
