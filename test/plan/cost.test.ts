import { describe, expect, it } from "vitest";
import { estimateMonthlyCost } from "../../components/backends/aws/cost";
import { INSTANCE_TYPES } from "../../components/backends/aws/instance-types";
import { instanceHourlyUsEast1 } from "../../components/backends/aws/prices";
import type { ConfigValues } from "../helpers/config";
import { testPlacement } from "../helpers/model";

function cost(network: "mainnet" | "preview", overrides: ConfigValues = {}) {
  const { model, placement } = testPlacement(network, overrides);
  return estimateMonthlyCost(model, placement);
}

describe("the monthly cost estimate", () => {
  it("prices the default preview pool by hand: 3 × (t3.large + 70 GiB gp3 + one IPv4) + the monitoring host", () => {
    // t3.large $0.0832/h × 730 h = $60.74; (20 + 50) GiB × $0.08 = $5.60; IPv4 $0.005/h × 730 = $3.65.
    // The monitoring host: t3.small $0.0208/h × 730 = $15.18; 20 GiB root × $0.08 = $1.60; + $3.65.
    const estimate = cost("preview");
    expect(estimate.hosts.map((h) => h.total)).toEqual([69.99, 69.99, 69.99, 20.43]);
    expect(estimate.hosts.at(-1)).toEqual({ host: "monitor", instance: 15.18, volumes: 1.6, publicIpv4: 3.65, total: 20.43 });
    expect(estimate.total).toBe(230.4);
    expect(cost("preview", { monitoring: false }).total).toBe(209.97);
  });

  it("prices the default mainnet pool by hand: 3 × (r6i.xlarge + 370 GiB gp3 + one IPv4)", () => {
    // r6i.xlarge = 2 × r6i.large $0.126/h = $0.252/h × 730 = $183.96; 370 GiB × $0.08 = $29.60; + $3.65.
    const estimate = cost("mainnet");
    expect(estimate.hosts[0]).toEqual({ host: "core", instance: 183.96, volumes: 29.6, publicIpv4: 3.65, total: 217.21 });
    expect(estimate.total).toBe(651.63 + 20.43);
  });

  it("grows with relays and with region, and says when a region has no table", () => {
    expect(cost("preview", { relays: 6 }).total).toBeGreaterThan(cost("preview").total * 2);
    expect(cost("preview", { "aws:region": "eu-central-1" }).total).toBeGreaterThan(cost("preview").total);
    expect(cost("preview", { "aws:region": "ap-south-1" }).notes.join(" ")).toContain("No price table for ap-south-1");
  });

  it("has a price for every x86 instance type the kit accepts", () => {
    for (const type of INSTANCE_TYPES.values()) {
      if (type.architecture === "x86_64") expect(instanceHourlyUsEast1(type), type.name).toBeGreaterThan(0);
    }
  });
});
