/**
 * What the box checks on the operator's own servers (`stakepool:backend ssh`): servers that exist before
 * the kit, reached as their provider set them up (their own login user, relay-1's sshd on 2222, no
 * instance metadata, a disk named by its serial), a first contact that refuses a server unlike the one
 * the stack declares before anything reaches it, then the same pool as on AWS: units, metrics, hot keys,
 * who reaches what, and a second `pulumi up` that delivers nothing. This pool also runs the monitoring host
 * and the Mithril signer: the monitoring host scrapes every guest and its alerts leave over HTTPS, the
 * signer reaches its aggregator only through the relay's proxy. The changes during a pool's life are the
 * same commands on both backends; the AWS box runs them.
 */
import { DATA_MOUNT } from "../components/node/paths";
import { IMDS_ADDRESS } from "./network";
import { OWN_SERVER_MEMORY_GIB, OWN_SERVER_USER } from "./backends";
import type { Box } from "./box";
import { bootPool, HOT_KEYS_ON_CORE, keysCheck, metricsCheck, METRICS_SERVED, probeChecks, ran, unitsCheck, UNITS_ACTIVE, waitPoolRunning } from "./checks";
import { ALERTS_REACH_OPERATOR, alertsCheck, GRAFANA_THROUGH_TUNNEL, grafanaCheck, SCRAPES_EVERY_GUEST, scrapesCheck, SIGNER_THROUGH_PROXY, signerCheck } from "./checks-monitoring";
import type { BoxServer } from "./pool";
import type { Report } from "./report";
import { readFileSync } from "node:fs";
import path from "node:path";

/** The servers with one of them declared larger than it is. */
function declaring(servers: readonly BoxServer[], name: string, memoryGiB: number): BoxServer[] {
  return servers.map((s) => (s.name === name ? { ...s, memoryGiB } : s));
}

export async function runOwnServerScenarios(box: Box, report: Report): Promise<void> {
  const { model } = box.pool;
  const relays = model.relays.map((r) => r.name);
  const servers = box.inputs.servers!;

  // --- the servers, as their provider hands them over ----------------------------------------------
  report.log(`booting every server as its provider hands it over (login ${OWN_SERVER_USER}, its host key, ${OWN_SERVER_MEMORY_GIB} GiB for the node servers, relay-1's sshd on 2222; no user data of the kit, no instance metadata), 1 vCPU, TCG`);
  const reachable = await bootPool(box, report);

  // --- first contact refuses a server unlike the declared one, before anything reaches it -----------
  // The relay: the core is reached through it, so the whole deployment waits for it.
  const wrong = relays[0]!;
  const overstated = OWN_SERVER_MEMORY_GIB * 2;
  await report.check(`first contact: ${wrong} declared with ${overstated} GiB (it has ${OWN_SERVER_MEMORY_GIB}) is refused with the reason; nothing reaches it, nor the hosts behind it`, async () => {
    const attempt = await box.deploy({ servers: declaring(servers, wrong, overstated) });
    const problems: string[] = [];
    const check = attempt.runs.find((r) => r.key === `${wrong}/up`);
    const said = `${check?.result?.stderr ?? ""}${check?.result?.stdout ?? ""}`.trim();
    if (check?.outcome !== "failed") problems.push(`${wrong}/up: ${check?.outcome ?? "missing"}, expected failed`);
    else if (!said.includes("memoryGiB") || !said.includes(`${overstated} GiB`)) problems.push(`${wrong}/up failed without naming memoryGiB: ${said}`);
    const ranAnyway = attempt.runs.filter((r) => r.key !== `${wrong}/up` && r.outcome !== "skipped").map((r) => `${r.key}: ${r.outcome}`);
    if (ranAnyway.length > 0) problems.push(`commands that were not held back: ${ranAnyway.join(", ")}`);
    for (const name of [wrong, ...model.hosts.filter((h) => h.role !== "relay").map((h) => h.name)]) {
      const untouched = await box.mustSh(name, `ls -d /etc/stakepool ${DATA_MOUNT} 2>/dev/null; nft list tables 2>/dev/null | grep -c stakepool || true; getent passwd cardano || true`);
      if (untouched.trim() !== "0") problems.push(`${name} was changed: ${untouched.trim().replace(/\n/g, " | ")}`);
    }
    return { problems, facts: [`${wrong}/up said: ${said.split("\n").slice(-1)[0] ?? ""}`, `skipped: ${attempt.runs.filter((r) => r.outcome === "skipped").length} of ${attempt.runs.length - 1} other commands`] };
  });

  report.log("the stack corrected: the first deployment");
  const first = await box.deploy({ servers });
  const problems = first.runs.filter((r) => r.outcome !== "ran").map((r) => `${r.key}: ${r.outcome}`);
  const deployed = report.expect(`the corrected stack runs every command, the first contacts first`, problems, [
    `${first.runs.length} commands; ${wrong} reached on port ${model.hosts.find((h) => h.name === wrong)!.login.port}, the core through it (ProxyJump), as ${OWN_SERVER_USER}`,
  ]);
  if (!(await waitPoolRunning(box, report, reachable, deployed))) return;

  await report.checkAll([
    [UNITS_ACTIVE, () => unitsCheck(box)],
    [METRICS_SERVED, () => metricsCheck(box)],
    [HOT_KEYS_ON_CORE, () => keysCheck(box)],
    [
      "the chain database is on the disk each server declares (dataDevice), and no server asked for instance metadata",
      async () => {
        const problems: string[] = [];
        const facts: string[] = [];
        await Promise.all(
          servers.map(async (server) => {
            if (server.dataDevice === undefined) return;
            const out = await box.mustSh(server.name, `readlink -f ${server.dataDevice}; findmnt -n -o SOURCE,FSTYPE ${DATA_MOUNT}`);
            const [device, mount] = out.trim().split("\n");
            const [source, fstype] = (mount ?? "").split(/\s+/);
            if (!device || source !== device) problems.push(`${server.name}: ${DATA_MOUNT} is on ${source ?? "nothing"}, ${server.dataDevice} is ${device ?? "?"}`);
            facts.push(`${server.name}: ${DATA_MOUNT} on ${source ?? "?"} (${fstype ?? "?"}) = ${server.dataDevice}`);
          }),
        );
        const log = readFileSync(path.join(box.dir, "services.log"), "utf8").split("\n");
        const asked = log.filter((line) => line.includes(`://${IMDS_ADDRESS}/`));
        if (asked.length > 0) problems.push(`instance metadata was asked for ${asked.length} times: ${asked.slice(0, 3).join(" | ")}`);
        facts.push(`requests for instance metadata: ${asked.length}`);
        return { problems, facts: facts.sort() };
      },
    ],
    // The monitoring host and the signer (this box's pool runs both; e2e/checks-monitoring.ts).
    [SCRAPES_EVERY_GUEST, () => scrapesCheck(box)],
    [GRAFANA_THROUGH_TUNNEL, () => grafanaCheck(box)],
    [ALERTS_REACH_OPERATOR, () => alertsCheck(box)],
    [SIGNER_THROUGH_PROXY, () => signerCheck(box)],
    [
      `sshd lets in only each server's own login user (${OWN_SERVER_USER}), on the server's own port`,
      async () => {
        const problems: string[] = [];
        const facts: string[] = [];
        await Promise.all(
          model.hosts.map(async (host) => {
            const out = await box.mustSh(host.name, "sshd -T | grep -E '^(port|allowusers|passwordauthentication|permitrootlogin) ' | sort");
            const settings = new Map(out.trim().split("\n").map((l) => l.split(" ") as [string, string]));
            const want: [string, string][] = [["port", String(host.login.port)], ["allowusers", OWN_SERVER_USER], ["passwordauthentication", "no"], ["permitrootlogin", "no"]];
            for (const [key, value] of want) if (settings.get(key) !== value) problems.push(`${host.name}: sshd ${key} ${settings.get(key) ?? "unset"}, expected ${value}`);
            facts.push(`${host.name}: ${out.trim().replace(/\n/g, ", ")}`);
          }),
        );
        return { problems, facts: facts.sort() };
      },
    ],
  ]);

  await probeChecks(box, report);

  await report.check("re-running an unchanged pool delivers nothing (the first contacts included)", async () => {
    const again = await box.deploy();
    return { problems: ran(again.runs).map((key) => `${key} ran again`), facts: [`${again.runs.length} steps, all unchanged`] };
  });
}
