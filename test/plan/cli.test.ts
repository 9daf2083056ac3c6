/** `npm run plan` as an operator runs it. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planCli } from "../helpers/plan";

describe("npm run plan", () => {
  it("prints the plan and writes every file of the contract to --out", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const { code, stdout } = await planCli(["--stack", "preview", "--out", out]);
    expect(code).toBe(0);
    expect(stdout).toContain("# Plan of stack `preview`");
    for (const file of ["hosts.json", "resources.json", "plan.md", "hosts/core/cloud-init.yaml", "hosts/relay-2/cloud-init.yaml"]) {
      expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    }
    expect(fs.readFileSync(path.join(out, "plan.md"), "utf8")).toBe(stdout.slice(0, stdout.indexOf("\nWrote ")));
  });

  it("refuses an unknown stack, naming the ones that exist, and writes nothing", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "x");
    const { code, stderr } = await planCli(["--stack", "nosuch", "--out", out]);
    expect(code).toBe(1);
    expect(stderr).toContain("stacks/Pulumi.nosuch.yaml: does not exist");
    expect(stderr).toContain("mainnet, preprod, preview");
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(out)).toBe(false);
  });

  it("refuses what pulumi preview would refuse, before running the program, and writes nothing", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "x");
    // `--config` sets plain text, as `pulumi preview -c` does; Pulumi.yaml declares relays an integer.
    const { code, stderr } = await planCli(["--stack", "preview", "--out", out, "--config", "stakepool:relays=2.5"]);
    expect(code).toBe(1);
    expect(stderr).toContain("stacks/Pulumi.preview.yaml: stakepool:relays: the Pulumi CLI refuses it before the program runs: Stack 'preview' with configuration key 'relays' must be of type 'integer'");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("prints what the operator typed escaped, never a terminal escape or a bidi control", async () => {
    const unknown = await planCli(["--stack", "preview", "--x\u001b[2J"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--x\\u{1B}[2J'");
    const config = await planCli(["--stack", "preview", "--config", "a\u202e"]);
    expect(config.stderr).toContain('--config takes key=value (got "a\\u{202E}")');
  });

  it("asks for --stack", async () => {
    const { code, stderr } = await planCli([]);
    expect(code).toBe(2);
    expect(stderr).toContain("usage: npm run plan -- --stack");
  });
});
