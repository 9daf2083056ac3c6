/**
 * Tests that drive real tools (nft, ip netns, cloud-init, sshd, shellcheck, systemd-analyze, losetup)
 * need those tools, sometimes root, and sometimes a capability that a confined root may lack. Outside CI
 * a missing requirement skips the suite and says why; in CI (CI=true) it fails instead, so that a green
 * CI run means the real checks ran.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
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

/** Capability numbers from linux/capability.h, for the capabilities tests ask for. */
const CAPABILITY_BITS = { CAP_SYS_ADMIN: 21, CAP_SYS_RESOURCE: 24 } as const;
export type Capability = keyof typeof CAPABILITY_BITS;

/** Whether this process holds the capability (its effective set, CapEff in /proc/self/status). */
export function hasCapability(capability: Capability): boolean {
  let status: string;
  try {
    status = readFileSync("/proc/self/status", "utf8");
  } catch {
    return false;
  }
  const line = status.match(/^CapEff:\s*([0-9a-f]+)$/m);
  return line !== null && ((BigInt(`0x${line[1]}`) >> BigInt(CAPABILITY_BITS[capability])) & 1n) === 1n;
}

export interface Requirements {
  readonly tools?: readonly string[];
  readonly root?: boolean;
  /** e.g. CAP_SYS_RESOURCE, which the kernel asks of an online ext4 resize even from root. */
  readonly capabilities?: readonly Capability[];
  /**
   * Where the same behaviour is proven when this machine cannot (e.g. the VM run, whose guests hold
   * every capability). With it, a missing capability skips in CI too, naming that place; a missing
   * tool or root still fails CI.
   */
  readonly provenElsewhere?: string;
}

/** What is missing, in words; empty when everything is there. */
export function missing(req: Requirements): string[] {
  const gaps = (req.tools ?? []).filter((t) => !hasTool(t)).map((t) => `the tool ${t}`);
  if (req.root && !isRoot()) gaps.push("root");
  gaps.push(...(req.capabilities ?? []).filter((c) => !hasCapability(c)).map((c) => `the capability ${c}`));
  return gaps;
}

/**
 * `describe` that runs only when the requirements are met. Outside CI it skips with the reason in the
 * suite's name; in CI it runs anyway, so the missing tool makes the tests fail.
 */
export function describeWith(req: Requirements, name: string, body: () => void): void {
  const gaps = missing(req);
  const onlyCapabilities = gaps.length > 0 && gaps.every((g) => g.startsWith("the capability"));
  if (onlyCapabilities && req.provenElsewhere !== undefined) {
    describe.skip(`${name} [skipped: needs ${gaps.join(", ")}; proven by ${req.provenElsewhere}]`, body);
    return;
  }
  if (gaps.length === 0 || process.env.CI === "true") {
    describe(name, body);
  } else {
    const hint = gaps.some((g) => g.startsWith("the tool")) ? "install them as .ci/run does" : "run as a root that holds them";
    describe.skip(`${name} [skipped: needs ${gaps.join(", ")}; ${hint}]`, body);
  }
}
