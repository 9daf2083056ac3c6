/**
 * Runs a command the kit printed for a person to paste, the way a person would: in bash, in an empty
 * folder, with the program it calls (`cardano-cli`, `pulumi`) replaced by a stub that records its
 * arguments. What the stub received, and every file the command left behind, say whether the printed
 * text is shell-safe.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface ShellRun {
  /** The stub's arguments, or undefined when the stub was never called. */
  readonly argv: string[] | undefined;
  /** Files the command created in its folder (beyond the ones laid out for it). */
  readonly strayFiles: string[];
  readonly status: number | null;
  readonly stderr: string;
}

/** Files a fix may redirect from on purpose (`pulumi config set --secret … < kes.skey`). */
const LAID_OUT = ["kes.skey", "vrf.skey", "node.cert"];

export function runInBash(command: string, program: "cardano-cli" | "pulumi"): ShellRun {
  const box = fs.mkdtempSync(path.join(os.tmpdir(), "paste-"));
  try {
    const bin = path.join(box, "bin");
    const work = path.join(box, "work");
    fs.mkdirSync(bin);
    fs.mkdirSync(work);
    for (const file of LAID_OUT) fs.writeFileSync(path.join(work, file), "{}");
    const record = path.join(box, "argv");
    fs.writeFileSync(path.join(bin, program), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > "$ARGV_RECORD"\n`, { mode: 0o755 });
    const script = path.join(box, "pasted.sh");
    fs.writeFileSync(script, `${command}\n`);
    const result = spawnSync("bash", [script], {
      cwd: work,
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: box, ARGV_RECORD: record, IFS: " \t\n" },
      encoding: "utf8",
      timeout: 10_000,
    });
    const argv = fs.existsSync(record) ? fs.readFileSync(record, "utf8").split("\0").slice(0, -1) : undefined;
    const strayFiles = fs.readdirSync(work).filter((f) => !LAID_OUT.includes(f));
    return { argv, strayFiles, status: result.status, stderr: result.stderr };
  } finally {
    fs.rmSync(box, { recursive: true, force: true });
  }
}

/**
 * The `pulumi config …` commands inside a fix (prose with commands in it): each runs from `pulumi` to
 * where the prose resumes, read as shell words: an unquoted `(`, `)`, `;`, `&` or `|`, or a word ending
 * in `.` or `,`, ends it. Quoted text and `$(…)` are kept whole, as a person selecting the command would.
 */
export function commandsInFix(fix: string): string[] {
  const commands: string[] = [];
  let from = fix.indexOf("pulumi config ");
  while (from !== -1) {
    let i = from;
    let quote: "'" | '"' | undefined;
    let end = fix.length;
    for (; i < fix.length; i++) {
      const c = fix[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if (c === "\\") {
        i++; // an escaped character is part of the word
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        continue;
      }
      if (c === "$" && fix[i + 1] === "(") {
        // A command substitution is part of the word it is in: skip to its closing parenthesis.
        let depth = 0;
        for (i++; i < fix.length; i++) {
          if (fix[i] === "(") depth++;
          else if (fix[i] === ")" && --depth === 0) break;
        }
        continue;
      }
      if ("();&|".includes(c)) {
        end = i;
        break;
      }
      if ((c === "." || c === ",") && (i + 1 === fix.length || fix[i + 1] === " ")) {
        end = i;
        break;
      }
    }
    commands.push(fix.slice(from, end).trim());
    from = fix.indexOf("pulumi config ", Math.max(end, from + 1));
  }
  return commands;
}
