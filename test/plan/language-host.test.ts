/**
 * The Pulumi CLI runs this program through ts-node, type checking included, with this repository's
 * tsconfig.json. This loads the program exactly that way (see test/helpers/pulumi-host-load.js) and
 * runs it under the plan's mocks, so a program that only works under tsx or vitest fails here.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/plan";

describe("the program under the Pulumi language host's loader", () => {
  it("type-checks and runs through ts-node with the project's TypeScript", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, "test/helpers/pulumi-host-load.js"), "preview"], { cwd: ROOT });
    const summary = JSON.parse(stdout) as { typescript: string; files: number; resources: number };
    expect(summary.typescript).toMatch(/^5\./);
    expect(summary.resources).toBeGreaterThan(30);
  });
});
