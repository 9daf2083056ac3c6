/**
 * What the kit prints for a person to paste survives a shell: every value reaches the program as one
 * argument, byte for byte, and nothing else runs. Checked by running bash.
 */
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixFor } from "../../components/config/read";
import { SETTINGS, type SettingKey } from "../../components/config/settings";
import { exampleWord, shellCommand, shellQuote } from "../../components/config/shell";
import { commandsInFix, runInBash } from "../hostile/shell-run";

/** The arguments bash passes to printf for the command line `words`. */
function argvOf(line: string): string[] {
  const out = execFileSync("bash", ["-c", `printf '%s\\0' ${line}`], { encoding: "utf8", env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent" } });
  return out.split("\0").slice(0, -1);
}

describe("shellQuote", () => {
  it("passes any text (without NUL, which no argument can hold) to the program intact, as one argument", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }).filter((s) => !s.includes("\0")), { minLength: 1, maxLength: 4 }), (words) => {
        expect(argvOf(words.map(shellQuote).join(" "))).toEqual(words);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ["$(touch pwned)"],
    ["`id`"],
    ["a;b"],
    ["a&b"],
    ["a|b"],
    ["it's"],
    ["'"],
    ["''"],
    ['"'],
    ["*"],
    ["~"],
    ["~root"],
    ["{a,b}"],
    ["$HOME"],
    ["$((6*7))"],
    ["a\nb"],
    ["<pledge in lovelace>"],
    ["!x"],
    ["#comment"],
    [""],
    ["-n"],
    ["\u202e"],
  ])("keeps %j as itself", (value) => {
    expect(argvOf(shellQuote(value))).toEqual([value]);
  });

  it("leaves plain values bare, so that commands stay readable", () => {
    for (const plain of ["stakepool:relays", "203.0.113.7/32", "https://example.com/p.json", "0.01", "relay-1.pool.example.com"]) {
      expect(shellQuote(plain)).toBe(plain);
    }
    expect(shellCommand("pulumi", "config", "rm", "stakepool:x y")).toBe("pulumi config rm 'stakepool:x y'");
  });

  it("keeps the two shell forms the kit's own examples use, and quotes every other example", () => {
    expect(exampleWord("< kes.skey")).toBe("< kes.skey");
    expect(exampleWord('"$(cat ~/.ssh/id_ed25519.pub)"')).toBe('"$(cat ~/.ssh/id_ed25519.pub)"');
    expect(exampleWord("<64 hex digits>")).toBe("'<64 hex digits>'");
    expect(exampleWord("< kes.skey; touch pwned")).toBe("'< kes.skey; touch pwned'");
    expect(exampleWord('"$(touch pwned)"')).toBe(`'"$(touch pwned)"'`);
  });
});

describe("the fix of every setting", () => {
  it.each(Object.keys(SETTINGS) as SettingKey[])("%s: pasted into bash, runs pulumi config with its words intact and creates nothing", (key) => {
    const commands = commandsInFix(fixFor(key));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const run = runInBash(command, "pulumi");
      expect(run.strayFiles, command).toEqual([]);
      expect(run.argv, `${command}: ${run.stderr}`).toBeDefined();
      expect(run.argv!.slice(0, 2)).toEqual(["config", "set"]);
      expect(run.argv!.some((a) => a.startsWith(`stakepool:${key}`))).toBe(true);
    }
  });
});
