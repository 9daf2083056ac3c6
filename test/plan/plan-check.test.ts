/** The committed plans are checked against fresh ones, naming the stack that drifted. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/plan";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

async function check(plans: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [path.join(ROOT, "cli/plan-check.ts"), "--plans", plans], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run plan:check", () => {
  it("passes on the committed plans and names the stack whose plan drifted", async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "plans-"));
    for (const f of fs.readdirSync(path.join(ROOT, "plans"))) fs.copyFileSync(path.join(ROOT, "plans", f), path.join(copy, f));
    const clean = await check(copy);
    expect(clean.code, clean.stderr).toBe(0);

    const preprod = path.join(copy, "preprod.md");
    fs.writeFileSync(preprod, fs.readFileSync(preprod, "utf8").replace("| relay-2 |", "| relay-9 |"));
    const drifted = await check(copy);
    expect(drifted.code).toBe(1);
    expect(drifted.stderr).toContain("plans/preprod.md differs from a fresh plan of stack preprod");
    expect(drifted.stderr).toContain("relay-9");
    expect(drifted.stderr).toContain("Stale plans: preprod.");
    expect(drifted.stderr).not.toContain("plans/preview.md");
  });
});
