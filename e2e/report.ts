/**
 * The run's output: one `PASS|FAIL|SKIP <name>` line per check, figures, and the closing count. Each box
 * (one per backend, running side by side) has its own report, whose lines say which box they are about.
 */

export type Verdict = "PASS" | "FAIL" | "SKIP";

export type CheckBody = () => Promise<{ problems: string[]; facts?: string[] }>;

export interface CheckLine {
  readonly verdict: Verdict;
  readonly name: string;
  readonly details: readonly string[];
}

export class Report {
  readonly checks: CheckLine[] = [];
  readonly figures: string[] = [];
  /** `[aws] ` or `[ssh] `: which backend's box this report's lines are about (none: the whole run). */
  private readonly prefix: string;

  constructor(private readonly out: (line: string) => void, backend?: string) {
    this.prefix = backend === undefined ? "" : `[${backend}] `;
  }

  log(line: string): void {
    this.out(line.split("\n").map((l) => `${this.prefix}${l}`).join("\n"));
  }

  record(verdict: Verdict, check: string, details: readonly string[] = []): void {
    const name = `${this.prefix}${check}`;
    this.checks.push({ verdict, name, details });
    this.out(`${verdict} ${name}`);
    for (const detail of details) this.out(`     ${this.prefix}${detail}`);
  }

  /** PASS when `problems` is empty, FAIL listing them otherwise; `facts` are printed either way. */
  expect(name: string, problems: readonly string[], facts: readonly string[] = []): boolean {
    this.record(problems.length === 0 ? "PASS" : "FAIL", name, [...problems, ...facts]);
    return problems.length === 0;
  }

  /** Runs a check; an exception is its failure. The time it took is printed with its facts. */
  async check(name: string, body: CheckBody): Promise<boolean> {
    const [result] = await this.settle([[name, body]]);
    return result!;
  }

  /** Runs independent checks at once; their lines are printed in the order given. */
  async checkAll(checks: readonly (readonly [string, CheckBody])[]): Promise<boolean[]> {
    return this.settle(checks);
  }

  private async settle(checks: readonly (readonly [string, CheckBody])[]): Promise<boolean[]> {
    const outcomes = await Promise.all(
      checks.map(async ([, body]) => {
        const started = Date.now();
        try {
          const { problems, facts } = await body();
          return { problems, facts: [...(facts ?? []), `(${Math.round((Date.now() - started) / 1000)} s)`] };
        } catch (error) {
          return { problems: [`could not run: ${(error as Error).message}`], facts: [] };
        }
      }),
    );
    return checks.map(([name], i) => this.expect(name, outcomes[i]!.problems, outcomes[i]!.facts));
  }

  figure(line: string): void {
    this.figures.push(`${this.prefix}${line}`);
  }

  get failed(): number {
    return this.checks.filter((c) => c.verdict === "FAIL").length;
  }

  /** The figures, every check again and the closing count, over the reports of a whole run. */
  static summary(out: (line: string) => void, reports: readonly Report[], startedAt: number): void {
    const checks = reports.flatMap((r) => r.checks);
    const count = (v: Verdict) => checks.filter((c) => c.verdict === v).length;
    out("");
    out("Figures:");
    for (const figure of [...reports.flatMap((r) => r.figures), `whole run: ${Math.round((Date.now() - startedAt) / 1000)} s`]) out(`  ${figure}`);
    out("");
    for (const check of checks) out(`${check.verdict} ${check.name}`);
    const skipped = count("SKIP");
    out(`${count("PASS")} passed, ${count("FAIL")} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
  }
}
