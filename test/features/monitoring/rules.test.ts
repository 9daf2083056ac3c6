/**
 * The alert rules: their public names, their thresholds, and their behaviour under Prometheus's own rule
 * tester on synthetic series (fires when it should, with its labels and text; silent on a healthy pool).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { N, HOST_METRICS, SIGNER_METRICS } from "../../../components/features/monitoring/metrics";
import { ALERT_NAMES, alertRules, kesPeriodsFor, renderAlertRules } from "../../../components/features/monitoring/rules";
import { NETWORK_NAMES, NETWORKS } from "../../../components/networks/networks";
import { describeWith } from "../../helpers/requirements";
import { promtoolTestFile, type Scenario } from "./promtool-tests";
import { INPUT, SCENARIOS } from "./rule-scenarios";

describe("the alert rules", () => {
  it("are exactly the public alert names, each with a severity and a text", () => {
    const rules = alertRules(INPUT);
    expect(new Set(rules.map((r) => r.alert))).toEqual(new Set(ALERT_NAMES));
    for (const r of rules) {
      expect(r.summary.length).toBeGreaterThan(10);
      expect(r.severity).not.toBe("");
    }
  });

  it("give two weeks' and three days' notice of KES expiry on every network: 9 and 2 periods of 36 h", () => {
    for (const name of NETWORK_NAMES) {
      expect([kesPeriodsFor(NETWORKS[name], 14), kesPeriodsFor(NETWORKS[name], 3)]).toEqual([9, 2]);
    }
  });

  it("read only metrics the kit knows the source of", () => {
    const known = new Set<string>([...Object.values(N), ...Object.values(HOST_METRICS), ...Object.values(SIGNER_METRICS), "up"]);
    const functions = new Set(["changes", "increase", "predict_linear", "deriv", "min_over_time", "vector", "on", "offset", "unless", "and", "or", "max", "by", "group_right"]);
    for (const r of alertRules(INPUT)) {
      const names = r.expr.replace(/"[^"]*"/g, '""').match(/\b[a-zA-Z_][a-zA-Z0-9_]*\b(?=\s*[{[(]|\s|$)/g) ?? [];
      for (const name of names.filter((n) => !functions.has(n) && !/^(job|instance|forging|role|host|fstype|[0-9].*)$/.test(n))) {
        expect(known, `${r.alert}: ${name}`).toContain(name);
      }
    }
  });
});

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-rules-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function promtool(args: readonly string[]): { status: number; output: string } {
  const result = spawnSync("promtool", args, { encoding: "utf8", cwd: dir });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

function runScenario(scenario: Scenario, name: string): { status: number; output: string } {
  const rulesFile = path.join(dir, "stakepool.yml");
  fs.writeFileSync(rulesFile, renderAlertRules(INPUT));
  const file = path.join(dir, `${name}.test.yml`);
  fs.writeFileSync(file, promtoolTestFile(scenario, rulesFile, alertRules(INPUT)));
  return promtool(["test", "rules", file]);
}

describeWith({ tools: ["promtool"] }, "the alert rules under promtool (Debian's prometheus)", () => {
  it("pass promtool check rules, with no duplicate rule", () => {
    const file = path.join(dir, "check.yml");
    fs.writeFileSync(file, renderAlertRules(INPUT));
    const { status, output } = promtool(["check", "rules", file]);
    // 21 rules, and the signer's two (the fixture's core runs one).
    expect(output).toContain("SUCCESS: 23 rules found");
    expect(alertRules({ ...INPUT, mithrilSigner: undefined })).toHaveLength(21);
    expect(status).toBe(0);
  });

  it("are each proven to fire by a scenario, and silent on the healthy pool", () => {
    const fires = new Set(SCENARIOS.flatMap((s) => s.checks.filter((c) => c.firing.length > 0).map((c) => c.alertname)));
    expect([...fires].sort()).toEqual([...ALERT_NAMES].sort());
    const healthy = SCENARIOS[0]!;
    const silent = new Set(healthy.checks.filter((c) => c.firing.length === 0).map((c) => c.alertname));
    expect([...silent].sort()).toEqual(ALERT_NAMES.filter((n) => n !== "Watchdog").sort());
  });

  SCENARIOS.forEach((scenario, index) => {
    it(scenario.title, () => {
      const { status, output } = runScenario(scenario, `scenario-${index}`);
      expect(output).toContain("SUCCESS");
      expect(status, output).toBe(0);
    });
  });

  it("fail on a wrong expectation (the tester compares for real)", () => {
    const early: Scenario = { ...SCENARIOS[1]!, checks: [{ ...SCENARIOS[1]!.checks[1]!, at: "7m" }] };
    const { status, output } = runScenario(early, "wrong");
    expect(status).not.toBe(0);
    expect(output).toContain("CardanoNodeDown");
  });
});
