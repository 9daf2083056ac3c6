/** `plan.md`: what a reviewer reads in a pull request. Deterministic: no dates, sorted everywhere. */
import type { Warning } from "../../components/config/problems";
import { estimateMonthlyCost } from "../../components/cost/estimate";
import { SERVICE_PORTS, firewallPolicy, type IngressRule } from "../../components/firewall/policy";
import { METRICS_PORT } from "../../components/networks/networks";
import type { LoadedPool } from "../../components/pool/load";
import type { HostRole, PoolModel } from "../../components/pool/model";
import type { CapturedResource } from "./run-program";

export interface HostRow {
  readonly name: string;
  readonly role: HostRole;
  readonly availabilityZone: string;
  readonly instanceType: string;
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
  readonly privateIp: string;
  readonly publicIp: string;
}

export interface PlanDocument {
  readonly pool: LoadedPool;
  readonly model: PoolModel;
  readonly hosts: readonly HostRow[];
  readonly relayRegistration: readonly string[];
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
  const groups: ReadonlyArray<readonly [HostRole, string]> = [
    ["core", model.core.name],
    ["relay", model.relays.map((r) => r.name).join(", ")],
  ];
  for (const [role, hosts] of groups) {
    rows.push([hosts, `${SERVICE_PORTS.node}/tcp`, "cardano-node", sources(policy[role], SERVICE_PORTS.node)]);
    rows.push([hosts, `${SERVICE_PORTS.ssh}/tcp`, "SSH", sources(policy[role], SERVICE_PORTS.ssh)]);
    rows.push([hosts, `${METRICS_PORT}/tcp`, "node metrics", sources(policy[role], METRICS_PORT)]);
  }
  return [
    ...table(["host", "port", "service", "allowed from"], rows),
    "",
    "Every other inbound connection is refused. Outbound traffic is open.",
  ];
}

function peersSection(pool: LoadedPool): string[] {
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
  ];
  for (const relay of model.relays) {
    const community = relayPeers.community.get(relay.name) ?? [];
    lines.push(`<details><summary>${relay.name}: ${community.length} community peers</summary>`, "");
    for (const peer of community) lines.push(`- ${peer.address}:${peer.port}`);
    lines.push("", "</details>", "");
  }
  lines.push("Full files: `hosts/<host>/topology.json`.");
  return lines;
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

function costSection(model: PoolModel): string[] {
  const cost = estimateMonthlyCost(model);
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
  const lines: string[] = [
    `# Plan of stack \`${model.stack}\``,
    "",
    `A ${model.network.name} stake pool in ${model.region}: 1 core and ${model.relays.length} relay${model.relays.length === 1 ? "" : "s"}, ` +
      `VPC ${model.vpcCidr} over ${model.subnets.map((s) => s.availabilityZone).join(", ")}.`,
    "Rendered by `npm run plan` under Pulumi mocks, without a cloud account. Values written `<… of …>` are " +
      "assigned by AWS at deploy time.",
    "",
    "## Hosts",
    "",
    ...table(
      ["host", "role", "zone", "instance type", "RAM", "vCPUs", "data volume", "root volume", "private IP", "public IP"],
      doc.hosts.map((h) => {
        const spec = model.hosts.find((m) => m.name === h.name);
        return [
          h.name,
          h.role,
          h.availabilityZone,
          h.instanceType,
          `${h.memoryGiB} GiB`,
          String(spec?.instanceType.vcpus ?? "?"),
          `${h.dataDiskGiB} GiB gp3, encrypted`,
          `${spec?.rootVolumeGiB ?? "?"} GiB gp3, encrypted`,
          h.privateIp,
          h.role === "core" ? `${h.publicIp} (outbound only)` : h.publicIp,
        ];
      }),
    ),
    "",
    "## Who can reach what",
    "",
    ...reachability(model),
    "",
    "## Peers",
    "",
    ...peersSection(doc.pool),
    "",
    "## Relays to register on chain",
    "",
    "```",
    ...doc.relayRegistration,
    "```",
    "",
    "## Estimated monthly cost",
    "",
    ...costSection(model),
    "",
    "## Resources",
    "",
    ...resourceCounts(doc.resources),
    "",
    "## Warnings",
    "",
    ...(doc.warnings.length === 0 ? ["None."] : doc.warnings.map((w) => `- \`${w.setting}\`: ${w.message}`)),
    "",
  ];
  return lines.join("\n");
}
