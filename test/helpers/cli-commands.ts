/**
 * Finds the cardano-cli command lines an operator would copy from a document: in fenced code blocks
 * (lines continued with `\` joined) and in code spans, including `sudo -u cardano /…/bin/cardano-cli`.
 * A command runs to the end of its line or span, or to a shell operator (`;`, `|`, `&`, `>`, `#`).
 */

export interface CliCommandLine {
  /** Line of the document where the command starts (1-based). */
  readonly line: number;
  /** The command as written, from `cardano-cli` on, on one line. */
  readonly text: string;
  /** Its words after `cardano-cli`. */
  readonly words: readonly string[];
}

export interface DocumentCommands {
  readonly commands: readonly CliCommandLine[];
  /** `cardano-cli <command>` written in prose, outside code: a command nobody can copy as written. */
  readonly prose: readonly { readonly line: number; readonly text: string }[];
}

const CLI = /(?:^|(?<=[\s/]))cardano-cli(?=\s|$)/g;
const TERMINATORS = new Set([";", "|", "&", ">", ")"]);

/**
 * Shell words of `text` from `start`: whitespace splits, quotes group, a `<placeholder with spaces>`
 * is one word; stops at a shell operator or a comment. Returns the words and where they end.
 */
export function shellWords(text: string, start = 0): { words: string[]; end: number } {
  const words: string[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (TERMINATORS.has(c) || c === "#" || (c === "<" && /\s/.test(text[i + 1] ?? " "))) break;
    let word = "";
    while (i < text.length && !/\s/.test(text[i]!) && !TERMINATORS.has(text[i]!)) {
      const d = text[i]!;
      if (d === "'" || d === '"') {
        const close = text.indexOf(d, i + 1);
        if (close === -1) throw new Error(`unclosed ${d} in: ${text}`);
        word += text.slice(i + 1, close);
        i = close + 1;
      } else if (d === "<" && (word === "" || word.endsWith("="))) {
        const close = text.indexOf(">", i + 1);
        if (close === -1) throw new Error(`unclosed < in: ${text}`);
        word += text.slice(i, close + 1);
        i = close + 1;
      } else {
        word += d;
        i++;
      }
    }
    words.push(word);
  }
  return { words, end: i };
}

/** The cardano-cli commands of one logical shell line (continuations already joined). */
function commandsInLine(text: string, line: number): CliCommandLine[] {
  const found: CliCommandLine[] = [];
  let from = 0;
  for (;;) {
    CLI.lastIndex = from;
    const match = CLI.exec(text);
    if (!match) return found;
    const start = match.index + "cardano-cli".length;
    const { words, end } = shellWords(text, start);
    // A bare `cardano-cli` names the tool; it is no command.
    if (words.length > 0) found.push({ line, text: text.slice(match.index, end).trim().replace(/\s+/g, " "), words });
    from = Math.max(end, start);
  }
}

/** The cardano-cli commands of shell text (a code block's lines), `\`-continued lines joined. */
export function commandsInShell(text: string, firstLine = 1): CliCommandLine[] {
  const lines = text.split("\n");
  const found: CliCommandLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i]!;
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) logical = logical.replace(/\\\s*$/, " ") + lines[++i]!;
    found.push(...commandsInLine(logical, firstLine + start));
  }
  return found;
}

const FENCE = /^\s*```/;
const SPAN = /`([^`]+)`/g;
const PROSE_COMMAND = /\bcardano-cli\s+(?:latest|conway|legacy|query|node|stake-pool|stake-address|address|transaction|key|governance|genesis|text-view|debug|compatible)\b/g;

/** Every cardano-cli command of a markdown document, and the ones written in prose. */
export function commandsInMarkdown(markdown: string): DocumentCommands {
  const lines = markdown.split("\n");
  const commands: CliCommandLine[] = [];
  // Fenced blocks first; their lines are then blanked so spans and prose see only the rest.
  const outside = [...lines];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i]!)) continue;
    const open = i;
    let close = open + 1;
    while (close < lines.length && !FENCE.test(lines[close]!)) close++;
    commands.push(...commandsInShell(lines.slice(open + 1, close).join("\n"), open + 2));
    for (let j = open; j <= close && j < lines.length; j++) outside[j] = "";
    i = close;
  }
  const text = outside.join("\n");
  const lineAt = (index: number): number => text.slice(0, index).split("\n").length;
  for (const span of text.matchAll(SPAN)) commands.push(...commandsInLine(span[1]!.replace(/\n/g, " "), lineAt(span.index)));
  const prose = [...text.replace(SPAN, (s) => s.replace(/[^\n]/g, " ")).matchAll(PROSE_COMMAND)].map((m) => ({ line: lineAt(m.index), text: m[0] }));
  return { commands: commands.sort((a, b) => a.line - b.line), prose };
}
