/**
 * What cardano-node accepts in the settings the kit lays over a release's config.json.
 *
 * - `PeerSharing`: a JSON bool (cardano-node `Cardano/Node/Configuration/POM.hs` `parseJSON`).
 * - Peer-selection targets: whole numbers, checked at start by ouroboros-network
 *   `PeerSelection/Governor/Types.hs` `sanePeerSelectionTargets` (called from POM.hs
 *   `makeNodeConfiguration`): 0 <= active <= established <= known, 0 <= root <= known, active <= 100,
 *   established <= 1000, known <= 10000; a violation stops the node ("Invalid peer selection targets").
 * - `TraceOptions`: the kit sets only the root namespace's `backends` (../metrics-listener.ts), each a
 *   string trace-dispatcher's `instance FromJSON BackendConfig` reads (hermod-tracing trace-dispatcher
 *   `Cardano/Logging/Types.hs`): `Forwarder`, `EKGBackend`, `Stdout HumanFormatColoured`,
 *   `Stdout HumanFormatUncoloured`, `Stdout MachineFormat`, or `PrometheusSimple [suffix|nosuffix] [host]
 *   port` (`parsePrometheusString`); only the first PrometheusSimple counts (cardano-node
 *   `Cardano/Node/Tracing/API.hs`), so the kit writes exactly one.
 * - The node reads config.json only at start (SIGHUP re-reads it for RPC settings alone, cardano-node
 *   `Run.hs` `updateRpcConfiguration`): a change here needs a restart.
 */
import type { NetworkProfile } from "../../networks/networks";

const TARGETS = [
  "TargetNumberOfRootPeers",
  "TargetNumberOfKnownPeers",
  "TargetNumberOfEstablishedPeers",
  "TargetNumberOfActivePeers",
] as const;

/** Keys the kit may set; anything else would be a kit bug (or a typo the node silently ignores). */
const KNOWN_KEYS = new Set<string>(["PeerSharing", "TraceOptions", ...TARGETS]);

const SIMPLE_BACKENDS = new Set(["Forwarder", "EKGBackend", "Stdout HumanFormatColoured", "Stdout HumanFormatUncoloured", "Stdout MachineFormat"]);
const PROMETHEUS_SIMPLE = /^PrometheusSimple( (suffix|nosuffix))?( [A-Za-z0-9.:-]+)? ([0-9]{1,5})$/;

function checkTraceOptions(value: unknown): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(value) || Object.keys(value).join() !== "") return ["TraceOptions: the kit sets the root namespace (\"\") only"];
  const root = value[""];
  if (!isObject(root) || Object.keys(root).join() !== "backends" || !Array.isArray(root.backends)) return ["TraceOptions: the kit sets the root namespace's backends only"];
  const problems: string[] = [];
  let prometheus = 0;
  for (const backend of root.backends as unknown[]) {
    if (typeof backend !== "string") problems.push(`TraceOptions backend ${JSON.stringify(backend)} is not a string`);
    else if (SIMPLE_BACKENDS.has(backend)) continue;
    else {
      const match = PROMETHEUS_SIMPLE.exec(backend);
      if (!match || Number(match[4]) < 1 || Number(match[4]) > 65535) problems.push(`TraceOptions backend ${JSON.stringify(backend)} is not one trace-dispatcher reads`);
      else prometheus += 1;
    }
  }
  if (prometheus !== 1) problems.push(`TraceOptions backends hold ${prometheus} PrometheusSimple entries; the node uses the first, the kit writes one`);
  return problems;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Why the node would refuse (or misread) these settings; empty when it takes them. */
export function checkNodeSettings(settings: Readonly<Record<string, unknown>>, _network: NetworkProfile): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(settings)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`${key} is not a setting the kit writes`);
  }
  if ("PeerSharing" in settings && typeof settings.PeerSharing !== "boolean") problems.push("PeerSharing must be true or false");
  if ("TraceOptions" in settings) problems.push(...checkTraceOptions(settings.TraceOptions));
  const present = TARGETS.filter((key) => key in settings);
  if (present.length > 0 && present.length < TARGETS.length) problems.push(`set all of ${TARGETS.join(", ")} or none`);
  for (const key of present) if (!isCount(settings[key])) problems.push(`${key} must be a whole number`);
  if (present.length === TARGETS.length && TARGETS.every((key) => isCount(settings[key]))) {
    const [root, known, established, active] = TARGETS.map((key) => settings[key] as number) as [number, number, number, number];
    if (!(active <= established && established <= known)) problems.push(`active ${active} ≤ established ${established} ≤ known ${known} must hold`);
    if (root > known) problems.push(`root ${root} ≤ known ${known} must hold`);
    if (active > 100 || established > 1000 || known > 10000) problems.push("active ≤ 100, established ≤ 1000 and known ≤ 10000 must hold");
  }
  return problems;
}
