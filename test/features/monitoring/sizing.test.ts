/** What the monitoring host stores and costs, for the figures the README and the plan quote. */
import { describe, expect, it } from "vitest";
import { lookupInstanceType } from "../../../components/backends/aws/instance-types";
import { MONITOR_INSTANCE_TYPE, MONITOR_ROOT_GIB, monitorMonthlyCost, samplesPerSeriesMonth, storageEstimate } from "../../../components/backends/aws/monitor-sizing";
import { PRODUCTION_TIMING } from "../../../components/features/monitoring/timing";

describe("the monitoring host's size", () => {
  it("stores about 181 million samples a month for 1 core + 2 relays at a 30 s scrape, 49 million per pool host", () => {
    expect(samplesPerSeriesMonth(PRODUCTION_TIMING.scrapeSeconds)).toBe(87_600);
    const e = storageEstimate(3, PRODUCTION_TIMING.scrapeSeconds);
    expect(e.seriesPerPoolHost).toBe(560);
    expect(e.seriesTotal).toBe(2_065);
    expect(e.samplesPerMonthPerPoolHost).toBe(49_056_000);
    expect(e.samplesPerMonthTotal).toBe(180_894_000);
  });

  it("needs about 1.1 GB for 90 days, far below its root volume and the TSDB's 5 GB cap", () => {
    const gb = storageEstimate(3, 30).diskBytes / 1e9;
    expect(gb).toBeGreaterThan(1);
    expect(gb).toBeLessThan(1.2);
    expect(storageEstimate(9, 30).diskBytes / 1e9).toBeLessThan(5);
    expect(MONITOR_ROOT_GIB).toBeGreaterThanOrEqual(20);
  });

  it("is a t3.small: 2 GiB, about 20 USD a month on demand in us-east-2", () => {
    expect(lookupInstanceType(MONITOR_INSTANCE_TYPE)).toMatchObject({ vcpus: 2, memoryGiB: 2, burstable: true });
    expect(monitorMonthlyCost("us-east-2")).toEqual({ instanceType: "t3.small", instance: 15.18, volume: 1.6, publicIpv4: 3.65, total: 20.43 });
  });
});
