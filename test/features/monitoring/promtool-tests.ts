/**
 * Builds `promtool test rules` files from scenarios: synthetic series (promtool's expanding notation,
 * `a+bxN`, `_` for a missing sample), and at given times the alerts that must fire, with every label and
 * annotation, or none. Expected annotations are the rule's templates with the series' labels and a value
 * the scenario states (never re-computed here), so a wrong template or a wrong value both fail.
 */
import * as yaml from "js-yaml";
import type { AlertName, AlertRule } from "../../../components/features/monitoring/rules";

export type Labels = Readonly<Record<string, string>>;

export interface Series {
  readonly name: string;
  readonly labels: Labels;
  readonly values: string;
}

export interface FiringAlert {
  /** The series' labels the alert keeps (the rule's expression decides which). */
  readonly labels: Labels;
  readonly severity: string;
  readonly cause?: string;
  /** `$value` as the template prints it, when an annotation uses it. */
  readonly value?: string;
}

export interface Check {
  readonly at: string;
  readonly alertname: AlertName;
  /** Empty: the alert must not fire at that time. */
  readonly firing: readonly FiringAlert[];
}

export interface Scenario {
  readonly title: string;
  /** Sample spacing of the series. */
  readonly interval: string;
  /** How often promtool evaluates the rules (the production value is 30s). */
  readonly evaluationInterval: string;
  readonly series: readonly Series[];
  readonly checks: readonly Check[];
}

function selector(s: Series): string {
  const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${s.name}{${labels.join(",")}}`;
}

function expand(template: string, labels: Labels, value: string | undefined): string {
  return template
    .replace(/\{\{ \$labels\.([A-Za-z_]+) \}\}/g, (_, name: string) => labels[name] ?? "")
    .replace(/\{\{ \$value[^}]*\}\}/g, () => {
      if (value === undefined) throw new Error(`the template ${JSON.stringify(template)} needs the scenario's value`);
      return value;
    });
}

function expectedAlert(rules: readonly AlertRule[], alertname: AlertName, alert: FiringAlert): Record<string, unknown> {
  const rule = rules.find((r) => r.alert === alertname && r.cause === alert.cause);
  if (!rule) throw new Error(`no rule ${alertname} with cause ${String(alert.cause)}`);
  const labels: Record<string, string> = { ...alert.labels, severity: alert.severity, ...(alert.cause !== undefined ? { cause: alert.cause } : {}) };
  return {
    exp_labels: labels,
    exp_annotations: { summary: expand(rule.summary, alert.labels, alert.value), description: expand(rule.description, alert.labels, alert.value) },
  };
}

/** One promtool test file for one scenario. */
export function promtoolTestFile(scenario: Scenario, rulesFile: string, rules: readonly AlertRule[]): string {
  const test = {
    name: scenario.title,
    interval: scenario.interval,
    input_series: scenario.series.map((s) => ({ series: selector(s), values: s.values })),
    alert_rule_test: scenario.checks.map((c) => ({
      eval_time: c.at,
      alertname: c.alertname,
      exp_alerts: c.firing.map((a) => expectedAlert(rules, c.alertname, a)),
    })),
  };
  return yaml.dump({ rule_files: [rulesFile], evaluation_interval: scenario.evaluationInterval, tests: [test] }, { noRefs: true, lineWidth: -1 });
}
