/**
 * The Grafana dashboard and its provisioning: a well-formed dashboard model whose every query reads the
 * provisioned datasource and only metrics the kit knows the source of, laid out without overlaps, and
 * covering what gLiveView shows. (The monitoring lab runs every query against a real Prometheus.)
 */
import path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { DASHBOARD_UID, DATASOURCE_UID, renderDashboard } from "../../../components/features/monitoring/dashboard";
import { renderGrafanaDashboardProvider, renderGrafanaDatasources, renderGrafanaIni } from "../../../components/features/monitoring/grafana";
import { HOST_METRICS, N } from "../../../components/features/monitoring/metrics";
import { GRAFANA_DASHBOARD_FILE } from "../../../components/features/monitoring/paths";
import { dashboardPanels } from "./dashboard-panels";
import { poolInput } from "./fixtures";

describe("the pool dashboard", () => {
  const text = renderDashboard(poolInput("mainnet"));
  const dashboard = JSON.parse(text) as { uid: string; editable: boolean; templating: { list: Array<{ name: string; query: { query: string } }> } };
  const panels = dashboardPanels(text);
  const queries = panels.flatMap((p) => p.targets ?? []);

  it("is read-only, with a host selector fed by the scrape labels", () => {
    expect(dashboard.uid).toBe(DASHBOARD_UID);
    expect(dashboard.editable).toBe(false);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(["host"]);
    expect(dashboard.templating.list[0]!.query.query).toBe('label_values(up{job=~"cardano-node|node-exporter"}, host)');
  });

  it("has unique panel ids, and panels that fit the 24-column grid without overlapping", () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = new Set<string>();
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it("queries only the provisioned datasource, with unique refIds per panel", () => {
    for (const p of panels.filter((p) => p.type !== "row")) {
      expect(p.datasource?.uid, p.title).toBe(DATASOURCE_UID);
      expect(p.targets!.length, p.title).toBeGreaterThan(0);
      expect(new Set(p.targets!.map((t) => t.refId)).size).toBe(p.targets!.length);
      for (const t of p.targets!) expect(t.datasource.uid).toBe(DATASOURCE_UID);
    }
  });

  it("reads only metrics the kit knows the source of", () => {
    const known = new Set<string>([...Object.values(N), ...Object.values(HOST_METRICS)]);
    for (const q of queries) {
      for (const name of q.expr.match(/\b(cardano_node_metrics_[A-Za-z0-9_]+|node_[A-Za-z0-9_]+)\b/g) ?? []) expect(known, q.expr).toContain(name);
    }
  });

  it("shows what gLiveView shows, for every host", () => {
    const read = new Set(queries.flatMap((q) => q.expr.match(/\b(cardano_node_metrics_[A-Za-z0-9_]+|node_[A-Za-z0-9_]+)\b/g) ?? []));
    const expected = [
      N.blockNum, N.slotNum, N.epoch, N.slotInEpoch, N.density, N.gsmState,
      N.knownPeers, N.establishedPeers, N.activePeers, N.inboundConns, N.outboundConns,
      N.remainingKesPeriods, N.opcertExpiryKesPeriod, N.blocksForged, N.adopted, N.didntAdopt, N.slotsMissed, N.leadershipChecks,
      N.txsInMempool, N.mempoolBytes, N.residentMemory,
      HOST_METRICS.cpuSeconds, HOST_METRICS.memAvailable, HOST_METRICS.fsAvail, HOST_METRICS.timexOffset,
    ];
    for (const name of expected) expect(read, name).toContain(name);
  });

  it("computes the certificate's expiry date from the network's Shelley timing", () => {
    const mainnet = queries.find((q) => q.expr.includes(N.opcertExpiryKesPeriod) && q.expr.startsWith("1000 *"))!;
    expect(mainnet.expr).toBe(`1000 * (1596059091 + (${N.opcertExpiryKesPeriod}{host=~"$host"} * 129600 - 4492800) * 1)`);
    const preview = dashboardPanels(renderDashboard(poolInput("preview"))).flatMap((p) => p.targets ?? []).find((q) => q.expr.startsWith("1000 *"))!;
    expect(preview.expr).toContain("(1666656000 + (");
  });
});

describe("Grafana's provisioning", () => {
  it("names the datasource the dashboard queries, and the folder the dashboard is delivered to", () => {
    const datasources = yaml.load(renderGrafanaDatasources()) as { datasources: Array<{ uid: string; jsonData: { timeInterval: string } }> };
    expect(datasources.datasources.map((d) => d.uid)).toEqual([DATASOURCE_UID]);
    expect(datasources.datasources[0]!.jsonData.timeInterval).toBe("30s");
    const providers = yaml.load(renderGrafanaDashboardProvider()) as { providers: Array<{ options: { path: string }; allowUiUpdates: boolean }> };
    expect(providers.providers[0]!.options.path).toBe(path.dirname(GRAFANA_DASHBOARD_FILE));
    expect(providers.providers[0]!.allowUiUpdates).toBe(false);
  });

  it("listens on loopback only, lets the tunnel's visitors view, and reads the admin password from its file", () => {
    const ini = renderGrafanaIni();
    expect(ini).toMatch(/^http_addr = 127\.0\.0\.1$/m);
    expect(ini).toMatch(/^\[auth\.anonymous\]\nenabled = true\norg_role = Viewer$/m);
    expect(ini).toMatch(/^admin_password = \$__file\{\/etc\/grafana\/admin-password\}$/m);
    expect(ini).toMatch(/^reporting_enabled = false$/m);
  });
});
