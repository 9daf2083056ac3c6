/**
 * cardano-cli's own help, as data: the `Usage:` block of a golden help file
 * (test/fixtures/cardano-cli-help/) parsed into the options a command accepts and the ones it
 * requires, and a check of one command line against it.
 *
 * The usage text is optparse-applicative's rendering (optparse-applicative `Options.Applicative.Help`,
 * `briefDesc`): `--flag METAVAR`, `[ … ]` optional, `( a | b )` exactly one of, juxtaposition = all
 * of. Options are matched regardless of order, as optparse-applicative does. Two limits of reading
 * the usage text instead of the parser: a repeatable option (`many`, `some`) renders like a single
 * one, so usage is checked as a set of flags; and exclusivity is checked only for alternatives that
 * are single options (`--mainnet | --testnet-magic NATURAL`), since a repeated group (relays) may mix
 * its alternatives.
 */
import fs from "node:fs";
import path from "node:path";

export type UsageNode =
  | { readonly kind: "option"; readonly flag: string; readonly metavars: readonly string[] }
  | { readonly kind: "all"; readonly items: readonly UsageNode[] }
  | { readonly kind: "optional"; readonly body: UsageNode }
  | { readonly kind: "oneOf"; readonly alternatives: readonly UsageNode[] };

export interface CommandUsage {
  /** The command words after `cardano-cli`, e.g. "latest query tip". */
  readonly command: string;
  readonly usage: UsageNode;
  /** Every option the command accepts, with the number of arguments it takes. */
  readonly options: ReadonlyMap<string, number>;
  /** What must always be given: each entry is a set of options of which one is needed. */
  readonly required: readonly (readonly string[])[];
}

export interface CliHelp {
  readonly version: string;
  readonly commands: ReadonlyMap<string, CommandUsage>;
}

const METAVAR = /^[A-Z][A-Z0-9_]*$/;
const FLAG = /^--?[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const COMMAND_WORD = /^[a-z][a-zA-Z0-9-]*$/;

/** The tokens of the `Usage:` block: from "Usage:" to the first line that holds only spaces. */
function usageTokens(helpText: string): string[] {
  const lines = helpText.split("\n");
  if (!lines[0]?.startsWith("Usage: ")) throw new Error("help text does not start with 'Usage: '");
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === "");
  const block = lines.slice(0, end === -1 ? lines.length : end).join(" ");
  return block
    .slice("Usage: ".length)
    .replace(/([[\]()|])/g, " $1 ")
    .split(/\s+/)
    .filter((t) => t !== "");
}

class TokenStream {
  private at = 0;
  constructor(private readonly tokens: readonly string[]) {}
  peek(): string | undefined {
    return this.tokens[this.at];
  }
  next(): string {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Error("usage ends early");
    return token;
  }
  expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new Error(`usage: expected '${token}', found '${got}'`);
  }
}

/** `a | b | …` up to the closing bracket: the alternatives (one when there is no `|`). */
function parseAlternatives(s: TokenStream): UsageNode[] {
  const alternatives = [parseAll(s)];
  while (s.peek() === "|") {
    s.next();
    alternatives.push(parseAll(s));
  }
  return alternatives;
}

function parseAll(s: TokenStream): UsageNode {
  const items: UsageNode[] = [];
  for (let t = s.peek(); t !== undefined && t !== "|" && t !== "]" && t !== ")"; t = s.peek()) items.push(parseItem(s));
  return items.length === 1 ? items[0]! : { kind: "all", items };
}

function parseItem(s: TokenStream): UsageNode {
  const token = s.next();
  if (token === "[") {
    const alternatives = parseAlternatives(s);
    s.expect("]");
    return { kind: "optional", body: alternatives.length === 1 ? alternatives[0]! : { kind: "oneOf", alternatives } };
  }
  if (token === "(") {
    // Kept as a group even with one alternative, so that the usage renders back as it was written.
    const alternatives = parseAlternatives(s);
    s.expect(")");
    return { kind: "oneOf", alternatives };
  }
  if (!FLAG.test(token)) throw new Error(`usage: '${token}' is neither an option nor a bracket (positional arguments are not supported)`);
  const metavars: string[] = [];
  for (let t = s.peek(); t !== undefined && METAVAR.test(t); t = s.peek()) metavars.push(s.next());
  return { kind: "option", flag: token, metavars };
}

function collectOptions(node: UsageNode, into: Map<string, number>): Map<string, number> {
  switch (node.kind) {
    case "option": {
      const known = into.get(node.flag);
      if (known !== undefined && known !== node.metavars.length) throw new Error(`usage: ${node.flag} takes ${known} and ${node.metavars.length} arguments`);
      into.set(node.flag, node.metavars.length);
      return into;
    }
    case "all":
      node.items.forEach((item) => collectOptions(item, into));
      return into;
    case "optional":
      return collectOptions(node.body, into);
    case "oneOf":
      node.alternatives.forEach((alternative) => collectOptions(alternative, into));
      return into;
  }
}

/** The options that must be given whenever `node` is (its mandatory leaves, alternatives flattened). */
function mandatoryFlags(node: UsageNode): string[] {
  switch (node.kind) {
    case "option":
      return [node.flag];
    case "all":
      return node.items.flatMap(mandatoryFlags);
    case "optional":
      return [];
    case "oneOf":
      return node.alternatives.flatMap(mandatoryFlags);
  }
}

function requiredGroups(usage: UsageNode): string[][] {
  const items = usage.kind === "all" ? usage.items : [usage];
  return items.filter((item) => item.kind !== "optional").map((item) => [...new Set(mandatoryFlags(item))]);
}

/** Parses the `Usage:` block of one help file. */
export function parseUsage(helpText: string): CommandUsage {
  const tokens = usageTokens(helpText);
  if (tokens[0] !== "cardano-cli") throw new Error(`usage of '${tokens[0]}', not cardano-cli`);
  let i = 1;
  while (i < tokens.length && COMMAND_WORD.test(tokens[i]!)) i++;
  const command = tokens.slice(1, i).join(" ");
  const s = new TokenStream(tokens.slice(i));
  const usage = parseAll(s);
  if (s.peek() !== undefined) throw new Error(`usage: unexpected '${s.peek()}'`);
  return { command, usage, options: collectOptions(usage, new Map()), required: requiredGroups(usage) };
}

/** The usage back as text, on one line: the golden text with its whitespace collapsed and brackets spaced. */
export function renderUsage(node: UsageNode): string {
  switch (node.kind) {
    case "option":
      return [node.flag, ...node.metavars].join(" ");
    case "all":
      return node.items.map(renderUsage).join(" ");
    case "optional":
      return `[ ${node.body.kind === "oneOf" ? node.body.alternatives.map(renderUsage).join(" | ") : renderUsage(node.body)} ]`;
    case "oneOf":
      return `( ${node.alternatives.map(renderUsage).join(" | ")} )`;
  }
}

/** Every `*.cli` file of one folder of test/fixtures/cardano-cli-help/. */
export function loadCliHelp(folder: string): CliHelp {
  const commands = new Map<string, CommandUsage>();
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".cli")).sort()) {
    const usage = parseUsage(fs.readFileSync(path.join(folder, file), "utf8"));
    commands.set(usage.command, usage);
  }
  return { version: path.basename(folder), commands };
}

/** One option as given on a command line, with its arguments. */
interface GivenOption {
  readonly flag: string;
  readonly values: readonly string[];
}

/** A value the docs leave to the operator: `<pool id>`, `…`. Any argument may be one. */
export function isPlaceholder(value: string): boolean {
  return value === "…" || /^<[^<>]+>$/.test(value);
}

/** Arguments whose form the help names and the check can see (others are strings or paths). */
const VALUE_FORMS: Readonly<Record<string, RegExp>> = {
  NATURAL: /^\d+$/,
  INT: /^\d+$/,
  LOVELACE: /^\d+$/,
  RATIONAL: /^(\d+(\.\d+)?|\d+\/\d+)$/,
};

function touches(node: UsageNode, used: ReadonlySet<string>): boolean {
  return [...collectOptions(node, new Map()).keys()].some((flag) => used.has(flag));
}

/** What `node` still needs, given the options used; [] when satisfied. */
function missing(node: UsageNode, used: ReadonlySet<string>): string[] {
  switch (node.kind) {
    case "option":
      return used.has(node.flag) ? [] : [node.flag];
    case "all":
      return node.items.flatMap((item) => missing(item, used));
    case "optional":
      return touches(node.body, used) ? missing(node.body, used) : [];
    case "oneOf": {
      const gaps = node.alternatives.map((alternative) => missing(alternative, used));
      if (gaps.some((gap) => gap.length === 0)) return [];
      const touched = node.alternatives.findIndex((alternative) => touches(alternative, used));
      return touched === -1 ? [node.alternatives.length === 1 ? renderUsage(node.alternatives[0]!) : `one of ${renderUsage(node)}`] : gaps[touched]!;
    }
  }
}

/** Alternatives that are single options exclude each other: `--mainnet --testnet-magic 2` is refused. */
function clashes(node: UsageNode, used: ReadonlySet<string>): string[] {
  switch (node.kind) {
    case "option":
      return [];
    case "all":
      return node.items.flatMap((item) => clashes(item, used));
    case "optional":
      return clashes(node.body, used);
    case "oneOf": {
      const inner = node.alternatives.flatMap((alternative) => clashes(alternative, used));
      if (!node.alternatives.every((a) => a.kind === "option")) return inner;
      const given = node.alternatives.flatMap((a) => (a.kind === "option" && used.has(a.flag) ? [a.flag] : []));
      return given.length > 1 ? [...inner, `${given.join(" and ")} exclude each other`] : inner;
    }
  }
}

/**
 * Problems of one command line (its words after `cardano-cli`, already split) against one version's
 * help; [] when that cardano-cli accepts it. Arguments are not checked beyond the number a flag takes
 * and the numeric forms of VALUE_FORMS; a placeholder stands for any argument.
 */
export function checkInvocation(help: CliHelp, words: readonly string[]): string[] {
  const first = words.findIndex((w) => w.startsWith("-") || isPlaceholder(w));
  const commandWords = first === -1 ? words : words.slice(0, first);
  const command = commandWords.join(" ");
  const usage = help.commands.get(command);
  if (!usage) return [`'cardano-cli ${command}' is not a command (no golden help file for it)`];

  const problems: string[] = [];
  const given: GivenOption[] = [];
  // optparse-applicative also takes a long option's argument as `--flag=value`.
  const rest = words.slice(commandWords.length).flatMap((w) => (w.startsWith("--") && w.includes("=") ? [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)] : [w]));
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === "…") {
      problems.push("'…' in place of options: write the full command");
      continue;
    }
    const arity = usage.options.get(word);
    if (arity === undefined) {
      problems.push(word.startsWith("-") ? `${word} is not an option of 'cardano-cli ${command}'` : `unexpected argument '${word}'`);
      continue;
    }
    const values = rest.slice(i + 1, i + 1 + arity);
    if (values.length < arity || values.some((v) => v.startsWith("--"))) {
      problems.push(`${word} needs ${arity} argument(s)`);
      continue;
    }
    given.push({ flag: word, values });
    i += arity;
  }

  for (const { flag, values } of given) {
    const node = findOption(usage.usage, flag);
    node?.metavars.forEach((metavar, j) => {
      const value = values[j]!;
      const form = VALUE_FORMS[metavar];
      if (form && !isPlaceholder(value) && !form.test(value)) problems.push(`${flag} ${value}: ${metavar} expected`);
    });
  }

  const used = new Set(given.map((g) => g.flag));
  for (const gap of missing(usage.usage, used)) problems.push(`'cardano-cli ${command}' needs ${gap}`);
  problems.push(...clashes(usage.usage, used));
  return problems;
}

function findOption(node: UsageNode, flag: string): Extract<UsageNode, { kind: "option" }> | undefined {
  switch (node.kind) {
    case "option":
      return node.flag === flag ? node : undefined;
    case "all":
      return node.items.map((item) => findOption(item, flag)).find((found) => found !== undefined);
    case "optional":
      return findOption(node.body, flag);
    case "oneOf":
      return node.alternatives.map((alternative) => findOption(alternative, flag)).find((found) => found !== undefined);
  }
}

/** Problems of one command line against several versions, each problem once with the versions it holds in. */
export function checkInvocationInAll(helps: readonly CliHelp[], words: readonly string[]): string[] {
  const versions = new Map<string, string[]>();
  for (const help of helps) for (const problem of checkInvocation(help, words)) versions.set(problem, [...(versions.get(problem) ?? []), help.version]);
  return [...versions].map(([problem, where]) => `${problem} (cardano-cli ${where.join(", ")})`);
}
