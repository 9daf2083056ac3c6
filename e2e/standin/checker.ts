/**
 * The file checks of the stand-in cardano-node (e2e/standin/cardano-node.py), run inside the guest with
 * the guest's Node.js. It is the kit's own rules module (components/node/rules), transpiled as it is by
 * e2e/standin/release.ts, not a port: what the stand-in refuses is exactly what the kit's checker refuses
 * (which is the node's rules, and stricter where the kit says so). It therefore cannot catch a mistake in
 * those rules; it proves that the files the node finds at the paths its unit names, as delivered over
 * SSH, are the ones those rules accept.
 *
 *   node checker.js <request JSON>
 *
 * The request names the files the way the node's flags do; the answer (stdout) is JSON with one list of
 * problems per file and what the stand-in reports about them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { HOT_KEYS } from "../../components/keys/envelope-types";
import { NETWORKS } from "../../components/networks/networks";
import { checkNodeSettings } from "../../components/node/rules/node-config";
import { decodePeerSnapshot, refusalsFor } from "../../components/node/rules/peer-snapshot";
import { checkTopology } from "../../components/node/rules/topology";

export interface CheckRequest {
  /** The network magic of the release's Shelley genesis (the node knows no other). */
  readonly magic: number;
  readonly topology: string;
  /** The configuration the node runs with (the release's config.json with the kit's settings laid over it). */
  readonly config: string;
  /** The forging credentials, when the node was given them. */
  readonly keys?: { readonly kes: string; readonly vrf: string; readonly opcert: string };
}

export interface Opcert {
  readonly counter: number;
  readonly startKesPeriod: number;
}

export interface CheckAnswer {
  readonly network: string;
  readonly topology: { readonly problems: string[]; readonly localRootGroups: number; readonly publicRoots: number; readonly snapshotFile?: string };
  readonly snapshot?: { readonly file: string; readonly problems: string[]; readonly pools: number; readonly slot?: number };
  readonly settings: { readonly problems: string[] };
  readonly keys?: { readonly problems: string[]; readonly opcert?: Opcert };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function readJson(file: string, problems: string[]): Json | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Json;
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

/** The few CBOR items an operational certificate holds: unsigned integers, byte strings and arrays. */
function readCbor(bytes: Uint8Array, at = { i: 0 }): unknown {
  const head = bytes[at.i++];
  if (head === undefined) throw new Error("truncated CBOR");
  const major = head >> 5;
  const info = head & 31;
  let value: number;
  if (info < 24) value = info;
  else if (info <= 27) {
    const size = 1 << (info - 24);
    value = 0;
    for (let k = 0; k < size; k++) value = value * 256 + (bytes[at.i++] ?? Number.NaN);
  } else throw new Error(`CBOR item with additional information ${info}`);
  if (!Number.isSafeInteger(value)) throw new Error("truncated CBOR");
  switch (major) {
    case 0:
      return value;
    case 2: {
      const out = bytes.subarray(at.i, at.i + value);
      if (out.length !== value) throw new Error("truncated CBOR byte string");
      at.i += value;
      return out;
    }
    case 4:
      return Array.from({ length: value }, () => readCbor(bytes, at));
    default:
      throw new Error(`CBOR major type ${major} in an operational certificate`);
  }
}

/** The key-file checks the node makes when it reads its credentials (types and sizes; the opcert's shape). */
function checkKeys(keys: NonNullable<CheckRequest["keys"]>): NonNullable<CheckAnswer["keys"]> {
  const problems: string[] = [];
  const envelope = (file: string, type: string): Uint8Array | undefined => {
    const value = readJson(file, problems);
    if (value === undefined) return undefined;
    if (typeof value !== "object" || value === null || Array.isArray(value) || typeof value.cborHex !== "string") {
      problems.push(`${file}: not a text envelope`);
      return undefined;
    }
    if (value.type !== type) {
      problems.push(`${file}: TextEnvelope type error: expected ${type}, actual ${JSON.stringify(value.type)}`);
      return undefined;
    }
    return Uint8Array.from(Buffer.from(value.cborHex, "hex"));
  };
  const keyBytes = (file: string, expectation: (typeof HOT_KEYS)["kesSigningKey"]) => {
    const cbor = envelope(file, expectation.type);
    if (cbor === undefined) return;
    try {
      const bytes = readCbor(cbor);
      if (!(bytes instanceof Uint8Array) || bytes.length !== expectation.keyBytes) problems.push(`${file}: not a ${expectation.keyBytes}-byte ${expectation.type}`);
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  };
  keyBytes(keys.kes, HOT_KEYS.kesSigningKey);
  keyBytes(keys.vrf, HOT_KEYS.vrfSigningKey);
  let opcert: Opcert | undefined;
  const cbor = envelope(keys.opcert, HOT_KEYS.operationalCertificate.type);
  if (cbor !== undefined) {
    try {
      const value = readCbor(cbor);
      const body = Array.isArray(value) ? (value[0] as unknown) : undefined;
      if (!Array.isArray(body) || body.length !== 4 || typeof body[1] !== "number" || typeof body[2] !== "number") throw new Error("not [[kes vkey, counter, period, sigma], cold vkey]");
      opcert = { counter: body[1], startKesPeriod: body[2] };
    } catch (error) {
      problems.push(`${keys.opcert}: ${(error as Error).message}`);
    }
  }
  return { problems, ...(opcert ? { opcert } : {}) };
}

const TARGET_KEYS = ["PeerSharing", "TargetNumberOfRootPeers", "TargetNumberOfKnownPeers", "TargetNumberOfEstablishedPeers", "TargetNumberOfActivePeers"];

export function check(request: CheckRequest): CheckAnswer {
  const network = Object.values(NETWORKS).find((n) => n.magic === request.magic);
  if (network === undefined) throw new Error(`no network has magic ${request.magic}`);
  // The kit's rules tell a core from a relay; the node knows only whether it was given credentials.
  const role = request.keys ? "core" : "relay";

  const topologyProblems: string[] = [];
  const topology = readJson(request.topology, topologyProblems);
  if (topology !== undefined) topologyProblems.push(...checkTopology(topology, { role, network }));
  const object = typeof topology === "object" && topology !== null && !Array.isArray(topology) ? topology : {};
  const snapshotName = typeof object.peerSnapshotFile === "string" ? object.peerSnapshotFile : undefined;

  let snapshot: CheckAnswer["snapshot"];
  if (snapshotName !== undefined) {
    // Relative to the topology file's folder (cardano-node Configuration/TopologyP2P.hs).
    const file = path.resolve(path.dirname(request.topology), snapshotName);
    const problems: string[] = [];
    let text: string | undefined;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
    let pools = 0;
    let slot: number | undefined;
    if (text !== undefined) {
      const decoded = decodePeerSnapshot(text);
      if (!decoded.ok) problems.push(...decoded.errors);
      else {
        const useLedgerAfterSlot = typeof object.useLedgerAfterSlot === "number" ? object.useLedgerAfterSlot : -1;
        problems.push(...refusalsFor(decoded.snapshot, { networkMagic: request.magic, useLedgerAfterSlot }));
        pools = decoded.snapshot.pools.length;
        if (decoded.snapshot.point !== "origin") slot = decoded.snapshot.point.slot;
      }
    }
    snapshot = { file, problems, pools, ...(slot !== undefined ? { slot } : {}) };
  }

  const settingsProblems: string[] = [];
  const config = readJson(request.config, settingsProblems);
  if (config !== undefined && typeof config === "object" && config !== null && !Array.isArray(config)) {
    // Only the keys the kit lays over the release's configuration: the rest is the release's own.
    const laid = Object.fromEntries(TARGET_KEYS.filter((key) => key in config).map((key) => [key, config[key]]));
    settingsProblems.push(...checkNodeSettings(laid, network));
  }

  return {
    network: network.name,
    topology: {
      problems: topologyProblems,
      localRootGroups: Array.isArray(object.localRoots) ? object.localRoots.length : 0,
      publicRoots: Array.isArray(object.publicRoots) ? object.publicRoots.length : 0,
      ...(snapshotName !== undefined ? { snapshotFile: snapshotName } : {}),
    },
    ...(snapshot ? { snapshot } : {}),
    settings: { problems: settingsProblems },
    ...(request.keys ? { keys: checkKeys(request.keys) } : {}),
  };
}

if (require.main === module) {
  const request = JSON.parse(process.argv[2] ?? "{}") as CheckRequest;
  process.stdout.write(`${JSON.stringify(check(request))}\n`);
}
