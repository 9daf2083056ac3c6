/** The pool's estimated monthly bill, per host and in total, for the plan. */
import type { PoolModel } from "../../model/pool";
import type { AwsPlacement } from "./placement";
import { HOURS_PER_MONTH, PRICE_TABLE_DATE, PUBLIC_IPV4_HOURLY, instanceHourlyUsEast1, regionPrices } from "./prices";

export interface HostCost {
  readonly host: string;
  readonly instance: number;
  readonly volumes: number;
  readonly publicIpv4: number;
  readonly total: number;
}

export interface CostEstimate {
  readonly hosts: readonly HostCost[];
  readonly total: number;
  readonly notes: readonly string[];
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

export function estimateMonthlyCost(model: PoolModel, placement: AwsPlacement): CostEstimate {
  const { prices, known } = regionPrices(placement.region);
  const notes = [
    `On-demand Linux prices from AWS's public price list (${PRICE_TABLE_DATE}), ${HOURS_PER_MONTH} hours a month; ` +
      "data transfer out (a mainnet relay sends hundreds of GB a month) and taxes are not included.",
  ];
  if (!known) notes.push(`No price table for ${placement.region}: shown at us-east-1 prices.`);
  let unpriced = false;
  const hosts = model.hosts.map((host) => {
    const placed = placement.hosts.get(host.name)!;
    const hourly = instanceHourlyUsEast1(placed.instanceType);
    if (hourly === undefined) unpriced = true;
    const instance = cents((hourly ?? 0) * prices.instanceFactor * HOURS_PER_MONTH);
    const volumes = cents((placed.rootVolumeGiB + host.dataDiskGiB) * prices.gp3PerGiBMonth);
    const publicIpv4 = cents(PUBLIC_IPV4_HOURLY * HOURS_PER_MONTH);
    return { host: host.name, instance, volumes, publicIpv4, total: cents(instance + volumes + publicIpv4) };
  });
  if (unpriced) notes.push("Some instance types have no price in the table; their instance cost is shown as 0.");
  return { hosts, total: cents(hosts.reduce((sum, h) => sum + h.total, 0)), notes };
}
