/**
 * How often things happen, and for how long Prometheus keeps what it scraped. README "Timing" gives the
 * reasons; ./sizing.ts turns them into samples and disk.
 *
 * Tests run the same files with compressed intervals (a second instead of thirty) so that a real
 * Prometheus and Alertmanager show the whole path in minutes; the rules' own `for:` durations never
 * change, and `promtool test rules` proves them at production timing.
 */

export interface MonitoringTiming {
  /** Prometheus `scrape_interval`. */
  readonly scrapeSeconds: number;
  /** Prometheus `evaluation_interval` (rules). */
  readonly evaluationSeconds: number;
  /** Alertmanager: wait before the first notification of a new group, to batch what fires together. */
  readonly groupWaitSeconds: number;
  /** Alertmanager: wait before notifying about new alerts in a group already notified. */
  readonly groupIntervalSeconds: number;
  /** Alertmanager: how often the Watchdog pings the heartbeat URL. */
  readonly heartbeatSeconds: number;
}

export const PRODUCTION_TIMING: MonitoringTiming = {
  scrapeSeconds: 30,
  evaluationSeconds: 30,
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  heartbeatSeconds: 300,
};

/** Alertmanager re-sends a still-firing alert after this long: critical every hour, the rest every 4 h. */
export const REPEAT_CRITICAL = "1h";
export const REPEAT_DEFAULT = "4h";

/** Prometheus keeps 90 days (one whole operational-certificate life of 62 KES periods = 93 days, nearly). */
export const RETENTION_DAYS = 90;
/**
 * A cap on the TSDB's size, far above what 90 days take (./sizing.ts: about 1 GB for a 1 + 2 pool), so
 * that a cardinality accident cannot fill the root volume and take the operating system down with it.
 */
export const RETENTION_SIZE_GB = 5;

/** A duration in Prometheus's notation (`30s`, `5m`). */
export function duration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`not a positive whole number of seconds: ${seconds}`);
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
