/**
 * On-demand prices the plan uses to estimate a pool's monthly bill. An estimate, not a quote: Linux,
 * on-demand, no data transfer, no Savings Plans. Check https://aws.amazon.com/ec2/pricing/on-demand/.
 */
import type { InstanceTypeInfo } from "./instance-types";

/** When these prices were taken from AWS's public price list. */
export const PRICE_TABLE_DATE = "2026-06";
export const HOURS_PER_MONTH = 730;

/** us-east-1 Linux on-demand USD per hour of the `.large` size of each family. */
const LARGE_HOURLY_US_EAST_1: Readonly<Record<string, number>> = {
  t3: 0.0832,
  t3a: 0.0752,
  m5: 0.096,
  m5a: 0.086,
  m6i: 0.096,
  m6a: 0.0864,
  m7i: 0.1008,
  m7a: 0.11592,
  c5: 0.085,
  c6i: 0.085,
  c6a: 0.0765,
  c7i: 0.08925,
  c7a: 0.10264,
  r5: 0.126,
  r5a: 0.113,
  r6i: 0.126,
  r6a: 0.1134,
  r7i: 0.1323,
  r7a: 0.15215,
};

export interface RegionPrices {
  /** Instance prices relative to us-east-1. */
  readonly instanceFactor: number;
  /** gp3 storage, USD per GiB-month (baseline 3,000 IOPS and 125 MB/s included). */
  readonly gp3PerGiBMonth: number;
}

const REGIONS: Readonly<Record<string, RegionPrices>> = {
  "us-east-1": { instanceFactor: 1, gp3PerGiBMonth: 0.08 },
  "us-east-2": { instanceFactor: 1, gp3PerGiBMonth: 0.08 },
  "us-west-2": { instanceFactor: 1, gp3PerGiBMonth: 0.08 },
  "eu-west-1": { instanceFactor: 1.115, gp3PerGiBMonth: 0.088 },
  "eu-central-1": { instanceFactor: 1.2, gp3PerGiBMonth: 0.0952 },
};

/** Every public IPv4 address, Elastic or not, in every region, since February 2024. */
export const PUBLIC_IPV4_HOURLY = 0.005;

export function regionPrices(region: string): { prices: RegionPrices; known: boolean } {
  const known = REGIONS[region];
  return known ? { prices: known, known: true } : { prices: REGIONS["us-east-1"]!, known: false };
}

/** USD per hour in us-east-1, scaled from the family's `.large` price (T sizes by memory, others by vCPU). */
export function instanceHourlyUsEast1(type: InstanceTypeInfo): number | undefined {
  const family = type.name.split(".")[0]!;
  const large = LARGE_HOURLY_US_EAST_1[family];
  if (large === undefined) return undefined;
  return large * (type.burstable ? type.memoryGiB / 8 : type.vcpus / 2);
}
