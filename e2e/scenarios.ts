/**
 * What the box checks, in order: the first deployment and boot, then each change an operator makes
 * during a pool's life. Each check prints one PASS/FAIL/SKIP line with the facts behind it.
 */
import { METRICS_PORT } from "../components/networks/networks";
import { KES_KEY_FILE, KEYS_DIR, kitNodeConfigFile, kitScript, NODE_GROUP, NODE_USER, OPCERT_FILE, VRF_KEY_FILE } from "../components/node/paths";
import { NODE_HEALTHY_SECONDS } from "../components/node/env-file";
import { KES_SKEY, VRF_SKEY } from "../test/helpers/hot-keys";
import type { Box } from "./box";
import type { StepRun } from "./deploy";
import { must, ADMIN, OUTSIDER } from "./network";
import { mismatch, PROBE_SOURCE, PROBED_PORTS, responderScript, type Intent, type ProbeResult, type Target } from "./probes";
import { NETWORK } from "./pool";
import type { Report } from "./report";
import type { Tarball } from "./standin/release";

const MINUTE = 60_000;

interface Extra {
  readonly node2: Tarball;
  readonly period: number;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function ran(runs: readonly StepRun[]): string[] {
  return runs.filter((r) => r.outcome === "ran" || r.outcome === "failed").map((r) => r.key).sort();
}

function sameList(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && [...actual].sort().every((v, i) => v === [...expected].sort()[i]);
}

/** A long secret part of a key envelope (the CBOR after its header), to search hosts for. */
function secretNeedle(envelope: string): string {
  return (JSON.parse(envelope) as { cborHex: string }).cborHex.slice(8, 72);
}

async function probeAll(box: Box): Promise<ProbeResult[]> {
  const { model } = box.pool;
  const targets: Target[] = box.guestList.flatMap((g) =>
    PROBED_PORTS.flatMap((port) => [
      { host: g.spec.name, family: "ipv4" as const, address: g.spec.privateIp, port },
      { host: g.spec.name, family: "ipv6" as const, address: g.spec.ipv6, port },
    ]),
  );
  const json = JSON.stringify(targets);
  const timeout = "4000";
  await Promise.all(
    box.guestList.map((g) =>
      box.mustSh(
        g.spec.name,
        [
          "cat > /run/e2e-responder.py <<'PY'",
          responderScript(g.spec.privateIp, g.spec.ipv6),
          "PY",
          "cat > /run/e2e-probe.js <<'JS'",
          PROBE_SOURCE,
          "JS",
          "systemd-run --quiet --unit=e2e-probe-responder --collect python3 /run/e2e-responder.py",
          "sleep 2",
        ].join("\n"),
      ),
    ),
  );
  try {
    const parse = (from: string, stdout: string) => (JSON.parse(stdout) as (Target & { outcome: ProbeResult["outcome"] })[]).map((r) => ({ ...r, from }));
    const parties = await Promise.all(
      [ADMIN, OUTSIDER].map(async (party) => parse(party.name, await must(["ip", "netns", "exec", box.wire.ns(party.name), process.execPath, "-e", PROBE_SOURCE, json, timeout]))),
    );
    const guests = await Promise.all(
      model.hosts.map(async (host) => parse(host.name, await box.mustSh(host.name, `node --jitless /run/e2e-probe.js '${json}' ${timeout}`))),
    );
    return [...parties, ...guests].flat();
  } finally {
    await Promise.all(box.guestList.map((g) => box.sh(g.spec.name, "systemctl stop e2e-probe-responder; rm -f /run/e2e-responder.py /run/e2e-probe.js")));
  }
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

/** Where the node's configuration tells it to serve metrics: the first PrometheusSimple of TraceOptions[""]. */
async function metricsAddress(box: Box, host: string): Promise<string> {
  const config = kitNodeConfigFile(NETWORK);
  const script = [
    `python3 - ${config} <<'PY'`,
    "import json, sys",
    'backends = json.load(open(sys.argv[1])).get("TraceOptions", {}).get("", {}).get("backends", [])',
    'words = next((b.split()[1:] for b in backends if b.startswith("PrometheusSimple")), [])',
    'words = [w for w in words if w not in ("suffix", "nosuffix")]',
    'print(("127.0.0.1:" if len(words) == 1 else words[0] + ":") + words[-1] if words else "none")',
    "PY",
  ].join("\n");
  return (await box.mustSh(host, script)).trim();
}

async function metricsOf(box: Box, host: string, address?: string): Promise<Map<string, number>> {
  const at = address ?? (await metricsAddress(box, host));
  const text = await box.mustSh(host, `curl -fsS --max-time 10 http://${at}/metrics`);
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(cardano_node_metrics_\w+) (-?\d+)$/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
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
  await Promise.all(names.map((name) => box.boot(name)));
  const reachable = new Map<string, number>();
  await Promise.all(
    relays.map(async (r) => {
      await box.ssh.waitUntilReachable(r, 10 * MINUTE);
      reachable.set(r, Date.now());
    }),
  );
  await box.ssh.waitUntilReachable(core, 10 * MINUTE);
  reachable.set(core, Date.now());
  for (const name of names) report.log(`${name}: SSH answered with the kit's host key ${seconds(reachable.get(name)! - box.guest(name).bootedAt)} after boot`);

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
  const running = new Map<string, number>();
  const up = deployed
    ? await Promise.all(
        names.map(async (name) => {
          try {
            await box.waitNodeRunning(name, 12 * MINUTE);
            running.set(name, Date.now());
            return true;
          } catch (error) {
            report.log((error as Error).message);
            return false;
          }
        }),
      )
    : [];
  for (const name of names) {
    const guest = box.guest(name);
    const ran = running.get(name);
    report.figure(`${name}: boot to SSH ${seconds(reachable.get(name)! - guest.bootedAt)}, boot to node running ${ran ? seconds(ran - guest.bootedAt) : "never"}`);
  }
  if (!deployed || up.some((ok) => !ok)) {
    report.record("FAIL", "the pool came up (node running on every host)", ["the remaining checks did not run"]);
    return;
  }

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
    [
      "the setup and node units are active on every server, running the delivered release",
      async () => {
        const problems: string[] = [];
        const facts: string[] = [];
        await Promise.all(
          names.map(async (name) => {
            const state = await box.nodeState(name);
            const enabled = (await box.mustSh(name, "systemctl is-enabled stakepool-node-setup cardano-node || true")).trim().split("\n");
            if (state.setup !== "active" || state.active !== "active") problems.push(`${name}: setup ${state.setup}, node ${state.active}`);
            if (enabled.some((e) => e !== "enabled")) problems.push(`${name}: enabled: ${enabled.join(", ")}`);
            if (state.release !== box.inputs.node.version) problems.push(`${name}: current release ${state.release}`);
            facts.push(`${name}: node pid ${state.mainPid}, release ${state.release}`);
          }),
        );
        return { problems, facts: facts.sort() };
      },
    ],
    [
      "the node serves metrics where its configuration says, with the new tracing names (forging on the core only)",
      async () => {
        const problems: string[] = [];
        const facts: string[] = [];
        await Promise.all(
          names.map(async (name) => {
            const address = await metricsAddress(box, name);
            const metrics = await metricsOf(box, name, address);
            const forging = metrics.get("cardano_node_metrics_forging_enabled_int");
            const expected = name === core ? 1 : 0;
            if (forging !== expected) problems.push(`${name}: cardano_node_metrics_forging_enabled_int ${String(forging)}, expected ${expected}`);
            if (name === core && metrics.get("cardano_node_metrics_remainingKESPeriods_int") === undefined) problems.push(`${name}: no cardano_node_metrics_remainingKESPeriods_int`);
            const listeners = await box.mustSh(name, `ss -Htln '( sport = :${METRICS_PORT} )' | awk '{print $4}'`);
            if (listeners.trim() !== address) problems.push(`${name}: metrics listen on ${listeners.trim().replace(/\n/g, ", ")}, the configuration says ${address}`);
            facts.push(`${name}: ${metrics.size} metrics at ${address}, forging_enabled ${String(forging)}${name === core ? `, remainingKESPeriods ${String(metrics.get("cardano_node_metrics_remainingKESPeriods_int"))}` : ""}`);
          }),
        );
        return { problems, facts: facts.sort() };
      },
    ],
    [
      "the hot keys are on the core only: 0400 files of the node's user in a 0700 folder, and nowhere on the relays",
      async () => {
        const problems: string[] = [];
        const facts: string[] = [];
        // The three paths are links into `current`, itself a link to the set delivered last: check
        // what the node opens (stat -L), and that the links resolve inside the keys' folder.
        const stat = await box.mustSh(core, `stat -L -c '%n %a %U:%G' ${KEYS_DIR} ${KES_KEY_FILE} ${VRF_KEY_FILE} ${OPCERT_FILE}`);
        const owner = `${NODE_USER}:${NODE_GROUP}`;
        const expected = new Map([
          [KEYS_DIR, `700 ${owner}`],
          [KES_KEY_FILE, `400 ${owner}`],
          [VRF_KEY_FILE, `400 ${owner}`],
          [OPCERT_FILE, `400 ${owner}`],
        ]);
        for (const line of stat.trim().split("\n")) {
          const [file, ...rest] = line.split(" ");
          if (expected.get(file!) !== rest.join(" ")) problems.push(`core: ${line}, expected ${expected.get(file!) ?? "?"}`);
          facts.push(`core: ${line}`);
        }
        const resolved = (await box.mustSh(core, `readlink -e ${KES_KEY_FILE} ${VRF_KEY_FILE}`)).trim().split("\n");
        const inSet = new RegExp(`^${KEYS_DIR}/set\\.[A-Za-z0-9]+/(kes|vrf)\\.skey$`);
        for (const file of resolved) if (!inSet.test(file)) problems.push(`core: a key link resolves to ${file}, outside the delivered set`);
        const sets = (await box.mustSh(core, `find ${KEYS_DIR} -mindepth 1 -maxdepth 1 -type d -name 'set.*' | sort`)).trim().split("\n").filter(Boolean);
        if (sets.length !== 1) problems.push(`core: ${sets.length} key sets in ${KEYS_DIR} (${sets.join(", ")}), expected the current one only`);
        facts.push(`core: the node's key paths resolve to ${resolved.join(", ")}`);
        const needles = [secretNeedle(KES_SKEY), secretNeedle(VRF_SKEY)];
        const search = `grep -rlF ${needles.map((n) => `-e ${n}`).join(" ")} /etc /srv /opt /var/lib /var/log /home /root /tmp /run /usr/local 2>/dev/null | sort || true`;
        await Promise.all(
          names.map(async (name) => {
            const found = (await box.mustSh(name, search, 5 * MINUTE)).trim().split("\n").filter(Boolean);
            const allowed = name === core ? resolved : [];
            const stray = found.filter((f) => !allowed.includes(f));
            if (stray.length > 0) problems.push(`${name}: key material in ${stray.join(", ")}`);
            if (name === core && !allowed.every((f) => found.includes(f))) problems.push(`core: the keys were not found where the node reads them`);
            facts.push(`${name}: signing-key material in ${found.join(", ") || "no file"}`);
          }),
        );
        const forging = await box.mustSh(core, "journalctl -b -u cardano-node -o cat --no-pager | grep -c EnabledBlockForging || true");
        if (Number(forging.trim()) < 1) problems.push("core: the node never logged EnabledBlockForging");
        for (const relay of relays) {
          const exec = await box.mustSh(relay, "systemctl show -p ExecStart --value cardano-node");
          if (exec.includes("--shelley-")) problems.push(`${relay}: the node is started with key flags`);
        }
        return { problems, facts };
      },
    ],
  ]);

  // --- who reaches what --------------------------------------------------------------------------
  let probes: ProbeResult[] = [];
  try {
    probes = await probeAll(box);
  } catch (error) {
    report.log(`probing failed: ${(error as Error).message}`);
  }
  const intent: Intent = { core, relays, admin: "admin" };
  const probeCheck = (name: string, select: (r: ProbeResult) => boolean) => {
    const selected = probes.filter(select);
    const problems = selected.length === 0 ? ["no probe ran"] : selected.map((r) => mismatch(intent, r)).filter((m): m is string => m !== undefined);
    const open = selected.filter((r) => r.outcome === "open" && r.from !== r.host);
    report.expect(name, problems, [
      `${selected.length} probes from ${[...new Set(selected.map((r) => r.from))].join(", ")}; open from another host: ${open.map((r) => `${r.from}→${r.host}:${r.port}/${r.family}`).join(" ") || "none"}`,
    ]);
  };
  probeCheck("the core takes 3001 and 22 from its relays only (IPv4; nothing over IPv6; outsider, admin, relays and itself probed)", (r) => r.host === core && r.port !== 12798);
  probeCheck("the relays take 3001 from anyone over IPv4, the outsider included", (r) => r.host !== core && r.port === 3001);
  probeCheck("the relays take 22 from the admin network only", (r) => r.host !== core && r.port === 22);
  probeCheck("metrics (12798) are reachable from no other host, even with a listener on the host's own addresses", (r) => r.port === 12798);

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
        const link = `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${guest.spec.volumeId.replace("-", "")}`;
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
