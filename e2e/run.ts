/**
 * `npm run e2e`: a pool in a box, on each backend. Boots the kit's core and two relays as QEMU guests
 * as AWS servers from the kit's own user data and, on a second wire once that pool is up, as an
 * operator's own servers (`stakepool:backend ssh`), runs the kit's deliveries against them over real SSH as `pulumi up` would,
 * and checks what an operator relies on. Prints `PASS|FAIL|SKIP [backend] <check>` lines and `N passed,
 * N failed`; exits non-zero on any failure. Needs root (namespaces, taps) and QEMU; elsewhere it says why
 * it cannot run.
 *
 *   npm run e2e [-- --backend aws|ssh]     one backend only (default: both, the second started once the first is up)
 *   npm run e2e -- --image                 builds the guest image (or finds it cached) and stops: .ci/run builds it
 *                                          while the unit suite runs; a run waits on the same lock and reuses it
 *
 * STAKEPOOL_E2E_KEEP=1 keeps the run's folder (disks, consoles, journals) even when every check passed.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { BACKENDS, type BackendName } from "./backends";
import { Box } from "./box";
import { ensureImage } from "./image";
import { currentKesPeriod, NETWORK } from "./pool";
import { Report } from "./report";
import { GRAFANA_RELEASE } from "../components/features/monitoring/grafana";
import { grafanaRelease, mithrilRelease, nodeRelease } from "./standin/release";
import { runScenarios } from "./scenarios";
import { runOwnServerScenarios } from "./scenarios-ssh";

const TOOLS = ["qemu-system-x86_64", "debootstrap", "ip", "ssh", "ssh-keygen", "debugfs", "mkfs.ext4", "flock", "tar", "chroot", "openssl", "curl"] as const;

export const NODE_V1 = "11.1.3-standin.1";
export const NODE_V2 = "11.1.4-standin.2";
export const MITHRIL_V = "2630.0-standin";

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function hasTool(tool: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** What this machine lacks, in words (test/helpers/requirements.ts says the same for the unit suite). */
function requirementGaps(): string[] {
  const gaps = TOOLS.filter((tool) => !hasTool(tool)).map((tool) => `the tool ${tool}`);
  if (process.getuid?.() !== 0) gaps.push("root");
  try {
    readFileSync("/dev/net/tun");
  } catch (error) {
    // EBADFD/EINVAL: the device exists and opens (reading it without a tap is an error); ENOENT/EACCES: it does not.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EPERM") gaps.push("/dev/net/tun (taps for the guests)");
  }
  return gaps;
}

/** `--backend aws|ssh`: one backend; none: both, AWS first. */
export function backendsToRun(argv: readonly string[]): BackendName[] {
  const at = argv.indexOf("--backend");
  if (at === -1) return [...BACKENDS];
  const wanted = argv[at + 1];
  if (!BACKENDS.includes(wanted as BackendName)) throw new Error(`--backend takes ${BACKENDS.join(" or ")} (got ${wanted ?? "nothing"})`);
  return [wanted as BackendName];
}

async function main(): Promise<number> {
  const gaps = requirementGaps();
  if (gaps.length > 0) {
    out(`e2e cannot run here: it needs ${gaps.join(", ")}. It boots QEMU guests (TCG, no KVM needed) on taps in network`);
    out("namespaces, as root; .ci/run installs the tools. Nothing was started.");
    return process.env.CI === "true" ? 1 : 0;
  }
  const startedAt = Date.now();
  const report = new Report(out);
  const image = await ensureImage((line) => report.log(line));
  report.figure(image.cached ? `guest image: cached (${image.dir})` : `guest image: built cold in ${image.builtSeconds} s (${image.dir})`);
  if (process.argv.includes("--image")) {
    Report.summary(out, [report], startedAt);
    return 0;
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-e2e-"));
  report.log(`run folder: ${dir}`);
  const releasesDir = path.join(dir, "releases");
  const releases = {
    node1: nodeRelease(NODE_V1, NETWORK, releasesDir),
    node2: nodeRelease(NODE_V2, NETWORK, releasesDir),
    mithril: mithrilRelease(MITHRIL_V, NETWORK, releasesDir),
    // The kit's pinned Grafana version, as a stand-in at the pinned URL's path (e2e/deploy.ts gives its SHA-256).
    grafana: grafanaRelease(GRAFANA_RELEASE, releasesDir),
  };
  for (const [name, r] of Object.entries(releases)) {
    const pinned = name === "grafana" ? "written into grafana-release.env by the harness (e2e/deploy.ts)" : "pinned in the stack";
    report.log(`stand-in release ${path.basename(r.file)}: sha256 ${r.sha256} (${pinned})`);
  }

  const now = new Date();
  const period = currentKesPeriod(now);
  const boxes = new Set<Box>();
  // Interrupted (Ctrl-C, CI timeout): stop the guests and remove the namespaces before leaving.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      out(`${signal}: stopping the guests and removing the wires`);
      void Promise.all([...boxes].map((b) => b.teardown())).finally(() => process.exit(130));
    });
  }
  const inputs = {
    node: { version: releases.node1.version, sha256: releases.node1.sha256 },
    mithril: { version: releases.mithril.version, sha256: releases.mithril.sha256 },
    peerSeed: "e2e-box-1",
    opcert: { startKesPeriod: period - 1, counter: 0 },
  };
  // One box per backend. Side by side from the start, six TCG guests booting on two cores took longer
  // than both boxes in turn (measured: 1588 s against 978 s). So the own servers' box starts once the AWS
  // box's pool is up and probed, and its boot overlaps the AWS box's waiting: 809 s (started right after
  // the AWS box's first deployment instead, its boot met the AWS nodes' setup: 882 s).
  const backends = backendsToRun(process.argv.slice(2));
  const reports = new Map(backends.map((backend) => [backend, new Report(out, backend)] as const));
  const runBox = async (backend: BackendName, onPoolUp?: () => void): Promise<void> => {
    const boxReport = reports.get(backend)!;
    boxReport.log(`the pool on ${backend === "aws" ? "AWS (servers the kit creates)" : "the operator's own servers (stakepool:backend ssh)"}`);
    let box: Box | undefined;
    try {
      box = await Box.create(path.join(dir, backend), backend, image, now, inputs, { dir: releasesDir, grafana: releases.grafana }, (line) => boxReport.log(line));
      boxes.add(box);
      if (backend === "aws") await runScenarios(box, boxReport, { node2: releases.node2, period, ...(onPoolUp ? { onPoolUp } : {}) });
      else await runOwnServerScenarios(box, boxReport);
    } catch (error) {
      boxReport.record("FAIL", "the box ran to the end", [(error as Error).stack ?? String(error)]);
    } finally {
      if (box) {
        if (boxReport.failed > 0) {
          const saved = await box.diagnostics().catch(() => []);
          for (const file of saved) boxReport.log(`journal saved: ${file}`);
        }
        await box.teardown();
        boxes.delete(box);
        // The guests' disks are large; the logs are kept when something failed (or on request).
        for (const guest of box.guestList) guest.removeDisks();
      }
    }
  };
  if (backends.length === 2) {
    let started: Promise<void> | undefined;
    const startOwn = () => (started ??= runBox("ssh"));
    await runBox("aws", () => void startOwn());
    // The AWS box ended before its pool was up: the other box runs alone.
    await startOwn();
  } else {
    await runBox(backends[0]!);
  }
  Report.summary(out, [report, ...reports.values()], startedAt);
  const failed = [...reports.values()].reduce((n, r) => n + r.failed, 0);
  if (failed === 0 && process.env.STAKEPOOL_E2E_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
  else out(`kept ${dir} (consoles, journals, services.log; the disks are removed)`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    out(`FAIL the box could not start: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
