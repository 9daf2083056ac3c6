/**
 * The alert rules. Their names are a public interface (operators route, silence and document by them);
 * their thresholds are the kit's, each justified in README "Alerts". Written against the metric names of
 * the pinned node release (./metrics.ts) and node_exporter's.
 *
 * Conventions: every pool-host alert carries `host` and `role` (from the scrape labels); forging alerts
 * select `forging="true"` (a core with keys), so a passive core or a relay never raises them; a metric
 * that appears only when something happens (a counter created at its first event) is caught at its
 * first appearance too (`x unless x offset W`), because `increase` sees nothing in a series' first sample.
 *
 * Syntax: Prometheus alerting rules (rules/alerting.go); `promtool check rules` and `promtool test rules`
 * (Debian 12's prometheus 2.42) prove them in tests, the latter with synthetic series for every alert.
 */
import * as yaml from "js-yaml";
import type { NetworkProfile } from "../../networks/networks";
import type { MonitoringInput } from "./input";
import { HOST_METRICS as H, N, SIGNER_METRICS as M } from "./metrics";
import { JOBS } from "./prometheus-config";

/** The alert names, in the order of README "Alerts". A public interface: never rename one. */
export const ALERT_NAMES = [
  "CardanoNodeDown",
  "CardanoNodeNotAdvancing",
  "KESExpiringSoon",
  "KESExpiryImminent",
  "BlockProducerCannotForge",
  "SlotLeaderChecksMissed",
  "ForgedBlockNotAdopted",
  "NoBlockForgedRecently",
  "RelayFewHotPeers",
  "HostDown",
  "HostDiskFillingUp",
  "HostMemoryLow",
  "HostClockSkew",
  "MithrilSignerNotRegistered",
  "Watchdog",
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

export type Severity = "critical" | "warning" | "none";

/** The kit's thresholds (README "Alerts" says why each is what it is). */
export const THRESHOLDS = {
  nodeDownFor: "2m",
  /** No new block for this window, and for this long after: about 10 minutes without a block. */
  notAdvancingWindow: "5m",
  notAdvancingFor: "5m",
  /** Up, but no tip reported at all (stuck replaying the ledger, or wedged at start). */
  noTipFor: "30m",
  kesSoonDays: 14,
  kesImminentDays: 3,
  cannotForgeWindow: "15m",
  forgingDisabledFor: "10m",
  /** More than 1% of an hour's slots without a leadership check. */
  missedChecksShare: 0.01,
  notAdoptedWindow: "1h",
  /** The pool "has leadership": its last week predicts at least this many blocks a day. */
  leaderSlotsPerDay: 5,
  leadershipHistoryDays: 7,
  hotPeersMin: 10,
  hotPeersFor: "15m",
  hostDownFor: "2m",
  diskFreeShare: 0.1,
  diskPredictFreeShare: 0.25,
  diskPredictWindow: "6h",
  diskPredictHorizonHours: 24,
  memoryAvailableShare: 0.1,
  memoryLowFor: "10m",
  oomWindow: "15m",
  clockOffsetSeconds: 0.1,
  clockFor: "10m",
  /** The signer registers within minutes of an epoch's start; still not, this long after: warn. */
  signerNotRegisteredFor: "6h",
  signerDownFor: "10m",
} as const;

export interface AlertRule {
  readonly alert: AlertName;
  readonly expr: string;
  readonly for?: string;
  /** A fixed severity (`Severity`), or a Go template over the series' labels that yields one. */
  readonly severity: string;
  /** Tells apart the rules of one alert (promtool refuses two rules with the same name and labels). */
  readonly cause?: string;
  readonly summary: string;
  readonly description: string;
}

/** KES periods left that still leave at least `days` (one period = slotsPerKESPeriod slots). */
export function kesPeriodsFor(network: NetworkProfile, days: number): number {
  const { slotsPerKesPeriod, slotLengthSeconds } = network.timing;
  return Math.floor((days * 86400) / (slotsPerKesPeriod * slotLengthSeconds));
}

/** Leadership checks an hour: one per slot. */
export function slotsPerHour(network: NetworkProfile): number {
  return 3600 / network.timing.slotLengthSeconds;
}

const FORGING = `forging="true"`;
const REAL_FS = `fstype!~"tmpfs|ramfs"`;
const ON_HOST = "{{ $labels.host }}";

/**
 * A metric that the event itself creates: caught by `increase` once the series exists, and at its first
 * appearance on a node that Prometheus was already scraping a window ago. That last condition keeps a new
 * (or newly wiped) Prometheus from taking a node's old count for a new event.
 */
function appeared(metric: string, window: string): string {
  return `(${metric} unless ${metric} offset ${window}) and on(instance) (up offset ${window} == 1)`;
}
function increasedOrAppeared(metric: string, window: string): string {
  return `increase(${metric}[${window}]) > 0 or ${appeared(metric, window)}`;
}

export function alertRules(input: MonitoringInput): AlertRule[] {
  const t = THRESHOLDS;
  const net = input.network;
  const soon = kesPeriodsFor(net, t.kesSoonDays);
  const imminent = kesPeriodsFor(net, t.kesImminentDays);
  const periodHours = (net.timing.slotsPerKesPeriod * net.timing.slotLengthSeconds) / 3600;
  const missedMax = Math.round(slotsPerHour(net) * t.missedChecksShare);
  const leaderships = t.leaderSlotsPerDay * t.leadershipHistoryDays;
  return [
    {
      alert: "CardanoNodeDown",
      expr: `up{job="${JOBS.node}"} == 0`,
      for: t.nodeDownFor,
      severity: "critical",
      summary: `cardano-node on ${ON_HOST} does not answer`,
      description: `Prometheus has not reached the node's metrics on ${ON_HOST} for ${t.nodeDownFor}: the node is stopped, crashed or restarting in a loop (journalctl -u cardano-node).`,
    },
    {
      alert: "CardanoNodeNotAdvancing",
      expr: `changes(${N.blockNum}[${t.notAdvancingWindow}]) == 0`,
      cause: "no-new-block",
      for: t.notAdvancingFor,
      severity: `{{ if eq $labels.role "core" }}critical{{ else }}warning{{ end }}`,
      summary: `${ON_HOST} has not adopted a block for 10 minutes`,
      description: `The block height of ${ON_HOST} has not changed for ${t.notAdvancingWindow} + ${t.notAdvancingFor}, while the chain makes a block every 20 s on average. Check its peers and its log.`,
    },
    {
      alert: "CardanoNodeNotAdvancing",
      expr: `up{job="${JOBS.node}"} == 1 unless on(instance) ${N.blockNum}`,
      cause: "no-tip",
      for: t.noTipFor,
      severity: `{{ if eq $labels.role "core" }}critical{{ else }}warning{{ end }}`,
      summary: `${ON_HOST} reports no chain tip`,
      description: `The node on ${ON_HOST} answers but has reported no tip for ${t.noTipFor}: still replaying the ledger, or stuck at start.`,
    },
    {
      alert: "KESExpiringSoon",
      expr: `${N.remainingKesPeriods}{${FORGING}} <= ${soon} and ${N.remainingKesPeriods}{${FORGING}} > ${imminent}`,
      severity: "warning",
      summary: `The KES key of ${ON_HOST} expires in about two weeks`,
      description: `{{ $value }} KES periods of ${periodHours} h are left (at most ${soon} fire this). Rotate the KES key and issue a new operational certificate.`,
    },
    {
      alert: "KESExpiryImminent",
      expr: `${N.remainingKesPeriods}{${FORGING}} <= ${imminent}`,
      severity: "critical",
      summary: `The KES key of ${ON_HOST} expires within three days`,
      description: `{{ $value }} KES periods of ${periodHours} h are left. When none is left the pool forges no block: rotate the KES key now.`,
    },
    {
      alert: "BlockProducerCannotForge",
      expr: `increase(${N.nodeCannotForge}{${FORGING}}[${t.cannotForgeWindow}]) > 0`,
      cause: "cannot-forge",
      severity: "critical",
      summary: `${ON_HOST} was slot leader but could not forge`,
      description: `The node refused to forge in a slot it leads (TraceNodeCannotForge: typically a KES key not valid for this period or a VRF key that does not match the registration).`,
    },
    {
      alert: "BlockProducerCannotForge",
      expr: `changes(${N.forgeStateUpdateError}{${FORGING}}[${t.cannotForgeWindow}]) > 0 or ${appeared(`${N.forgeStateUpdateError}{${FORGING}}`, t.cannotForgeWindow)}`,
      cause: "kes-update-failed",
      severity: "critical",
      summary: `${ON_HOST} cannot update its KES key`,
      description: `The forge state update fails (TraceForgeStateUpdateError): the KES key has expired or the operational certificate does not match it. No block can be forged.`,
    },
    {
      alert: "BlockProducerCannotForge",
      expr: `${N.forgingEnabled}{${FORGING}} == 0`,
      cause: "forging-disabled",
      for: t.forgingDisabledFor,
      severity: "critical",
      summary: `${ON_HOST} runs with forging disabled`,
      description: `The core should forge but its node has forging disabled (no or unreadable keys) for ${t.forgingDisabledFor}.`,
    },
    {
      alert: "SlotLeaderChecksMissed",
      expr: `increase(${N.slotsMissed}{${FORGING}}[1h]) > ${missedMax}`,
      severity: "warning",
      summary: `${ON_HOST} missed {{ $value | humanize }} slot leadership checks in an hour`,
      description: `More than ${t.missedChecksShare * 100}% of the last hour's slots (${missedMax}) passed without a leadership check: the node lacks CPU or memory (GC pauses), and a leader slot among them would be lost.`,
    },
    {
      alert: "ForgedBlockNotAdopted",
      expr: increasedOrAppeared(N.didntAdopt, t.notAdoptedWindow),
      cause: "not-adopted",
      severity: "warning",
      summary: `${ON_HOST} forged a block it did not adopt`,
      description: `A valid block of ours lost against another block for the same slot or height (a slot or height battle): it will not be in the chain. Frequent ones mean the core gets blocks late (check its relays' block delay).`,
    },
    {
      alert: "ForgedBlockNotAdopted",
      expr: increasedOrAppeared(N.forgedInvalid, t.notAdoptedWindow),
      cause: "forged-invalid",
      severity: "critical",
      summary: `${ON_HOST} forged an invalid block`,
      description: `The ledger rejected a block this node forged (TraceForgedInvalidBlock): report it with the node's log to cardano-node.`,
    },
    {
      alert: "NoBlockForgedRecently",
      // The history is the week before the silent day, so that the silence itself does not hide the rate.
      expr: `increase(${N.nodeIsLeader}{${FORGING}}[${t.leadershipHistoryDays}d] offset 1d) >= ${leaderships} and on(instance) increase(${N.blocksForged}{${FORGING}}[1d]) == 0`,
      severity: "warning",
      summary: `${ON_HOST} forged no block for a day`,
      description: `The pool led at least ${leaderships} slots in the ${t.leadershipHistoryDays} days before (${t.leaderSlotsPerDay} a day) but forged nothing in the last 24 hours; a healthy pool of that size does so less than once in 100 days.`,
    },
    {
      alert: "RelayFewHotPeers",
      expr: `${N.activePeers}{role="relay"} < ${t.hotPeersMin}`,
      for: t.hotPeersFor,
      severity: "warning",
      summary: `${ON_HOST} has only {{ $value }} hot peers`,
      description: `A relay should hold at least its active target (20 or more) of hot peers; fewer than ${t.hotPeersMin} for ${t.hotPeersFor} means it cannot reach the network (firewall, DNS, topology).`,
    },
    {
      alert: "HostDown",
      expr: `up{job="${JOBS.exporter}"} == 0`,
      for: t.hostDownFor,
      severity: "critical",
      summary: `${ON_HOST} does not answer`,
      description: `node_exporter on ${ON_HOST} has not answered for ${t.hostDownFor}: the server is down, unreachable, or its firewall drops the monitoring host.`,
    },
    {
      alert: "HostDiskFillingUp",
      expr: `${H.fsAvail}{${REAL_FS}} / ${H.fsSize}{${REAL_FS}} < ${t.diskFreeShare} and ${H.fsReadonly}{${REAL_FS}} == 0`,
      cause: "almost-full",
      for: "15m",
      severity: "warning",
      summary: `{{ $labels.mountpoint }} on ${ON_HOST} is over ${100 - t.diskFreeShare * 100}% full`,
      description: `Less than ${t.diskFreeShare * 100}% of {{ $labels.mountpoint }} is free. A full chain volume stops the node.`,
    },
    {
      alert: "HostDiskFillingUp",
      expr: `predict_linear(${H.fsAvail}{${REAL_FS}}[${t.diskPredictWindow}], ${t.diskPredictHorizonHours} * 3600) < 0 and ${H.fsAvail}{${REAL_FS}} / ${H.fsSize}{${REAL_FS}} < ${t.diskPredictFreeShare} and ${H.fsReadonly}{${REAL_FS}} == 0`,
      cause: "fills-within-a-day",
      for: "30m",
      severity: "warning",
      summary: `{{ $labels.mountpoint }} on ${ON_HOST} fills up within a day`,
      description: `At the rate of the last ${t.diskPredictWindow}, {{ $labels.mountpoint }} is full within ${t.diskPredictHorizonHours} hours.`,
    },
    {
      alert: "HostMemoryLow",
      expr: `${H.memAvailable} / ${H.memTotal} < ${t.memoryAvailableShare}`,
      cause: "low-available",
      for: t.memoryLowFor,
      severity: "warning",
      summary: `${ON_HOST} has less than ${t.memoryAvailableShare * 100}% memory available`,
      description: `The kernel will soon kill the largest process, the node.`,
    },
    {
      alert: "HostMemoryLow",
      expr: `increase(${H.oomKills}[${t.oomWindow}]) > 0`,
      cause: "oom-kill",
      severity: "warning",
      summary: `The kernel killed a process on ${ON_HOST} for lack of memory`,
      description: `An out-of-memory kill happened in the last ${t.oomWindow} (often the node itself: journalctl -k).`,
    },
    {
      alert: "HostClockSkew",
      expr: `(${H.timexOffset} > ${t.clockOffsetSeconds} and deriv(${H.timexOffset}[5m]) >= 0) or (${H.timexOffset} < -${t.clockOffsetSeconds} and deriv(${H.timexOffset}[5m]) <= 0)`,
      cause: "offset",
      for: t.clockFor,
      severity: "warning",
      summary: `The clock of ${ON_HOST} is {{ $value | humanizeDuration }} off`,
      description: `Slots are 1 s: a core whose clock is off forges late or too early and loses its blocks. Check chrony (chronyc tracking).`,
    },
    {
      alert: "HostClockSkew",
      expr: `min_over_time(${H.timexSyncStatus}[5m]) == 0 and ${H.timexMaxError} >= 16`,
      cause: "not-synchronised",
      for: t.clockFor,
      severity: "warning",
      summary: `The clock of ${ON_HOST} is not synchronised`,
      description: `The kernel reports an unsynchronised clock (chrony cannot reach a time source).`,
    },
    // Only with a Mithril signer on the core (issue 16).
    ...(input.mithrilSigner === undefined
      ? []
      : ([
          {
            alert: "MithrilSignerNotRegistered",
            // The node's epoch on the core, against the epoch of the signer's last successful registration.
            expr: `max by (host) (${N.epoch}{role="core"}) - on(host) group_right max by (host, instance, job, role) (${M.registrationLastEpoch}) >= 1`,
            cause: "not-registered",
            for: t.signerNotRegisteredFor,
            severity: "warning",
            summary: `The Mithril signer on ${ON_HOST} has not registered in this epoch`,
            description: `mithril-signer last registered {{ $value }} epoch(s) ago, and ${t.signerNotRegisteredFor} into the current epoch it still has not: the pool signs no Mithril certificate this epoch. Check journalctl -u mithril-signer and the relay's proxy (systemctl status mithril-relay).`,
          },
          {
            alert: "MithrilSignerNotRegistered",
            expr: `up{job="${JOBS.signer}"} == 0`,
            cause: "unreachable",
            for: t.signerDownFor,
            severity: "warning",
            summary: `The Mithril signer on ${ON_HOST} does not answer`,
            description: `Prometheus has not reached mithril-signer's metrics on ${ON_HOST} for ${t.signerDownFor}: the signer is stopped or restarting (systemctl status mithril-signer); it registers nothing while it is down.`,
          },
        ] satisfies AlertRule[])),
    {
      alert: "Watchdog",
      expr: "vector(1)",
      severity: "none",
      summary: "Monitoring works (always firing)",
      description: "This alert always fires. Alertmanager sends it to the dead-man heartbeat URL; when the pings stop, the monitoring host or its Prometheus or Alertmanager is down.",
    },
  ];
}

export function renderAlertRules(input: MonitoringInput): string {
  const rules = alertRules(input).map((r) => ({
    alert: r.alert,
    expr: r.expr,
    ...(r.for !== undefined ? { for: r.for } : {}),
    labels: { severity: r.severity, ...(r.cause !== undefined ? { cause: r.cause } : {}) },
    annotations: { summary: r.summary, description: r.description },
  }));
  return `# Rendered by the stake pool kit; the alert names are a public interface.\n${yaml.dump({ groups: [{ name: "stakepool", rules }] }, { noRefs: true, lineWidth: -1 })}`;
}
