/**
 * Operator mistakes are reported as problems (which setting, what is wrong, how to fix it), collected
 * all at once, and raised before any resource is created. Warnings are advice that does not block.
 * Problems quote config (a setting's name, a value), so they are printed through `printable`: a control,
 * bidirectional or invisible character from a stack file reaches the terminal escaped, never raw.
 */
import { printable } from "./text";

export interface Problem {
  /** The setting at fault, e.g. `stakepool:relays`; or the file or input at fault. */
  readonly setting: string;
  readonly message: string;
  /** A concrete next step, usually a `pulumi config set` command. */
  readonly fix: string;
}

export interface Warning {
  readonly setting: string;
  readonly message: string;
}

/** Raised for operator mistakes; the program and the plan print it without a stack trace. */
export class ConfigurationError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.name = "ConfigurationError";
    this.problems = problems;
  }
}

export function formatProblems(problems: readonly Problem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = [`The stack configuration has ${count}; nothing was created or changed:`];
  for (const p of problems) {
    lines.push(`  - ${printable(p.setting)}: ${printable(p.message)}`);
    lines.push(`    Fix: ${printable(p.fix)}`);
  }
  return lines.join("\n");
}

export function formatWarning(w: Warning): string {
  return `${printable(w.setting)}: ${printable(w.message)}`;
}

/** Accumulates problems and warnings while a piece of input is checked. */
export class Findings {
  readonly problems: Problem[] = [];
  readonly warnings: Warning[] = [];

  problem(setting: string, message: string, fix: string): void {
    this.problems.push({ setting, message, fix });
  }

  warn(setting: string, message: string): void {
    this.warnings.push({ setting, message });
  }

  absorb(other: { readonly problems: readonly Problem[]; readonly warnings: readonly Warning[] }): void {
    this.problems.push(...other.problems);
    this.warnings.push(...other.warnings);
  }

  /** Throws a ConfigurationError if any problem was found. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new ConfigurationError(this.problems);
  }
}
