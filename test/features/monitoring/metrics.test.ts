/**
 * The metric names the kit reads are the ones the pinned node release exposes: each internal name is
 * defined upstream with the kind the kit assumes, and the naming rule reproduces upstream's own
 * dashboard's names.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { asPrometheusMetricName, exposedName, N, NODE_METRICS, TIP_BLOCK_METRIC, type MetricKind } from "../../../components/features/monitoring/metrics";

const FIXTURES = path.join(__dirname, "../../fixtures/monitoring");

function lines(file: string): string[] {
  return fs
    .readFileSync(path.join(FIXTURES, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));
}

/** `<kind> <internal name> <repository@ref> <file>` from upstream source. */
const UPSTREAM = lines("upstream-metrics.txt").map((l) => {
  const [kind, internal, repository, file] = l.split(" ") as [MetricKind, string, string, string];
  return { kind, internal, repository, file };
});

describe("the node metric names", () => {
  it("are each defined upstream, with the kind the kit assumes, in the file the kit names", () => {
    for (const [key, metric] of Object.entries(NODE_METRICS)) {
      const found = UPSTREAM.filter((u) => u.internal === metric.internal);
      expect(found.map((u) => u.kind), key).toContain(metric.kind);
      const file = found.find((u) => u.kind === metric.kind)!.file;
      expect(metric.source.replace(/ \(.*\)$/, ""), key).toContain(path.basename(file));
    }
  });

  it("follow trace-dispatcher's naming: upstream's own dashboard queries exactly these names", () => {
    const upstream = new Set(lines("upstream-exposed-names.txt"));
    const vectors: Array<[MetricKind, string]> = [
      ["IntM", "blockNum"],
      ["IntM", "slotNum"],
      ["IntM", "nodeCannotForge"],
      ["IntM", "Mem.resident"],
      ["IntM", "RTS.gcLiveBytes"],
      ["CounterM", "Forge.about-to-lead"],
      ["CounterM", "Forge.node-is-leader"],
      ["CounterM", "txsProcessedNum"],
      ["DoubleM", "density"],
    ];
    for (const [kind, internal] of vectors) expect(upstream).toContain(exposedName(kind, internal));
  });

  it("are what the kit's rules and dashboard use", () => {
    expect(N.blockNum).toBe("cardano_node_metrics_blockNum_int");
    expect(N.remainingKesPeriods).toBe("cardano_node_metrics_remainingKESPeriods_int");
    expect(N.didntAdopt).toBe("cardano_node_metrics_Forge_didnt_adopt_counter");
    expect(N.activePeers).toBe("cardano_node_metrics_peerSelection_ActivePeers_int");
    expect(N.density).toBe("cardano_node_metrics_density_real");
    expect(TIP_BLOCK_METRIC).toBe("cardano_node_metrics_tipBlock");
  });

  it("are each listed in the monitoring README, with the definition the kit assumes", () => {
    const readme = fs.readFileSync(path.join(__dirname, "../../../components/features/monitoring/README.md"), "utf8");
    for (const [key, metric] of Object.entries(NODE_METRICS)) {
      expect(readme, key).toContain(`| \`${exposedName(metric.kind, metric.internal)}\` | \`${metric.kind} "${metric.internal}"\` |`);
    }
  });

  it("lose only the suffix under PrometheusSimple nosuffix, and drop what Prometheus cannot name", () => {
    expect(exposedName("IntM", "blockNum", { suffix: false })).toBe("cardano_node_metrics_blockNum");
    expect(exposedName("CounterM", "Forge.forged", { suffix: false })).toBe("cardano_node_metrics_Forge_forged");
    expect(exposedName("IntM", "x", { prefix: "my.pool." })).toBe("my_pool_x_int");
    expect(asPrometheusMetricName("a b-c.d/é+f")).toBe("a_b_c_df");
  });
});
