/**
 * How much the monitoring host stores, and the machine it needs (README "Sizing" shows the figures).
 *
 * Series per target are estimates with their basis:
 * - a node: about 140 metric names upstream define (test/fixtures/monitoring/upstream-metrics.txt, plus
 *   ekg's ~20 `rts_gc_*` runtime metrics); a relay and a core each emit part of them: 200 is a ceiling.
 * - node_exporter with the kit's collectors (./services.ts): 283 measured on a 2-vCPU, one-disk,
 *   one-filesystem machine (the monitoring lab's test prints its own count); each vCPU adds 10 series,
 *   each filesystem 7, each disk 17, each network interface 16: 350 covers a 4-vCPU host with a root and a
 *   data volume.
 * - every target adds Prometheus's 5 (`up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
 *   `scrape_samples_post_metric_relabeling`, `scrape_series_added`); firing alerts add `ALERTS` and
 *   `ALERTS_FOR_STATE` series (30 is generous: Watchdog is the only one that always fires).
 *
 * Bytes per sample: Prometheus's storage documentation gives 1 to 2 bytes per compressed sample; the
 * estimate takes 2, and adds the write-ahead log and head block (about three hours of samples
 * uncompressed, 16 bytes each at most).
 */
import { HOURS_PER_MONTH, PUBLIC_IPV4_HOURLY, instanceHourlyUsEast1, regionPrices } from "./prices";
import { lookupInstanceType } from "./instance-types";
import { RETENTION_DAYS } from "../../features/monitoring/timing";

export const SERIES_PER_TARGET = { node: 200, nodeExporter: 350, scrape: 5, alerts: 30 } as const;
export const BYTES_PER_SAMPLE = 2;
const HEAD_HOURS = 3;
const HEAD_BYTES_PER_SAMPLE = 16;

export interface StorageEstimate {
  /** Per pool host (node + node_exporter, and their scrape series). */
  readonly seriesPerPoolHost: number;
  readonly seriesTotal: number;
  readonly samplesPerMonthPerPoolHost: number;
  readonly samplesPerMonthTotal: number;
  /** Compressed blocks for the retention, plus the WAL and head. */
  readonly diskBytes: number;
}

/** Samples one series stores in a month (the price table's 730-hour month). */
export function samplesPerSeriesMonth(scrapeSeconds: number): number {
  return (HOURS_PER_MONTH * 3600) / scrapeSeconds;
}

export function storageEstimate(poolHosts: number, scrapeSeconds: number, retentionDays = RETENTION_DAYS): StorageEstimate {
  const s = SERIES_PER_TARGET;
  const seriesPerPoolHost = s.node + s.nodeExporter + 2 * s.scrape;
  const seriesTotal = poolHosts * seriesPerPoolHost + (s.nodeExporter + s.scrape) + s.alerts;
  const perSeries = samplesPerSeriesMonth(scrapeSeconds);
  const samplesPerMonthTotal = seriesTotal * perSeries;
  const retained = samplesPerMonthTotal * ((retentionDays * 24) / HOURS_PER_MONTH) * BYTES_PER_SAMPLE;
  const head = seriesTotal * ((HEAD_HOURS * 3600) / scrapeSeconds) * HEAD_BYTES_PER_SAMPLE;
  return {
    seriesPerPoolHost,
    seriesTotal,
    samplesPerMonthPerPoolHost: seriesPerPoolHost * perSeries,
    samplesPerMonthTotal,
    diskBytes: Math.ceil(retained + head),
  };
}

/**
 * The monitoring host on AWS: t3.small (2 vCPUs, 2 GiB). Prometheus for ~2,000 series, Alertmanager and
 * Grafana together stay well under 1 GiB and use a few percent of a CPU, which a burstable instance's
 * baseline (20% of each vCPU) covers without spending credits; 1 GiB (t3.micro) leaves no room for
 * Grafana's peaks beside the OS. No data volume: 90 days of samples take about 1 GB on the 20 GiB root.
 */
export const MONITOR_INSTANCE_TYPE = "t3.small";
export const MONITOR_ROOT_GIB = 20;

export interface MonitorCost {
  readonly instanceType: string;
  readonly instance: number;
  readonly volume: number;
  readonly publicIpv4: number;
  readonly total: number;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** On-demand monthly cost in a region, in the style of ../../cost/estimate.ts (it has a public IPv4 for egress, like every pool host). */
export function monitorMonthlyCost(region: string, instanceType = MONITOR_INSTANCE_TYPE, rootGiB = MONITOR_ROOT_GIB): MonitorCost {
  const type = lookupInstanceType(instanceType);
  const hourly = type === undefined ? undefined : instanceHourlyUsEast1(type);
  if (hourly === undefined) throw new Error(`no price for ${instanceType}`);
  const { prices } = regionPrices(region);
  const instance = cents(hourly * prices.instanceFactor * HOURS_PER_MONTH);
  const volume = cents(rootGiB * prices.gp3PerGiBMonth);
  const publicIpv4 = cents(PUBLIC_IPV4_HOURLY * HOURS_PER_MONTH);
  return { instanceType, instance, volume, publicIpv4, total: cents(instance + volume + publicIpv4) };
}
