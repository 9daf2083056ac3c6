/** `plan.md`: what a reviewer reads in a pull request. Deterministic: no dates, sorted everywhere. */
import { signerInput } from "../../components/features/mithril-signer";
import { signerDestinations } from "../../components/features/mithril-signer/destinations";
import { relayEndpoint } from "../../components/features/mithril-signer/input";
import { mithrilProxyRelays } from "../../components/model/pool";
import { MITHRIL_PROXY_PORT } from "../../components/networks/networks";
import type { Warning } from "../../components/config/problems";
import { printable } from "../../components/config/text";
import { estimateMonthlyCost } from "../../components/backends/aws/cost";
import { SERVICE_PORTS, firewallPolicy, type IngressRule } from "../../components/firewall/policy";
import { adminRecoveryCommand } from "../../components/firewall/admin-sync";
import { METRICS_PORT, NODE_EXPORTER_PORT } from "../../components/networks/networks";
import { grafanaTunnelCommand } from "../../components/features/monitoring/access";
import { ALERT_NAMES } from "../../components/features/monitoring/rules";
import { PRODUCTION_TIMING, RETENTION_DAYS } from "../../components/features/monitoring/timing";
import { monitorMonthlyCost, storageEstimate } from "../../components/backends/aws/monitor-sizing";
import { STATUS_ALARM } from "../../components/backends/aws/monitor-alerts";
import { nodeReleaseUrl } from "../../components/networks/releases";
import { planDeployment } from "../../components/deployment/deployment";
import type { PoolPlan } from "../../components/program/load";
import type { AwsPlacement } from "../../components/backends/aws/placement";
import type { SshPlacement } from "../../components/backends/ssh/placement";
import { runsNode, type HostRole, type HostSpec, type PoolModel } from "../../components/model/pool";
import { peerKey } from "../../components/topology/peer";
import { skippedSummary } from "../../components/topology/snapshot";
import type { CapturedResource } from "./run-program";

export interface HostRow {
  readonly name: string;
  readonly role: HostRole;
  /** AWS only. */
  readonly availabilityZone?: string;
  readonly instanceType?: string;
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
  readonly privateIp: string;
  readonly publicIp: string;
}

export interface PlanDocument {
  readonly pool: PoolPlan;
  readonly model: PoolModel;
  readonly hosts: readonly HostRow[];
  readonly relayRegistration: readonly string[];
  readonly registrationCommand: string;
  readonly resources: readonly CapturedResource[];
  readonly warnings: readonly Warning[];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ];
}

function sources(rules: readonly IngressRule[], port: number): string {
  const matching = rules.filter((r) => r.port === port);
  if (matching.length === 0) return "nobody";
  return matching
    .map((r) => (r.source.kind === "host" ? `${r.source.host} (${r.source.cidr})` : r.source.kind === "admin" ? `admin ${r.source.cidr}` : `anywhere (${r.source.cidr})`))
    .join(", ");
}

function reachability(model: PoolModel): string[] {
  const policy = firewallPolicy(model);
  const rows: string[][] = [];
  const groups: ReadonlyArray<readonly [HostRole, readonly HostSpec[]]> = [
    ["core", [model.core]],
    ["relay", model.relays],
    ...(model.monitor ? [["monitor", [model.monitor]] as const] : []),
  ];
  for (const [role, members] of groups) {
    const hosts = members.map((h) => h.name).join(", ");
    // SSH is on each server's own port (22 on AWS; an operator's server may use another).
    const sshPorts = new Set(members.map((h) => h.login.port));
    const sshPort = sshPorts.size === 1 ? `${[...sshPorts][0]!}/tcp` : members.map((h) => `${h.login.port}/tcp (${h.name})`).join(", ");
    if (role !== "monitor") rows.push([hosts, `${SERVICE_PORTS.node}/tcp`, "cardano-node", sources(policy[role], SERVICE_PORTS.node)]);
    rows.push([hosts, sshPort, "SSH", sources(policy[role], SERVICE_PORTS.ssh)]);
    if (role !== "monitor") {
      rows.push([hosts, `${METRICS_PORT}/tcp`, "node metrics", sources(policy[role], METRICS_PORT)]);
      if (model.monitor) rows.push([hosts, `${NODE_EXPORTER_PORT}/tcp`, "node_exporter", sources(policy[role], NODE_EXPORTER_PORT)]);
      const signerMetrics = policy[role].filter((r) => r.service === "signer-metrics");
      if (signerMetrics.length > 0) rows.push([hosts, `${SERVICE_PORTS["signer-metrics"]}/tcp`, "mithril-signer metrics", sources(signerMetrics, SERVICE_PORTS["signer-metrics"])]);
    }
  }
  // The Mithril signer's proxy: on the proxy relays only (hostRules), from the core only.
  for (const proxy of policy.relay.filter((r) => r.service === "mithril-proxy")) {
    rows.push([(proxy.hosts ?? []).join(", "), `${proxy.port}/tcp`, "Mithril signer's proxy", sources([proxy], proxy.port)]);
  }
  return [
    ...table(["host", "port", "service", "allowed from"], rows),
    "",
    ...(model.monitor
      ? ["Prometheus, Alertmanager and Grafana listen on the monitoring host's loopback only: reach them through the SSH tunnel (Monitoring, below).", ""]
      : []),
    "Every other inbound connection is refused. The core connects out only to its relays and for HTTP(S) (packages, releases, the Mithril " +
      `restore), DNS, time, DHCP, link-local addresses and ICMP (its host firewall, \`hosts/${model.core.name}/nftables.conf\`); the relays'${model.monitor ? " and the monitoring host's" : ""} outbound traffic is open.`,
  ];
}

function peersSection(pool: PoolPlan): string[] {
  const { model, peers } = pool;
  const { relayPeers, snapshot, identity } = peers;
  const listed = relayPeers.community.get(model.relays[0]!.name)?.length ?? 0;
  const seed =
    identity.source === "stack" ? `the stack's name and region (${identity.value})` : `\`${identity.source === "ticker" ? "metadata ticker" : "stakepool:peerSeed"}\` ${identity.value}`;
  const lines = [
    `The core talks only to its relays. Each relay keeps its core, its sibling relays and ${relayPeers.hotValency} community ` +
      `peers hot, from ${listed} listed (the rest are spares the node promotes when one fails), drawn from ${snapshot.label}` +
      `${snapshot.parsed.slot !== undefined ? ` (slot ${snapshot.parsed.slot})` : ""}, ${snapshot.parsed.pools.length} pools, seeded by ${seed}. ` +
      `Bootstrap peers: ${model.network.bootstrapPeers.map((p) => p.address).join(", ")}; ledger peers after slot ${model.network.useLedgerAfterSlot}.`,
    "",
    skippedSummary(snapshot.parsed.skipped),
    "",
  ];
  for (const relay of model.relays) {
    const community = relayPeers.community.get(relay.name) ?? [];
    lines.push(`<details><summary>${relay.name}: ${community.length} community peers</summary>`, "");
    for (const peer of community) lines.push(`- ${peerKey(peer)}`);
    lines.push("", "</details>", "");
  }
  lines.push("Full files: `hosts/<host>/topology.json`.");
  return lines;
}

function nodeSection(pool: PoolPlan): string[] {
  const { node, mithril } = pool.releases;
  const pinned = (pin: { sha256: string | undefined; source: string }) =>
    pin.sha256 === undefined
      ? "**not pinned: the hosts will not install it**"
      : `SHA-256 \`${pin.sha256}\` (pinned by ${pin.source === "stack" ? "the stack" : "the kit, for testnets"})`;
  return [
    `- cardano-node ${node.version} from ${nodeReleaseUrl(node.version)}, ${pinned(node)}, verified before anything is extracted.`,
    mithril
      ? `- An empty data volume is filled from Mithril (mithril-client ${mithril.version}, ${pinned(mithril)}) from ${pool.model.network.mithrilAggregator}, verified with the network's pinned genesis and ancillary keys.`
      : "- Mithril bootstrap is off: an empty data volume syncs from genesis.",
    `- A new release rolls one host at a time: ${planDeployment(pool).rollout.join(", then ")}.`,
    "- Units: `hosts/<host>/cardano-node.service` and `hosts/<host>/stakepool-node-setup.service`, delivered over SSH with the setup scripts.",
  ];
}

function mithrilSignerSection(pool: PoolPlan): string[] {
  const { model, settings } = pool;
  const input = signerInput(pool);
  if (input === undefined) {
    const why = !model.mithrilSigner
      ? `\`stakepool:mithrilSigner\` is ${settings.mithrilSigner}${settings.mithrilSigner === "auto" ? " (on for mainnet pools with hot keys)" : ""}`
      : pool.identity.hotKeyFiles === undefined
        ? "the pool has no hot keys to sign with"
        : "its Mithril release is not pinned (`stakepool:mithrilSha256`)";
    return [`No Mithril signer: ${why}.`];
  }
  const [first, ...standby] = input.proxyRelayIps;
  const proxies = mithrilProxyRelays(model);
  const name = (ip: string) => proxies.find((r) => r.privateIp === ip)?.name ?? ip;
  const destinations = signerDestinations(model.network).map((d) => `\`${d.host}:${d.port}\``).join(", ");
  return [
    `- mithril-signer ${input.mithril.version} on ${model.core.name}, as the node's user, from the same verified Mithril distribution (SHA-256 \`${input.mithril.sha256 ?? ""}\`); ` +
      `its stores on the data volume; \`hosts/${model.core.name}/mithril-signer.env\` and \`hosts/${model.core.name}/mithril-signer.service\`.`,
    `- It reaches the aggregator only through the forward proxy on ${name(first!)} (\`${relayEndpoint(first!)}\`)` +
      `${standby.length > 0 ? `; ${standby.map(name).join(", ")} runs a standby proxy (mithril-signer takes one endpoint, and the kit does not switch it by itself)` : ""}. ` +
      `Its unit may reach loopback and the proxies only.`,
    `- Each proxy (squid, \`hosts/<relay>/mithril-relay.squid.conf\`) admits the core's ${model.core.privateIp} alone, to ${destinations} alone; ` +
      `both walls admit the proxy port ${MITHRIL_PROXY_PORT} from the core only.`,
    "- A KES rotation reloads the node, then restarts the signer; a new Mithril pin restarts it once and waits until it stayed up; nothing else restarts it.",
  ];
}

function identitySection(pool: PoolPlan): string[] {
  const { identity, model } = pool;
  const { hotKeys } = identity;
  const lines: string[] = [];
  switch (hotKeys.state) {
    case "absent":
      lines.push("- **The core is deployed as a non-producing node**: no hot keys are set, so it syncs but forges no blocks.");
      break;
    case "withheld":
      lines.push("- The core is a block producer. Its key material is encrypted in the stack file and withheld from this plan; `pulumi up` checks it.");
      break;
    default:
      lines.push("- The core is a block producer: its KES key, VRF key and operational certificate reach it only, over SSH, as 0400 files of the node user.");
  }
  const opcert = hotKeys.operationalCertificate;
  const status = hotKeys.opcertStatus;
  if (opcert && status) {
    lines.push(
      `- Operational certificate: counter ${opcert.counter}, start KES period ${opcert.startKesPeriod}, ` +
        `expires ${status.expiresAt.toISOString()} (slot ${status.expiresAtSlot}).`,
    );
  }
  if (hotKeys.poolId) lines.push(`- Pool id: \`${hotKeys.poolId.bech32}\` (\`${hotKeys.poolId.hex}\`).`);
  const metadata = identity.metadata;
  if (metadata) {
    lines.push(`- Metadata: \`pool-metadata.json\` (${metadata.file.bytes.length} bytes), blake2b-256 \`${metadata.file.hash}\`.`);
    lines.push(
      metadata.bucket
        ? `- Served by the kit from the S3 bucket \`${metadata.bucket}\` at ${metadata.url} (application/json, public read of that object only).`
        : `- **Host \`pool-metadata.json\` byte for byte at ${metadata.url}** (any change, even a final newline, changes the hash).`,
    );
  } else {
    lines.push("- No metadata is declared (`stakepool:metadata`): the pool registers without a metadata URL and hash.");
  }
  if (pool.backend.kind === "aws" && pool.backend.dnsZone) {
    lines.push(`- Relay DNS names in the Route53 zone ${pool.backend.dnsZone}: ${[...pool.backend.relayDnsNames.values()].join(", ")} (never the core).`);
  }
  if (identity.reminders) {
    const at = identity.reminders.at.map((r) => `${r.at.toISOString()} (${r.daysBefore} days before)`);
    lines.push(`- Certificate reminders to ${identity.reminders.email}: ${at.length > 0 ? at.join(", ") : "none left, the dates have passed"}.`);
  }
  lines.push(`- Network: ${model.network.name} (magic ${model.network.magic}).`);
  return lines;
}

function monitoringSection(doc: PlanDocument): string[] {
  const pool = doc.pool;
  const { model } = pool;
  const monitoring = pool.monitoring;
  const monitor = model.monitor;
  if (monitoring === undefined || monitor === undefined) {
    return ["No monitoring host (`stakepool:monitoring` is false): nothing watches the pool but you. The node's metrics stay on each host's loopback."];
  }
  const a = monitoring.input.alerts;
  const relay = model.relays[0]!;
  const jumpHost =
    pool.backend.kind === "ssh" ? pool.backend.servers.get(relay.name)!.address : (doc.hosts.find((h) => h.name === relay.name)?.publicIp ?? `<public IP of ${relay.name}>`);
  const tunnel = grafanaTunnelCommand({ user: relay.login.user, host: jumpHost, port: relay.login.port }, { user: monitor.login.user, host: monitor.privateIp, port: monitor.login.port });
  const channels = [
    ...(a.email !== undefined && a.smtp !== undefined ? [`email to ${a.email} through ${a.smtp.smarthost} (from ${a.smtp.from}${a.smtp.username !== undefined ? `, login ${a.smtp.username}, password from the secret` : ""})`] : []),
    ...(a.sns !== undefined && monitoring.snsTopic !== undefined ? [`email to ${monitoring.snsTopic.email} through the SNS topic \`${monitoring.snsTopic.name}\` (AWS emails a confirmation first: confirm it, or nothing arrives)`] : []),
    ...(a.telegram !== undefined ? [`Telegram chat ${a.telegram.chatId} (the bot token from the secret, on the monitoring host only)`] : []),
    ...(a.webhookUrl !== undefined ? [`the webhook ${a.webhookUrl}`] : []),
  ];
  const hosts = model.hosts.length;
  const storage = storageEstimate(hosts - 1, PRODUCTION_TIMING.scrapeSeconds);
  const deadMan: string[] = [];
  if (a.heartbeatUrl !== undefined) deadMan.push(`the always-firing Watchdog pings ${a.heartbeatUrl} every ${PRODUCTION_TIMING.heartbeatSeconds / 60} minutes (set that check's period to 5 and its grace to 5 minutes)`);
  if (monitoring.snsTopic !== undefined) {
    deadMan.push(
      `a CloudWatch alarm on the instance's ${STATUS_ALARM.metricName} (${STATUS_ALARM.statistic}, ${STATUS_ALARM.evaluationPeriods} of ${STATUS_ALARM.evaluationPeriods} one-minute periods, a stopped instance counts) emails the same topic`,
    );
  }
  const lines = [
    `- ${monitor.name} (${monitor.privateIp}) runs Prometheus, Alertmanager and node_exporter (the distribution's packages) and Grafana (its pinned release); ` +
      `every other host runs node_exporter on its private address. Prometheus scrapes each node and node_exporter every ${PRODUCTION_TIMING.scrapeSeconds} s and keeps ${RETENTION_DAYS} days: ` +
      `about ${storage.seriesTotal.toLocaleString("en-US")} series, ${(storage.samplesPerMonthTotal / 1e6).toFixed(1)} million samples a month, ${(storage.diskBytes / 1e9).toFixed(1)} GB on disk.`,
    ...(monitoring.input.mithrilSigner !== undefined
      ? [
          `- The Mithril signer's metrics (port ${SERVICE_PORTS["signer-metrics"]}) listen on ${model.core.name}'s private address for ${monitor.name} alone (both walls and the signer's own sandbox); ` +
            "`MithrilSignerNotRegistered` fires when it has not registered 6 hours into an epoch, or does not answer for 10 minutes.",
        ]
      : []),
    `- Each node's metrics listener moves from 127.0.0.1 to its private address (\`TraceOptions\` in Node settings: the node restarts once, rolling); both walls admit ${METRICS_PORT} and ${NODE_EXPORTER_PORT} from ${monitor.privateIp} only.`,
    `- Alerts (${ALERT_NAMES.length - 1}, thresholds in the README): ${ALERT_NAMES.filter((n) => n !== "Watchdog").join(", ")}. They go to ${channels.join("; ")}.`,
    deadMan.length > 0 ? `- If the monitoring host dies: ${deadMan.join("; and ")}.` : "- **If the monitoring host dies, nothing tells you**: set `stakepool:alertHeartbeatUrl` to a dead-man check.",
    `- Grafana (dashboard \`hosts/${monitor.name}/grafana-dashboard.json\`): run \`${tunnel}\`, then open http://localhost:3000. The configuration: \`hosts/${monitor.name}/prometheus.yml\`, \`alert-rules.yml\`, \`alertmanager.yml\`.`,
  ];
  if (pool.backend.kind === "aws") {
    const cost = monitorMonthlyCost(pool.backend.region);
    lines.push(`- On AWS: a ${cost.instanceType} with a 20 GiB root volume and no data volume, ${"$"}${cost.total.toFixed(2)} a month (in the cost below).`);
  }
  return lines;
}

const EFFECT: Readonly<Record<string, string>> = {
  files: "files only",
  reload: "node re-reads them (SIGHUP)",
  restart: "node restarts, one host at a time",
};

function deliveriesSection(pool: PoolPlan): string[] {
  const deployment = planDeployment(pool);
  const own = pool.backend.kind === "ssh";
  const rows: string[][] = [];
  for (const { host, steps, via } of deployment.hosts) {
    const reached = via !== undefined ? `through ${via} (SSH jump)` : own ? "at its address" : "at its public address";
    // components/backends/ssh/ssh-pool.ts: each own server's first command, before any step reaches it.
    if (own) rows.push([host.name, "first contact", "none", "checks the server, changes nothing", reached]);
    for (const step of steps) {
      const files = step.secret ? step.delivery.files.map((f) => `\`${f.path}\` ${f.mode}`) : step.delivery.files.map((f) => `\`${f.path}\``);
      rows.push([host.name, step.name, files.length > 4 ? `${files.slice(0, 3).join(", ")} and ${files.length - 3} more` : files.join(", "), EFFECT[step.effect]!, reached]);
    }
  }
  const firstBoot = own
    ? "Each server's first contact (`pool-<host>-up`) checks it before anything is delivered: passwordless sudo, a supported system, " +
      "x86_64, systemd, the declared memory and data disk, no other firewall manager; a server that fails it gets nothing, and the rollout waits for it."
    : "User data holds only the host name and host key.";
  return [
    `Over SSH as ${own ? "each server's login user" : "the admin user"}, each server's host key verified; each step re-runs exactly when what it delivers changes ` +
      `(or the server is new), without replacing or rebooting a server. ${firstBoot}`,
    "",
    ...table(["host", "step", "files", "when it changes", "reached"], rows),
    "",
    `Restarts roll in this order, each host waiting until the node on the one before stayed up: ${deployment.hosts
      .filter(({ host }) => runsNode(host))
      .map(({ host }) => host.name)
      .sort((a, b) => deployment.rollout.indexOf(a) - deployment.rollout.indexOf(b))
      .join(", then ")}.`,
  ];
}

function nodeSettingsSection(pool: PoolPlan): string[] {
  const rows = planDeployment(pool).hosts.filter(({ host }) => runsNode(host)).map(({ host, planFiles }) => {
    const settings = JSON.parse(planFiles.get("node-config.json")!) as Record<string, unknown>;
    return [host.name, Object.entries(settings).map(([key, value]) => `${key} ${JSON.stringify(value)}`).join(", ")];
  });
  return [
    "What the kit lays over the release's `config.json` (`hosts/<host>/node-config.json`; merged before every start):",
    "",
    ...table(["host", "settings"], rows),
  ];
}

function resourceCounts(resources: readonly CapturedResource[]): string[] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const rows = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, n]) => [`\`${type}\``, String(n)]);
  const protectedOnes = resources.filter((r) => r.options.protect).map((r) => `\`${r.name}\` (${r.type.split(":").pop()})`);
  return [
    ...table(["type", "count"], rows),
    "",
    `${resources.length} resources in all (\`resources.json\` lists each with its inputs).`,
    protectedOnes.length > 0
      ? `Protected from deletion: ${protectedOnes.sort().join(", ")}.`
      : "No resource is protected from deletion (only mainnet protects chain data and Elastic IPs).",
  ];
}

function awsIntro(doc: PlanDocument, placement: AwsPlacement): string[] {
  const { model } = doc;
  return [
    `A ${model.network.name} stake pool in ${placement.region}: 1 core and ${model.relays.length} relay${model.relays.length === 1 ? "" : "s"}${model.monitor ? ", and a monitoring host" : ""}, ` +
      `VPC ${placement.vpcCidr} over ${placement.subnets.map((s) => s.availabilityZone).join(", ")}.`,
    "Rendered by `npm run plan` under Pulumi mocks, without a cloud account. Values written `<… of …>` are " +
      "assigned by AWS at deploy time.",
    "",
    "## Hosts",
    "",
    ...table(
      ["host", "role", "zone", "instance type", "RAM", "vCPUs", "data volume", "root volume", "private IP", "public IP"],
      doc.hosts.map((h) => {
        const spec = placement.hosts.get(h.name);
        return [
          h.name,
          h.role,
          h.availabilityZone ?? "?",
          h.instanceType ?? "?",
          `${h.memoryGiB} GiB`,
          String(spec?.instanceType.vcpus ?? "?"),
          h.role === "monitor" ? "none (metrics on the root volume)" : `${h.dataDiskGiB} GiB gp3, encrypted`,
          `${spec?.rootVolumeGiB ?? "?"} GiB gp3, encrypted`,
          h.privateIp,
          h.role === "relay" ? h.publicIp : `${h.publicIp} (outbound only)`,
        ];
      }),
    ),
  ];
}

function sshIntro(doc: PlanDocument, placement: SshPlacement): string[] {
  const { model } = doc;
  return [
    `A ${model.network.name} stake pool on your own servers: 1 core and ${model.relays.length} relay${model.relays.length === 1 ? "" : "s"}, ` +
      `${model.monitor ? `and a monitoring host (${model.monitor.name}), ` : ""}reached over SSH (the relays at their address, the core${model.monitor ? " and the monitoring host" : ""} through ${model.relays[0]!.name}).`,
    "Rendered by `npm run plan` under Pulumi mocks, without contacting any server. The kit creates no server, " +
      "network or cloud firewall: each host's own nftables firewall is the only wall, so check your provider's.",
    "If the address you administer the pool from changes, the relays refuse your SSH until `stakepool:adminCidrs` " +
      `says so: first run \`${adminRecoveryCommand("<your new address>/32")}\` on each relay's console, then \`pulumi up\`.`,
    "",
    "## Hosts",
    "",
    ...table(
      ["host", "role", "RAM (declared)", "chain database", "SSH", "the pool reaches it at", "registered as", "host key"],
      model.hosts.map((host) => {
        const server = placement.servers.get(host.name)!;
        const disk =
          host.role === "monitor"
            ? `none (metrics on its ${host.dataDiskGiB} GiB root disk)`
            : host.dataDisk.kind === "device"
              ? `${host.dataDiskGiB} GiB on ${host.dataDisk.path}`
              : `${host.dataDiskGiB} GiB, folder on the root disk`;
        const ssh = `${host.login.user}@${server.address}, port ${host.login.port}${host.role !== "relay" ? ` (through ${model.relays[0]!.name})` : ""}`;
        return [
          host.name,
          host.role,
          `${host.memoryGiB} GiB`,
          disk,
          ssh,
          host.privateIp,
          server.publicAddress ?? "never published",
          `\`${server.hostKey.split(" ")[0]!} …${server.hostKey.slice(-12)}\``,
        ];
      }),
    ),
  ];
}

function costSection(pool: PoolPlan): string[] {
  if (pool.backend.kind === "ssh") return ["Your own servers: the kit creates nothing that is billed."];
  const cost = estimateMonthlyCost(pool.model, pool.backend);
  const usd = (n: number) => `$${n.toFixed(2)}`;
  return [
    ...table(
      ["host", "instance", "volumes", "public IPv4", "total"],
      [
        ...cost.hosts.map((h) => [h.host, usd(h.instance), usd(h.volumes), usd(h.publicIpv4), usd(h.total)]),
        ["**pool**", "", "", "", `**${usd(cost.total)}**`],
      ],
    ),
    "",
    ...cost.notes,
  ];
}

export function renderPlanMarkdown(doc: PlanDocument): string {
  const { model } = doc;
  const backend = doc.pool.backend;
  const lines: string[] = [
    `# Plan of stack \`${model.stack}\``,
    "",
    ...(backend.kind === "aws" ? awsIntro(doc, backend) : sshIntro(doc, backend)),
    "",
    "## Who can reach what",
    "",
    ...reachability(model),
    "",
    "## Peers",
    "",
    ...peersSection(doc.pool),
    "",
    "## Node",
    "",
    ...nodeSection(doc.pool),
    "",
    "## Node settings",
    "",
    ...nodeSettingsSection(doc.pool),
    "",
    "## Mithril signer",
    "",
    ...mithrilSignerSection(doc.pool),
    "",
    "## Monitoring",
    "",
    ...monitoringSection(doc),
    "",
    "## What reaches the hosts after boot",
    "",
    ...deliveriesSection(doc.pool),
    "",
    "## Pool identity",
    "",
    ...identitySection(doc.pool),
    "",
    "## Registration",
    "",
    "Run on the offline machine that holds the cold key (relays only, never the core):",
    "",
    "```",
    doc.registrationCommand,
    "```",
    "",
    "## Estimated monthly cost",
    "",
    ...costSection(doc.pool),
    "",
    "## Resources",
    "",
    ...resourceCounts(doc.resources),
    "",
    "## Warnings",
    "",
    ...(doc.warnings.length === 0 ? ["None."] : doc.warnings.map((w) => `- \`${printable(w.setting)}\`: ${printable(w.message)}`)),
    "",
  ];
  return lines.join("\n");
}
