/**
 * Tests that drive real tools (nft, ip netns, cloud-init, sshd, shellcheck, systemd-analyze, losetup)
 * need those tools and sometimes root. Outside CI a missing requirement skips the suite and says why;
 * in CI (CI=true) it fails instead, so that a green CI run means the real checks ran.
 */
import { execFileSync } from "node:child_process";
import { describe } from "vitest";

export function hasTool(tool: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

export interface Requirements {
  readonly tools?: readonly string[];
  readonly root?: boolean;
}

/** What is missing, in words; empty when everything is there. */
export function missing(req: Requirements): string[] {
  const gaps = (req.tools ?? []).filter((t) => !hasTool(t)).map((t) => `the tool ${t}`);
  if (req.root && !isRoot()) gaps.push("root");
  return gaps;
}

/**
 * `describe` that runs only when the requirements are met. Outside CI it skips with the reason in the
 * suite's name; in CI it runs anyway, so the missing tool makes the tests fail.
 */
export function describeWith(req: Requirements, name: string, body: () => void): void {
  const gaps = missing(req);
  if (gaps.length === 0 || process.env.CI === "true") {
    describe(name, body);
  } else {
    describe.skip(`${name} [skipped: needs ${gaps.join(", ")}; install them as .ci/run does]`, body);
  }
}
