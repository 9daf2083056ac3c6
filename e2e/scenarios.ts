/**
 * What the box checks, in order: the first deployment and boot, then each change an operator makes
 * during a pool's life. Each check prints one PASS/FAIL/SKIP line with the facts behind it.
 */
import { kitScript } from "../components/node/paths";
import { NODE_HEALTHY_SECONDS } from "../components/node/env-file";
import type { Box } from "./box";
import { bootPool, HOT_KEYS_ON_CORE, keysCheck, metricsCheck, metricsOf, METRICS_SERVED, MINUTE, probeChecks, ran, sameList, seconds, unitsCheck, UNITS_ACTIVE, waitPoolRunning } from "./checks";
import { must, ADMIN } from "./network";
import type { Report } from "./report";
import type { Tarball } from "./standin/release";

interface Extra {
  readonly node2: Tarball;
  readonly period: number;
  /**
   * Called once the pool is up and its reach probed: the changes that follow are mostly waiting (nodes
   * staying up before the rollout moves on, SIGHUPs), so another box may boot its guests then.
   */
  readonly onPoolUp?: () => void;
}

/** Polls until the node's handled SIGHUPs reach `count` (or the time is up), then returns the state. */
async function waitSighups(box: Box, host: string, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let state = await box.nodeState(host);
  while (state.sighups < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 3000));
    state = await box.nodeState(host);
  }
  return state;
}

/** When the host's node was last started, on this machine's clock (from the guest's monotonic clock). */
async function startedAt(box: Box, host: string): Promise<number> {
  const asked = Date.now();
  const out = await box.mustSh(host, "cut -d' ' -f1 /proc/uptime; systemctl show -p ExecMainStartTimestampMonotonic --value cardano-node");
  const [uptime, started] = out.trim().split("\n").map(Number);
  return asked - (uptime! * 1000 - started! / 1000);
}

export async function runScenarios(box: Box, report: Report, extra: Extra): Promise<void> {
  const { model } = box.pool;
  const core = model.core.name;
  const relays = model.relays.map((r) => r.name);
  const names = model.hosts.map((h) => h.name);

  // --- boot and first deployment ---------------------------------------------------------------
  report.log("booting every server from the kit's gzipped user data (NoCloud seed), 1 vCPU and 1 GiB each, TCG");
  const reachable = await bootPool(box, report);

  report.log("first deployment: every step of every host over SSH, in the deployment's order");
  const first = await box.deploy({}, (rewrites) => {
    for (const r of rewrites) report.log(`  harness changed ${r.host}:${r.file} ${r.setting}: ${r.from} -> ${r.to} (the guests have no route to github.com)`);
    report.log("  (MITHRIL_AGGREGATOR is left as it is: the stand-in mithril-client never contacts it)");
  });
  const failedSteps = first.runs.filter((r) => r.outcome !== "ran");
  const deployed = report.expect(
    "first deployment: every step ran over SSH (relays directly, the core through relay-1, host keys pinned)",
    failedSteps.map((r) => `${r.key}: ${r.outcome}`),
    [`${first.runs.length} steps in ${seconds(Math.max(...first.runs.map((r) => r.endedAt)) - Math.min(...first.runs.map((r) => r.startedAt)))}`],
  );
  if (!(await waitPoolRunning(box, report, reachable, deployed))) return;

  // Read-only checks of the running pool, at once (printed in this order).
  await report.checkAll([
    [
      "cloud-init finished on every server (status done, host name from the user data)",
      async () => {
        const problems: string[] = [];
        const facts: string[] = [];
        await Promise.all(
          names.map(async (name) => {
            const out = await box.mustSh(name, "cloud-init status --long | sed -n 's/^status: //p'; hostname; systemd-analyze | head -n 1");
            const [status, host, boot] = out.trim().split("\n");
            if (status !== "done") problems.push(`${name}: cloud-init status ${status ?? "?"}`);
            if (host !== box.guest(name).spec.hostname) problems.push(`${name}: host name ${host ?? "?"}, expected ${box.guest(name).spec.hostname}`);
            facts.push(`${name}: ${status ?? "?"}, ${host ?? "?"}; ${boot ?? ""}`);
          }),
        );
        return { problems, facts: facts.sort() };
      },
    ],
    [UNITS_ACTIVE, () => unitsCheck(box)],
    [METRICS_SERVED, () => metricsCheck(box)],
    [HOT_KEYS_ON_CORE, () => keysCheck(box)],
  ]);

  // --- who reaches what --------------------------------------------------------------------------
  await probeChecks(box, report);
  extra.onPoolUp?.();

  await report.check("re-running an unchanged pool delivers nothing", async () => {
    const again = await box.deploy();
    return { problems: ran(again.runs).map((key) => `${key} ran again`), facts: [`${again.runs.length} steps, all unchanged`] };
  });

  // --- a KES rotation -------------------------------------------------------------------------------
  await report.check("a KES rotation (new opcert, later start period) reaches the core as one SIGHUP, no restart", async () => {
    const before = await box.nodeState(core);
    const relaysBefore = await Promise.all(relays.map((r) => box.nodeState(r)));
    const rotation = await box.deploy({ opcert: { startKesPeriod: extra.period, counter: 1 } });
    const problems: string[] = [];
    if (!sameList(ran(rotation.runs), [`${core}/keys`])) problems.push(`steps run: ${ran(rotation.runs).join(", ") || "none"}, expected core/keys only`);
    const after = await waitSighups(box, core, before.sighups + 1, MINUTE);
    await new Promise((r) => setTimeout(r, 5000));
    const settled = await box.nodeState(core);
    if (settled.sighups !== before.sighups + 1) problems.push(`core handled ${settled.sighups - before.sighups} SIGHUPs, expected 1`);
    if (settled.mainPid !== before.mainPid || settled.restarts !== before.restarts) problems.push(`core node restarted (pid ${before.mainPid} -> ${settled.mainPid})`);
    const metrics = await metricsOf(box, core);
    const start = metrics.get("cardano_node_metrics_operationalCertificateStartKESPeriod_int");
    if (start !== extra.period) problems.push(`the node forges with an opcert from period ${String(start)}, expected ${extra.period}`);
    const relaysAfter = await Promise.all(relays.map((r) => box.nodeState(r)));
    relays.forEach((r, i) => {
      if (relaysAfter[i]!.sighups !== relaysBefore[i]!.sighups) problems.push(`${r} was signalled`);
    });
    return { problems, facts: [`core pid ${before.mainPid} -> ${after.mainPid}; SIGHUPs ${before.sighups} -> ${settled.sighups}; opcert start period ${extra.period - 1} -> ${String(start)}`] };
  });

  // --- a topology change ---------------------------------------------------------------------------------
  await report.check("a topology change (another peerSeed) reaches the relays as one SIGHUP each, the core untouched, no restart", async () => {
    const before = new Map(await Promise.all(names.map(async (n) => [n, await box.nodeState(n)] as const)));
    const topologyBefore = await box.mustSh(relays[0]!, "sha256sum /etc/cardano/topology.json");
    const change = await box.deploy({ peerSeed: "e2e-box-2" });
    const problems: string[] = [];
    const expected = relays.map((r) => `${r}/topology`);
    if (!sameList(ran(change.runs), expected)) problems.push(`steps run: ${ran(change.runs).join(", ") || "none"}, expected ${expected.join(", ")}`);
    for (const relay of relays) await waitSighups(box, relay, before.get(relay)!.sighups + 1, MINUTE);
    await new Promise((r) => setTimeout(r, 5000));
    const facts: string[] = [];
    for (const name of names) {
      const now = await box.nodeState(name);
      const was = before.get(name)!;
      const want = name === core ? 0 : 1;
      if (now.sighups - was.sighups !== want) problems.push(`${name} handled ${now.sighups - was.sighups} SIGHUPs, expected ${want}`);
      if (now.mainPid !== was.mainPid) problems.push(`${name} restarted`);
      facts.push(`${name}: SIGHUPs +${now.sighups - was.sighups}, pid ${now.mainPid === was.mainPid ? "unchanged" : "changed"}`);
    }
    const topologyAfter = await box.mustSh(relays[0]!, "sha256sum /etc/cardano/topology.json");
    if (topologyAfter === topologyBefore) problems.push(`${relays[0]!}: the topology did not change`);
    const refused = await box.mustSh(relays[0]!, "journalctl -b -u cardano-node -o cat --no-pager | grep -c 'refused' || true");
    if (Number(refused.trim()) > 0) problems.push(`${relays[0]!}: the node refused a file (journalctl -u cardano-node)`);
    return { problems, facts };
  });

  // --- a release upgrade ---------------------------------------------------------------------------------
  await report.check(`a release upgrade (${box.inputs.node.version} -> ${extra.node2.version}) restarts the relays one at a time, then the core`, async () => {
    const before = new Map(await Promise.all(names.map(async (n) => [n, await box.nodeState(n)] as const)));
    const began = Date.now();
    const upgrade = await box.deploy({ node: { version: extra.node2.version, sha256: extra.node2.sha256 } });
    const problems: string[] = [];
    const expected = names.map((n) => `${n}/node`);
    if (!sameList(ran(upgrade.runs), expected)) problems.push(`steps run: ${ran(upgrade.runs).join(", ") || "none"}, expected ${expected.join(", ")}`);
    const order = box.pool.model.relays.map((r) => r.name).concat(core);
    const restarts: { name: string; at: number }[] = [];
    for (const name of order) {
      const now = await box.nodeState(name);
      if (now.mainPid === before.get(name)!.mainPid) problems.push(`${name}: the node was not restarted`);
      if (now.release !== extra.node2.version || now.active !== "active") problems.push(`${name}: ${now.active}, release ${now.release}`);
      restarts.push({ name, at: await startedAt(box, name) });
    }
    for (let i = 1; i < restarts.length; i++) {
      const gap = (restarts[i]!.at - restarts[i - 1]!.at) / 1000;
      // Each host waits until the one before it stayed up NODE_HEALTHY_SECONDS (a second of clock slack).
      if (gap < NODE_HEALTHY_SECONDS - 1) problems.push(`${restarts[i]!.name} restarted ${gap.toFixed(1)} s after ${restarts[i - 1]!.name}, before it had stayed up ${NODE_HEALTHY_SECONDS} s`);
    }
    return { problems, facts: [`restarts after the upgrade began: ${restarts.map((r) => `${r.name} +${((r.at - began) / 1000).toFixed(1)} s`).join(", ")}`] };
  });

  // --- the data volume grows (relay-1), and the core is replaced: independent, so at once ----------
  const grown = relays[0]!;
  await report.checkAll([
    [
      `the data volume grown while ${grown} runs (QEMU block_resize) -> the kit's data-volume.sh grows ext4 online`,
      async () => {
        const guest = box.guest(grown);
        const link = `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${guest.spec.diskSerial}`;
        const size = async () => {
          const out = await box.mustSh(grown, `blockdev --getsize64 "$(readlink -f ${link})"; df -B1 --output=size /srv/cardano | tail -n 1`);
          const [device, fs] = out.trim().split("\n").map(Number);
          return { device: device!, fs: fs! };
        };
        const before = await size();
        const pid = (await box.nodeState(grown)).mainPid;
        const target = before.device + 2 ** 30;
        await guest.qmp("block_resize", { device: "data", size: target });
        const deadline = Date.now() + MINUTE;
        let seen = await size();
        while (seen.device !== target && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 2000));
          seen = await size();
        }
        const problems: string[] = [];
        if (seen.device !== target) problems.push(`the guest sees ${seen.device} bytes, not ${target}`);
        const output = await box.sh(grown, `${kitScript("data-volume.sh")} 2>&1`, 5 * MINUTE);
        if (output.code !== 0) problems.push(`data-volume.sh failed: ${output.stdout.trim()}`);
        const after = await size();
        if (after.fs < before.fs + 900 * 2 ** 20) problems.push(`the filesystem is ${after.fs} bytes (was ${before.fs})`);
        const state = await box.nodeState(grown);
        if (state.active !== "active" || state.mainPid !== pid) problems.push("the node did not keep running");
        const line = output.stdout.split("\n").find((l) => l.includes("growing")) ?? "";
        const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
        return { problems, facts: [`device ${mib(before.device)} -> ${mib(after.device)} MiB, filesystem ${mib(before.fs)} -> ${mib(after.fs)} MiB`, line.trim()] };
      },
    ],
    [
      "the core destroyed and booted fresh from a new root image on the same data disk: the database is kept and the node resumes",
      async () => {
        const guest = box.guest(core);
        const identity = async () => (await box.mustSh(core, "findmnt -n -o UUID /srv/cardano; head -n 1 /srv/cardano/db/immutable/00000.chunk")).trim().split("\n");
        const [uuidBefore, chunkBefore] = await identity();
        const stoppedAt = Date.now();
        const stop = await guest.powerOff(3 * MINUTE);
        const offAt = Date.now();
        const problems: string[] = [];
        if (stop !== "clean") problems.push("the old core did not shut down within 3 minutes (killed)");
        const clean = await must(["debugfs", "-R", "stat /db/clean", guest.dataImage]).catch(() => "");
        if (!clean.includes("Inode:")) problems.push("the old node left no clean-shutdown marker in the database");
        await box.boot(core);
        await box.ssh.waitUntilReachable(core, 10 * MINUTE);
        const reachableAt = Date.now();
        const redeploy = await box.deploy();
        const coreSteps = redeploy.runs.filter((r) => r.host === core);
        const others = ran(redeploy.runs).filter((k) => !k.startsWith(`${core}/`));
        if (coreSteps.some((r) => r.outcome !== "ran")) problems.push(`core steps: ${coreSteps.map((r) => `${r.name} ${r.outcome}`).join(", ")}`);
        if (others.length > 0) problems.push(`steps run on other hosts: ${others.join(", ")}`);
        await box.waitNodeRunning(core, 12 * MINUTE);
        const runningAt = Date.now();
        const [uuidAfter, chunkAfter] = await identity();
        if (uuidAfter !== uuidBefore) problems.push(`the data volume's filesystem is ${uuidAfter ?? "?"}, was ${uuidBefore ?? "?"} (formatted?)`);
        if (chunkAfter !== chunkBefore) problems.push(`the database is not the same: ${chunkAfter ?? "?"} (was ${chunkBefore ?? "?"})`);
        const journal = await box.mustSh(core, "journalctl -b -u stakepool-node-setup -u cardano-node -o cat --no-pager");
        for (const expected of ["filesystem: mounting it as it is", "already holds a chain database", "the previous run shut down cleanly"]) {
          if (!journal.includes(expected)) problems.push(`the journal does not say "${expected}"`);
        }
        if (journal.includes("STAND-IN mithril-client")) problems.push("the Mithril restore ran again");
        report.figure(`core replaced: old server off in ${seconds(offAt - stoppedAt)}, new server boot to SSH ${seconds(reachableAt - guest.bootedAt)}, boot to node running ${seconds(runningAt - guest.bootedAt)}`);
        return { problems, facts: [`filesystem ${uuidAfter ?? "?"}; database "${chunkAfter ?? "?"}"; ${coreSteps.length} core steps re-run for the new server`] };
      },
    ],
  ]);

  // --- the operator's address changes (last: the admin party keeps its new address) -------------------
  await report.check("the admin address changed -> the operator still reaches every host", async () => {
    const problems: string[] = [];
    const moved = `${ADMIN.ipv4.split(".").slice(0, 3).join(".")}.8`;
    const ns = box.wire.ns("admin");
    // A new office or provider: the operator's machine has another address. Its old /32 no longer admits it.
    // The old address goes first: deleting a primary address takes its secondaries with it.
    await must(["ip", "-n", ns, "addr", "del", `${ADMIN.ipv4}/${ADMIN.prefix}`, "dev", "eth0"]);
    await must(["ip", "-n", ns, "addr", "add", `${moved}/${ADMIN.prefix}`, "dev", "eth0"]);
    await must(["ip", "-n", ns, "route", "replace", "default", "via", ADMIN.router]);
    // Every connection from here on is made from the new address.
    box.ssh.freshConnections();
    // `pulumi up` with the new adminCidrs: the relays' tags change in place first, then the deliveries dial
    // until the relays' admin-sync has copied the new network into their firewalls.
    const started = Date.now();
    const change = await box.deploy({ adminCidrs: [`${moved}/32`] });
    const seconds = Math.round((Date.now() - started) / 1000);
    const notRan = change.runs.filter((r) => r.outcome === "failed" || r.outcome === "skipped").map((r) => `${r.key}: ${r.outcome}`);
    problems.push(...notRan);
    const ranKeys = ran(change.runs);
    if (!sameList(ranKeys, relays.map((r) => `${r}/firewall`))) problems.push(`steps that ran: ${ranKeys.join(", ") || "none"}, expected the relays' firewall only`);
    const reached: string[] = [];
    for (const name of names) {
      const out = await box.sh(name, "hostname");
      if (out.code === 0) reached.push(name);
      else problems.push(`${name}: not reachable from the new address`);
    }
    const sets = await Promise.all(relays.map(async (r) => [r, (await box.mustSh(r, "nft -j list set inet stakepool admin_ipv4")).match(/\d+\.\d+\.\d+\.\d+/g) ?? []] as const));
    for (const [relay, addresses] of sets) if (!sameList([...addresses], [moved])) problems.push(`${relay}: the firewall admits SSH from ${addresses.join(", ") || "nobody"}, expected ${moved} only`);
    return {
      problems,
      facts: [
        `operator moved ${ADMIN.ipv4} -> ${moved}; the deployment took ${seconds} s (its dials waited for the relays' admin sync)`,
        `reached over SSH afterwards: ${reached.join(", ")} (the core through relay-1)`,
        ...sets.map(([relay, addresses]) => `${relay}: admin set ${addresses.join(", ")}`),
      ],
    };
  });
}
