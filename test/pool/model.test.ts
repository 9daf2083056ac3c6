import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firewallPolicy } from "../../components/firewall/policy";
import { placePool } from "../../components/program/load";
import { readSettings } from "../../components/config/read";
import { rawConfig } from "../helpers/config";
import { testModel, testPlacement } from "../helpers/model";

const model = testModel;

describe("the pool model", () => {
  it("puts the core in the first zone listed, spreads relays over the first two, and uses a further zone for pinned hosts", () => {
    const { model: m, placement } = testPlacement("preview", { relays: 5, availabilityZones: ["us-east-2c", "us-east-2a", "us-east-2b"], hostZones: { "relay-5": "us-east-2b" } });
    const zone = (name: string) => placement.hosts.get(name)!.availabilityZone;
    expect(zone(m.core.name)).toBe("us-east-2c");
    expect(m.relays.map((r) => zone(r.name))).toEqual(["us-east-2c", "us-east-2a", "us-east-2c", "us-east-2a", "us-east-2b"]);
    expect(m.hosts.map((h) => h.name)).toEqual(["core", "relay-1", "relay-2", "relay-3", "relay-4", "relay-5"]);
  });

  it("keeps every host's address when relays are added", () => {
    const before = model("preprod", { relays: 2 });
    const after = model("preprod", { relays: 4 });
    for (const host of before.hosts) {
      expect(after.hosts.find((h) => h.name === host.name)?.privateIp).toBe(host.privateIp);
    }
  });

  it("sizes hosts from the network when left on auto", () => {
    const main = model("mainnet");
    expect(main.core.memoryGiB).toBeGreaterThanOrEqual(24);
    expect(main.core.dataDiskGiB).toBeGreaterThanOrEqual(300);
    expect(main.protect).toBe(true);
    const preview = testPlacement("preview");
    expect(preview.placement.hosts.get("core")!.instanceType.name).toBe("t3.large");
    expect(preview.model.core.memoryGiB).toBe(8);
    expect(preview.model.core.dataDiskGiB).toBe(50);
    expect(preview.model.protect).toBe(false);
  });

  it("warns that more than 5 relays exceed the default Elastic IP quota", () => {
    const read = readSettings(rawConfig("preview", { relays: 6 }));
    const built = placePool(read.settings!, "us-east-2", "t");
    expect(built.findings.warnings.map((w) => w.setting)).toContain("stakepool:relays");
  });
});

describe("the firewall policy", () => {
  it("lets the core be reached only from its own relays, on 3001 and 22", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (relays) => {
        const m = model("preprod", { relays });
        const policy = firewallPolicy(m);
        const relayCidrs = m.relays.map((r) => `${r.privateIp}/32`).sort();
        for (const port of [3001, 22]) {
          const sources = policy.core.filter((r) => r.port === port).map((r) => r.source.cidr).sort();
          expect(sources).toEqual(relayCidrs);
        }
        expect(policy.core.every((r) => r.source.kind === "host")).toBe(true);
        expect(policy.core.some((r) => r.source.cidr === `${m.core.privateIp}/32`)).toBe(false);
        expect(new Set(policy.core.map((r) => r.port))).toEqual(new Set([3001, 22]));
      }),
    );
  });

  it("opens relays to the node port from anywhere and SSH from the admin networks only; metrics never", () => {
    const m = model("mainnet", { adminCidrs: ["198.51.100.0/24", "203.0.113.7/32"] });
    const policy = firewallPolicy(m);
    expect(policy.relay.filter((r) => r.port === 3001).map((r) => r.source.cidr)).toEqual(["0.0.0.0/0"]);
    expect(policy.relay.filter((r) => r.port === 22).map((r) => r.source.cidr)).toEqual(["198.51.100.0/24", "203.0.113.7/32"]);
    expect([...policy.core, ...policy.relay].some((r) => r.port === 12798)).toBe(false);
    const keys = [...policy.core, ...policy.relay].map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
