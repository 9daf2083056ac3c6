/**
 * Synthetic series for every alert: when it must fire (with its labels and annotations) and when it
 * must stay silent, plus one healthy pool on which only Watchdog fires. Times are promtool's, from 0.
 */
import { HOST_METRICS as H, N, SIGNER_METRICS as M } from "../../../components/features/monitoring/metrics";
import { ALERT_NAMES } from "../../../components/features/monitoring/rules";
import { NODE_EXPORTER_PORT, NODE_METRICS_PORT, SIGNER_METRICS_PORT } from "../../../components/features/monitoring/ports";
import { poolInput } from "./fixtures";
import type { Labels, Scenario, Series } from "./promtool-tests";

/** A mainnet pool whose core runs a Mithril signer (issue 16), so that every rule is rendered. */
export const INPUT = { ...poolInput("mainnet"), mithrilSigner: { host: "core", privateIp: "10.30.0.10" } };

function hostOf(name: string) {
  const host = INPUT.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no host ${name}`);
  return host;
}

/** Labels of a node series as the scrape sets them. */
export function nodeLabels(name: string, overrides: Partial<Record<string, string>> = {}): Labels {
  const h = hostOf(name);
  const labels: Record<string, string> = { job: "cardano-node", instance: `${h.privateIp}:${NODE_METRICS_PORT}`, host: h.name, role: h.role, forging: String(h.forging) };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) labels[k] = v;
  return labels;
}

/** Labels of a node_exporter series (the monitoring host included). */
export function exporterLabels(name: string): Labels {
  if (name === "monitor") return { job: "node-exporter", instance: `${INPUT.monitor.privateIp}:${NODE_EXPORTER_PORT}`, host: "monitor", role: "monitor" };
  const h = hostOf(name);
  return { job: "node-exporter", instance: `${h.privateIp}:${NODE_EXPORTER_PORT}`, host: h.name, role: h.role };
}

/** Labels of the Mithril signer's series as the scrape sets them. */
export function signerLabels(): Labels {
  return { job: "mithril-signer", instance: `${INPUT.mithrilSigner.privateIp}:${SIGNER_METRICS_PORT}`, host: INPUT.mithrilSigner.host, role: "core" };
}

/** A passive core: same host, no keys (forging="false"), on another address so that it is another target. */
const PASSIVE = { forging: "false", instance: "10.30.0.99:12798" };
/** Another forging node, to show what the rule does to a second series beside the first. */
const OTHER = { instance: "10.30.0.98:12798" };

function fsLabels(name: string, mountpoint: string, fstype = "ext4", device = "/dev/nvme1n1"): Labels {
  return { ...exporterLabels(name), device, fstype, mountpoint };
}

const s = (name: string, labels: Labels, values: string): Series => ({ name, labels, values });
const POOL = ["core", "relay-1", "relay-2"] as const;
const MACHINES = [...POOL, "monitor"] as const;

/** Everything a healthy pool reports, `samples` + 1 samples 30 s apart. */
function healthyPool(samples: number): Series[] {
  const series: Series[] = [];
  for (const host of POOL) {
    const labels = nodeLabels(host);
    series.push(s("up", labels, `1x${samples}`), s(N.blockNum, labels, `1000+1x${samples}`));
    series.push(s(N.activePeers, labels, `${host === "core" ? 2 : 22}x${samples}`));
  }
  const core = nodeLabels("core");
  series.push(
    s(N.remainingKesPeriods, core, `40x${samples}`),
    s(N.nodeCannotForge, core, `0x${samples}`),
    s(N.forgingEnabled, core, `1x${samples}`),
    s(N.slotsMissed, core, `3x${samples}`),
    s(N.nodeIsLeader, core, `0+0.01x${samples}`),
    s(N.blocksForged, core, `0+0.01x${samples}`),
    s(N.adopted, core, `1+0.01x${samples}`),
    // The signer registered in the current epoch.
    s(N.epoch, core, `612x${samples}`),
    s("up", signerLabels(), `1x${samples}`),
    s(M.registrationLastEpoch, signerLabels(), `612x${samples}`),
  );
  for (const host of MACHINES) {
    const labels = exporterLabels(host);
    series.push(
      s("up", labels, `1x${samples}`),
      s(H.fsAvail, fsLabels(host, "/", "ext4", "/dev/nvme0n1p1"), `12e9x${samples}`),
      s(H.fsSize, fsLabels(host, "/", "ext4", "/dev/nvme0n1p1"), `20e9x${samples}`),
      s(H.fsReadonly, fsLabels(host, "/", "ext4", "/dev/nvme0n1p1"), `0x${samples}`),
      // A full tmpfs is not a disk: ignored.
      s(H.fsAvail, fsLabels(host, "/run/user/1000", "tmpfs", "tmpfs"), `0x${samples}`),
      s(H.fsSize, fsLabels(host, "/run/user/1000", "tmpfs", "tmpfs"), `1e8x${samples}`),
      s(H.fsReadonly, fsLabels(host, "/run/user/1000", "tmpfs", "tmpfs"), `0x${samples}`),
      s(H.memAvailable, labels, `4e9x${samples}`),
      s(H.memTotal, labels, `8e9x${samples}`),
      s(H.oomKills, labels, `0x${samples}`),
      s(H.timexOffset, labels, `0.001x${samples}`),
      s(H.timexSyncStatus, labels, `1x${samples}`),
      s(H.timexMaxError, labels, `0.01x${samples}`),
    );
  }
  return series;
}

const WATCHDOG = { labels: {}, severity: "none" } as const;

export const SCENARIOS: readonly Scenario[] = [
  {
    title: "a healthy pool: only Watchdog fires",
    interval: "30s",
    evaluationInterval: "30s",
    series: healthyPool(240),
    checks: ["1h", "2h"].flatMap((at) => ALERT_NAMES.map((alertname) => ({ at, alertname, firing: alertname === "Watchdog" ? [WATCHDOG] : [] }))),
  },
  {
    title: "CardanoNodeDown: 2 minutes after the node stops answering",
    interval: "30s",
    evaluationInterval: "30s",
    series: [s("up", nodeLabels("core"), "1x40"), s("up", nodeLabels("relay-1"), "1x10 0x30")],
    checks: [
      { at: "7m", alertname: "CardanoNodeDown", firing: [] },
      { at: "8m", alertname: "CardanoNodeDown", firing: [{ labels: nodeLabels("relay-1"), severity: "critical" }] },
    ],
  },
  {
    title: "CardanoNodeNotAdvancing: about 10 minutes without a new block; critical on the core",
    interval: "30s",
    evaluationInterval: "30s",
    series: [
      ...POOL.map((h) => s("up", nodeLabels(h), "1x60")),
      s(N.blockNum, nodeLabels("core"), "100+1x20 120x40"),
      s(N.blockNum, nodeLabels("relay-1"), "100+1x20 120x40"),
      s(N.blockNum, nodeLabels("relay-2"), "100+1x60"),
    ],
    checks: [
      { at: "19m30s", alertname: "CardanoNodeNotAdvancing", firing: [] },
      {
        at: "21m",
        alertname: "CardanoNodeNotAdvancing",
        firing: [
          { labels: nodeLabels("core"), severity: "critical", cause: "no-new-block" },
          { labels: nodeLabels("relay-1"), severity: "warning", cause: "no-new-block" },
        ],
      },
    ],
  },
  {
    title: "CardanoNodeNotAdvancing: answering but no tip for 30 minutes",
    interval: "1m",
    evaluationInterval: "1m",
    series: [s("up", nodeLabels("core"), "1x40"), s("up", nodeLabels("relay-1"), "1x40"), s(N.blockNum, nodeLabels("core"), "100+2x40")],
    checks: [
      { at: "29m", alertname: "CardanoNodeNotAdvancing", firing: [] },
      { at: "31m", alertname: "CardanoNodeNotAdvancing", firing: [{ labels: nodeLabels("relay-1"), severity: "warning", cause: "no-tip" }] },
    ],
  },
  {
    title: "KES: a warning from 9 periods left, critical from 2; never for a node without keys",
    interval: "30s",
    evaluationInterval: "30s",
    series: [s(N.remainingKesPeriods, nodeLabels("core"), "10x10 9x10 2x10 0x10"), s(N.remainingKesPeriods, nodeLabels("core", PASSIVE), "1x40")],
    checks: [
      { at: "2m", alertname: "KESExpiringSoon", firing: [] },
      { at: "2m", alertname: "KESExpiryImminent", firing: [] },
      { at: "7m", alertname: "KESExpiringSoon", firing: [{ labels: nodeLabels("core"), severity: "warning", value: "9" }] },
      { at: "7m", alertname: "KESExpiryImminent", firing: [] },
      { at: "12m", alertname: "KESExpiringSoon", firing: [] },
      { at: "12m", alertname: "KESExpiryImminent", firing: [{ labels: nodeLabels("core"), severity: "critical", value: "2" }] },
      { at: "17m", alertname: "KESExpiryImminent", firing: [{ labels: nodeLabels("core"), severity: "critical", value: "0" }] },
    ],
  },
  {
    title: "BlockProducerCannotForge: a leader slot it could not use, for 15 minutes after",
    interval: "30s",
    evaluationInterval: "30s",
    series: [s(N.nodeCannotForge, nodeLabels("core"), "0x10 1x40"), s(N.nodeCannotForge, nodeLabels("core", PASSIVE), "0+1x50")],
    checks: [
      { at: "4m", alertname: "BlockProducerCannotForge", firing: [] },
      { at: "6m", alertname: "BlockProducerCannotForge", firing: [{ labels: nodeLabels("core"), severity: "critical", cause: "cannot-forge" }] },
      { at: "21m", alertname: "BlockProducerCannotForge", firing: [] },
    ],
  },
  {
    title: "BlockProducerCannotForge: the KES key cannot be updated (from the first error on); an old error is not news",
    interval: "30s",
    evaluationInterval: "30s",
    series: [
      s("up", nodeLabels("core"), "1x100"),
      s(N.forgeStateUpdateError, nodeLabels("core"), "_x39 5000+1x10 5010x50"),
      // Another core whose error is older than this Prometheus: it must not look new.
      s("up", nodeLabels("core", OTHER), "1x100"),
      s(N.forgeStateUpdateError, nodeLabels("core", OTHER), "4000x100"),
    ],
    checks: [
      { at: "5m", alertname: "BlockProducerCannotForge", firing: [] },
      { at: "19m", alertname: "BlockProducerCannotForge", firing: [] },
      { at: "20m", alertname: "BlockProducerCannotForge", firing: [{ labels: nodeLabels("core"), severity: "critical", cause: "kes-update-failed" }] },
      { at: "23m", alertname: "BlockProducerCannotForge", firing: [{ labels: nodeLabels("core"), severity: "critical", cause: "kes-update-failed" }] },
      { at: "45m", alertname: "BlockProducerCannotForge", firing: [] },
    ],
  },
  {
    title: "BlockProducerCannotForge: the core runs with forging disabled for 10 minutes",
    interval: "30s",
    evaluationInterval: "30s",
    series: [s(N.forgingEnabled, nodeLabels("core"), "0x40"), s(N.forgingEnabled, nodeLabels("relay-1"), "0x40")],
    checks: [
      { at: "9m", alertname: "BlockProducerCannotForge", firing: [] },
      { at: "11m", alertname: "BlockProducerCannotForge", firing: [{ labels: nodeLabels("core"), severity: "critical", cause: "forging-disabled" }] },
    ],
  },
  {
    title: "SlotLeaderChecksMissed: more than 36 of an hour's 3600 slots",
    interval: "30s",
    evaluationInterval: "1m",
    series: [s(N.slotsMissed, nodeLabels("core"), "0+1x240"), s(N.slotsMissed, nodeLabels("core", PASSIVE), "0+1x240")],
    checks: [{ at: "2h", alertname: "SlotLeaderChecksMissed", firing: [{ labels: nodeLabels("core"), severity: "warning", value: "120" }] }],
  },
  {
    title: "SlotLeaderChecksMissed: 24 an hour is below the threshold",
    interval: "30s",
    evaluationInterval: "1m",
    series: [s(N.slotsMissed, nodeLabels("core"), "0+0.2x240")],
    checks: [{ at: "2h", alertname: "SlotLeaderChecksMissed", firing: [] }],
  },
  {
    title: "ForgedBlockNotAdopted: the first lost block is caught, an invalid one is critical, both clear after an hour",
    interval: "30s",
    evaluationInterval: "30s",
    series: [
      s("up", nodeLabels("core"), "1x300"),
      s(N.didntAdopt, nodeLabels("core"), "_x130 1x170"),
      s(N.forgedInvalid, nodeLabels("core"), "_x140 1x160"),
      s(N.adopted, nodeLabels("core"), "0+1x300"),
    ],
    checks: [
      { at: "64m", alertname: "ForgedBlockNotAdopted", firing: [] },
      { at: "66m", alertname: "ForgedBlockNotAdopted", firing: [{ labels: nodeLabels("core"), severity: "warning", cause: "not-adopted" }] },
      {
        at: "71m",
        alertname: "ForgedBlockNotAdopted",
        firing: [
          { labels: nodeLabels("core"), severity: "warning", cause: "not-adopted" },
          { labels: nodeLabels("core"), severity: "critical", cause: "forged-invalid" },
        ],
      },
      { at: "135m", alertname: "ForgedBlockNotAdopted", firing: [] },
    ],
  },
  {
    title: "ForgedBlockNotAdopted: a count older than this Prometheus is not news; a further lost block is",
    interval: "30s",
    evaluationInterval: "30s",
    series: [s("up", nodeLabels("core"), "1x40"), s(N.didntAdopt, nodeLabels("core"), "1x10 2x30")],
    checks: [
      { at: "4m", alertname: "ForgedBlockNotAdopted", firing: [] },
      { at: "6m", alertname: "ForgedBlockNotAdopted", firing: [{ labels: nodeLabels("core"), severity: "warning", cause: "not-adopted" }] },
    ],
  },
  {
    title: "NoBlockForgedRecently: a pool with 5.8 leader slots a day forges nothing for 30 hours; not for a small pool",
    interval: "10m",
    evaluationInterval: "10m",
    series: [
      // 0.04 per 10 minutes = 5.76 a day, for 7.25 days, then nothing for 1.25 days. Counted over the last
      // 7 days (33 slots) the silence would hide the rate; the week before the silent day holds 39.
      s(N.nodeIsLeader, nodeLabels("core"), "0+0.04x1044 41.76x180"),
      s(N.blocksForged, nodeLabels("core"), "0+0.04x1044 41.76x180"),
      // Another core that keeps forging.
      s(N.nodeIsLeader, nodeLabels("core", OTHER), "0+0.05x1224"),
      s(N.blocksForged, nodeLabels("core", OTHER), "0+0.05x1224"),
      // A small pool (0.7 a day): a day without a block is normal.
      s(N.nodeIsLeader, nodeLabels("core", { instance: "10.30.0.97:12798" }), "0+0.005x1044 5.22x180"),
      s(N.blocksForged, nodeLabels("core", { instance: "10.30.0.97:12798" }), "0+0.005x1044 5.22x180"),
    ],
    checks: [
      { at: "192h", alertname: "NoBlockForgedRecently", firing: [] },
      { at: "204h", alertname: "NoBlockForgedRecently", firing: [{ labels: nodeLabels("core"), severity: "warning" }] },
    ],
  },
  {
    title: "RelayFewHotPeers: under 10 hot peers for 15 minutes, relays only",
    interval: "30s",
    evaluationInterval: "30s",
    series: [s(N.activePeers, nodeLabels("relay-1"), "22x10 5x50"), s(N.activePeers, nodeLabels("relay-2"), "22x60"), s(N.activePeers, nodeLabels("core"), "2x60")],
    checks: [
      { at: "19m", alertname: "RelayFewHotPeers", firing: [] },
      { at: "21m", alertname: "RelayFewHotPeers", firing: [{ labels: nodeLabels("relay-1"), severity: "warning", value: "5" }] },
    ],
  },
  {
    title: "HostDown: 2 minutes after node_exporter stops answering",
    interval: "30s",
    evaluationInterval: "30s",
    series: [s("up", exporterLabels("relay-2"), "1x10 0x30"), s("up", exporterLabels("monitor"), "1x40")],
    checks: [
      { at: "7m", alertname: "HostDown", firing: [] },
      { at: "8m", alertname: "HostDown", firing: [{ labels: exporterLabels("relay-2"), severity: "critical" }] },
    ],
  },
  {
    title: "HostDiskFillingUp: under 10% free for 15 minutes; tmpfs and read-only filesystems ignored",
    interval: "1m",
    evaluationInterval: "1m",
    series: [
      s(H.fsAvail, fsLabels("relay-1", "/srv/cardano"), "5e9x30"),
      s(H.fsSize, fsLabels("relay-1", "/srv/cardano"), "100e9x30"),
      s(H.fsReadonly, fsLabels("relay-1", "/srv/cardano"), "0x30"),
      s(H.fsAvail, fsLabels("core", "/run", "tmpfs", "tmpfs"), "0x30"),
      s(H.fsSize, fsLabels("core", "/run", "tmpfs", "tmpfs"), "1e9x30"),
      s(H.fsReadonly, fsLabels("core", "/run", "tmpfs", "tmpfs"), "0x30"),
      s(H.fsAvail, fsLabels("core", "/snap/core", "ext4", "/dev/loop0"), "0x30"),
      s(H.fsSize, fsLabels("core", "/snap/core", "ext4", "/dev/loop0"), "1e9x30"),
      s(H.fsReadonly, fsLabels("core", "/snap/core", "ext4", "/dev/loop0"), "1x30"),
    ],
    checks: [
      { at: "14m", alertname: "HostDiskFillingUp", firing: [] },
      { at: "16m", alertname: "HostDiskFillingUp", firing: [{ labels: fsLabels("relay-1", "/srv/cardano"), severity: "warning", cause: "almost-full" }] },
    ],
  },
  {
    title: "HostDiskFillingUp: full within a day at the last 6 hours' rate, when under 25% free",
    interval: "10m",
    evaluationInterval: "10m",
    series: [
      // 24% free, losing 1.2 GB an hour: full in well under a day.
      s(H.fsAvail, fsLabels("core", "/srv/cardano"), "24e9-0.2e9x48"),
      s(H.fsSize, fsLabels("core", "/srv/cardano"), "100e9x48"),
      s(H.fsReadonly, fsLabels("core", "/srv/cardano"), "0x48"),
      // 50% free, losing as fast: not yet worth a word.
      s(H.fsAvail, fsLabels("relay-1", "/srv/cardano"), "50e9-0.2e9x48"),
      s(H.fsSize, fsLabels("relay-1", "/srv/cardano"), "100e9x48"),
      s(H.fsReadonly, fsLabels("relay-1", "/srv/cardano"), "0x48"),
    ],
    checks: [
      { at: "20m", alertname: "HostDiskFillingUp", firing: [] },
      { at: "7h", alertname: "HostDiskFillingUp", firing: [{ labels: fsLabels("core", "/srv/cardano"), severity: "warning", cause: "fills-within-a-day" }] },
    ],
  },
  {
    title: "HostMemoryLow: under 10% available for 10 minutes, or an OOM kill in the last 15",
    interval: "30s",
    evaluationInterval: "30s",
    series: [
      s(H.memAvailable, exporterLabels("relay-1"), "0.5e9x60"),
      s(H.memTotal, exporterLabels("relay-1"), "8e9x60"),
      s(H.memAvailable, exporterLabels("core"), "4e9x60"),
      s(H.memTotal, exporterLabels("core"), "8e9x60"),
      s(H.oomKills, exporterLabels("core"), "0x10 1x50"),
    ],
    checks: [
      { at: "4m", alertname: "HostMemoryLow", firing: [] },
      { at: "6m", alertname: "HostMemoryLow", firing: [{ labels: exporterLabels("core"), severity: "warning", cause: "oom-kill" }] },
      {
        at: "11m",
        alertname: "HostMemoryLow",
        firing: [
          { labels: exporterLabels("relay-1"), severity: "warning", cause: "low-available" },
          { labels: exporterLabels("core"), severity: "warning", cause: "oom-kill" },
        ],
      },
      { at: "25m", alertname: "HostMemoryLow", firing: [{ labels: exporterLabels("relay-1"), severity: "warning", cause: "low-available" }] },
    ],
  },
  {
    title: "MithrilSignerNotRegistered: 6 hours into an epoch without a registration, or 10 minutes unreachable",
    interval: "10m",
    evaluationInterval: "10m",
    series: [
      // Epoch 612 starts at 1h; the signer's last registration stays at 611 (the proxy refuses it, say).
      s(N.epoch, nodeLabels("core"), "611x5 612x60"),
      s("up", signerLabels(), "1x65"),
      s(M.registrationLastEpoch, signerLabels(), "611x65"),
      // A relay's epoch is not the signer's business.
      s(N.epoch, nodeLabels("relay-1"), "611x5 612x60"),
    ],
    checks: [
      { at: "6h50m", alertname: "MithrilSignerNotRegistered", firing: [] },
      { at: "7h10m", alertname: "MithrilSignerNotRegistered", firing: [{ labels: signerLabels(), severity: "warning", cause: "not-registered", value: "1" }] },
    ],
  },
  {
    title: "MithrilSignerNotRegistered: registered in the current epoch stays silent, a fresh epoch's first hours too",
    interval: "10m",
    evaluationInterval: "10m",
    series: [
      s(N.epoch, nodeLabels("core"), "611x5 612x60"),
      s("up", signerLabels(), "1x65"),
      // Registers 40 minutes into epoch 612.
      s(M.registrationLastEpoch, signerLabels(), "611x9 612x56"),
    ],
    checks: [
      { at: "1h30m", alertname: "MithrilSignerNotRegistered", firing: [] },
      { at: "10h", alertname: "MithrilSignerNotRegistered", firing: [] },
    ],
  },
  {
    title: "MithrilSignerNotRegistered: the signer's endpoint unreachable for 10 minutes",
    interval: "1m",
    evaluationInterval: "1m",
    series: [s(N.epoch, nodeLabels("core"), "612x30"), s("up", signerLabels(), "1x5 0x25"), s(M.registrationLastEpoch, signerLabels(), "612x5")],
    checks: [
      { at: "14m", alertname: "MithrilSignerNotRegistered", firing: [] },
      { at: "16m", alertname: "MithrilSignerNotRegistered", firing: [{ labels: signerLabels(), severity: "warning", cause: "unreachable" }] },
    ],
  },
  {
    title: "HostClockSkew: 100 ms off and not converging for 10 minutes, or not synchronised",
    interval: "30s",
    evaluationInterval: "30s",
    series: [
      s(H.timexOffset, exporterLabels("relay-1"), "0.2x30"),
      s(H.timexOffset, exporterLabels("relay-2"), "-0.3-0.001x30"),
      // Off, but converging: chrony is fixing it.
      s(H.timexOffset, exporterLabels("core"), "0.2-0.005x30"),
      ...(["relay-1", "relay-2", "core"] as const).flatMap((h) => [s(H.timexSyncStatus, exporterLabels(h), "1x30"), s(H.timexMaxError, exporterLabels(h), "0.01x30")]),
      s(H.timexOffset, exporterLabels("monitor"), "0x30"),
      s(H.timexSyncStatus, exporterLabels("monitor"), "0x30"),
      s(H.timexMaxError, exporterLabels("monitor"), "16x30"),
    ],
    checks: [
      { at: "9m", alertname: "HostClockSkew", firing: [] },
      {
        at: "11m",
        alertname: "HostClockSkew",
        firing: [
          { labels: exporterLabels("relay-1"), severity: "warning", cause: "offset", value: "200ms" },
          { labels: exporterLabels("relay-2"), severity: "warning", cause: "offset", value: "-322ms" },
          { labels: exporterLabels("monitor"), severity: "warning", cause: "not-synchronised" },
        ],
      },
    ],
  },
];
