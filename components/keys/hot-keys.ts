/**
 * The core's hot keys as the program receives them from config: all three or none, each of the right
 * type, node.cert vouching for that kes.skey, and node.cert valid now. One call for the program and
 * the plan, with every problem collected at once.
 */
import type { Findings } from "../config/problems";
import { isWithheld } from "../config/withheld";
import type { NetworkProfile } from "../networks/networks";
import { parseEnvelope, type TextEnvelope } from "./envelope";
import { HOT_KEYS, HOT_KEY_SETTINGS, type HotKeyName } from "./envelope-types";
import { kesVerificationKeyOf, sameBytes } from "./kes-key";
import { decodeOpcert, type OperationalCertificate } from "./opcert";
import { checkOpcert, opcertStatus, type OpcertStatus } from "./opcert-check";
import { poolIdOf, type PoolId } from "./pool-id";

/** The three settings' raw values; undefined or "" means not set. */
export interface HotKeyInputs {
  readonly kesSigningKey?: string | undefined;
  readonly vrfSigningKey?: string | undefined;
  readonly operationalCertificate?: string | undefined;
}

/** Overrides the operator set in config. */
export interface HotKeysOptions {
  /** The value of `stakepool:allowExpiredOpcert`. */
  readonly allowExpiredOpcert?: boolean;
}

/**
 * - `absent`: no hot keys; the core runs as a passive node (it syncs, it does not forge).
 * - `withheld`: set, but encrypted and not visible here (the plan); only presence was checked.
 * - `checked`: parsed and checked; the fields below are filled in.
 * - `invalid`: set, but problems were recorded.
 */
export type HotKeysState = "absent" | "withheld" | "checked" | "invalid";

/** What the program and the plan learn about the hot keys; key material stays inside the envelopes. */
export interface HotKeys {
  readonly state: HotKeysState;
  readonly kesSigningKey?: TextEnvelope;
  readonly vrfSigningKey?: TextEnvelope;
  readonly operationalCertificate?: OperationalCertificate;
  /** From node.cert's cold verification key. */
  readonly poolId?: PoolId;
  /** node.cert against the network's clock at `now`. */
  readonly opcertStatus?: OpcertStatus;
}

const NAMES: readonly HotKeyName[] = ["kesSigningKey", "vrfSigningKey", "operationalCertificate"];

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

/**
 * Reads and checks the three hot-key settings for a deploy at `now` on `network`. Problems and warnings
 * go to `findings` (the program throws on problems; the plan lists warnings).
 */
export function readHotKeys(
  inputs: HotKeyInputs,
  network: NetworkProfile,
  now: Date,
  options: HotKeysOptions,
  findings: Findings,
): HotKeys {
  const given = NAMES.filter((name) => isSet(inputs[name]));
  if (given.length === 0) {
    findings.warn(
      HOT_KEY_SETTINGS.operationalCertificate,
      "no hot keys are set: the core runs as a passive node and forges no blocks until stakepool:kesSigningKey, " +
        "stakepool:vrfSigningKey and stakepool:operationalCertificate are set",
    );
    return { state: "absent" };
  }
  const before = findings.problems.length;
  for (const name of NAMES.filter((n) => !given.includes(n))) {
    const k = HOT_KEYS[name];
    findings.problem(
      k.setting,
      `is not set, but ${given.map((n) => HOT_KEYS[n].setting).join(" and ")} ${given.length === 1 ? "is" : "are"}: ` +
        "the core needs all three hot files to forge (or none, to run as a passive node)",
      `pulumi config set --secret ${k.setting} < ${k.file}`,
    );
  }

  const visible = given.filter((name) => !isWithheld(inputs[name]));
  const kes = visible.includes("kesSigningKey") ? parseEnvelope("kesSigningKey", inputs.kesSigningKey!, findings) : undefined;
  const vrf = visible.includes("vrfSigningKey") ? parseEnvelope("vrfSigningKey", inputs.vrfSigningKey!, findings) : undefined;
  const opcertEnvelope = visible.includes("operationalCertificate")
    ? parseEnvelope("operationalCertificate", inputs.operationalCertificate!, findings)
    : undefined;
  const opcert = opcertEnvelope ? decodeOpcert(opcertEnvelope.cbor, findings) : undefined;

  if (kes?.keyBytes && opcert && !sameBytes(kesVerificationKeyOf(kes.keyBytes), opcert.kesVerificationKey)) {
    findings.problem(
      HOT_KEY_SETTINGS.operationalCertificate,
      "was issued for a different KES key than the one in stakepool:kesSigningKey: cardano-node refuses to start with such a pair",
      "issue node.cert for the kes.vkey that belongs to this kes.skey (cardano-cli node issue-op-cert --kes-verification-key-file kes.vkey …), " +
        "or set the kes.skey this node.cert was issued for",
    );
  }
  let status: OpcertStatus | undefined;
  if (opcert) {
    findings.absorb(checkOpcert(opcert, network, now, { allowExpired: options.allowExpiredOpcert ?? false }));
    status = opcertStatus(network.timing, opcert.startKesPeriod, now);
  }

  const state: HotKeysState =
    findings.problems.length > before ? "invalid" : visible.length < given.length ? "withheld" : "checked";
  return {
    state,
    ...(kes ? { kesSigningKey: kes } : {}),
    ...(vrf ? { vrfSigningKey: vrf } : {}),
    ...(opcert ? { operationalCertificate: opcert, poolId: poolIdOf(opcert.coldVerificationKey), opcertStatus: status! } : {}),
  };
}
