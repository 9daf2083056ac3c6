/** The run's output: one `PASS|FAIL|SKIP <name>` line per check, figures, and the closing count. */

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
  private readonly started = Date.now();

  constructor(private readonly out: (line: string) => void) {}

  log(line: string): void {
    this.out(line);
  }

  record(verdict: Verdict, name: string, details: readonly string[] = []): void {
    this.checks.push({ verdict, name, details });
    this.out(`${verdict} ${name}`);
    for (const detail of details) this.out(`     ${detail}`);
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
    this.figures.push(line);
  }

  get failed(): number {
    return this.checks.filter((c) => c.verdict === "FAIL").length;
  }

  summary(): void {
    const count = (v: Verdict) => this.checks.filter((c) => c.verdict === v).length;
    this.out("");
    this.out("Figures:");
    for (const figure of [...this.figures, `whole run: ${Math.round((Date.now() - this.started) / 1000)} s`]) this.out(`  ${figure}`);
    this.out("");
    for (const check of this.checks) this.out(`${check.verdict} ${check.name}`);
    const skipped = count("SKIP");
    this.out(`${count("PASS")} passed, ${count("FAIL")} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
  }
}
