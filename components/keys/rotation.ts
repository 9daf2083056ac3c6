/**
 * The KES rotation runbook in numbers: which `--kes-period` to issue the next certificate for, when it
 * will expire, and which counter values the chain will accept.
 *
 * Counter rule (ouroboros-consensus Praos `doValidateKESSignature`): a block's certificate counter n is
 * accepted iff m ≤ n ≤ m + 1, m being the last counter the chain saw for the pool (0 for a registered
 * pool that never made a block). `cardano-cli node issue-op-cert` signs with the counter in cold.counter
 * and writes counter + 1 back, so issuing twice without making a block in between overshoots.
 */
import type { NetworkProfile } from "../networks/networks";
import { kesPeriodOf, opcertValidity, slotAt } from "./kes";
import { HOT_KEY_SETTINGS } from "./envelope-types";

/** The counter rule in one sentence, for messages. */
export const COUNTER_RULE =
  "its counter must be m or m + 1, m being the last counter the chain saw for the pool " +
  "(on a relay, `cardano-cli latest query kes-period-info --op-cert-file node.cert --socket-path /srv/cardano/db/node.socket --mainnet` " +
  "shows it as qKesNodeStateOperationalCertificateNumber; --testnet-magic N on a testnet)";

/** The issue command for `kesPeriod`, as run on the offline machine. */
export function issueOpCertCommand(kesPeriod: number): string {
  return (
    "cardano-cli latest node issue-op-cert --kes-verification-key-file kes.vkey --cold-signing-key-file cold.skey " +
    `--operational-certificate-issue-counter-file cold.counter --kes-period ${kesPeriod} --out-file node.cert`
  );
}

/** Which counters the chain accepts for the next certificate, given the last one it saw. */
export interface CounterWindow {
  readonly lastOnChain: number;
  readonly lowest: number;
  readonly highest: number;
}

/** The counters accepted after the chain saw `lastOnChain` (m ≤ n ≤ m + 1). */
export function counterWindow(lastOnChain: number): CounterWindow {
  if (!Number.isSafeInteger(lastOnChain) || lastOnChain < 0) {
    throw new RangeError(`an opcert counter is a whole number ≥ 0, got ${lastOnChain}`);
  }
  return { lastOnChain, lowest: lastOnChain, highest: lastOnChain + 1 };
}

/** True when a certificate with `counter` would be accepted after the chain saw `lastOnChain`. */
export function isCounterAccepted(counter: number, lastOnChain: number): boolean {
  const w = counterWindow(lastOnChain);
  return counter >= w.lowest && counter <= w.highest;
}

/** Everything the rotation runbook needs at time `now`. */
export interface RotationAdvice {
  readonly network: string;
  readonly at: Date;
  readonly slot: number;
  /** Give this as `--kes-period`: the period in progress now. */
  readonly kesPeriod: number;
  /** A certificate issued now stops being valid at this period / slot / time. */
  readonly endKesPeriod: number;
  readonly expiresAtSlot: number;
  readonly expiresAt: Date;
  /** Present when the last on-chain counter is known. */
  readonly counter: CounterWindow | undefined;
  /** The steps, in order, as commands. */
  readonly steps: readonly string[];
}

/** The numbers and commands for rotating the KES key at `now`. */
export function rotationAdvice(network: NetworkProfile, now: Date, lastOnChainCounter?: number): RotationAdvice {
  const slot = slotAt(network.timing, now);
  const kesPeriod = kesPeriodOf(network.timing, slot);
  const validity = opcertValidity(network.timing, kesPeriod);
  const counter = lastOnChainCounter === undefined ? undefined : counterWindow(lastOnChainCounter);
  const steps = [
    "cardano-cli node key-gen-KES --verification-key-file kes.vkey --signing-key-file kes.skey",
    ...(counter
      ? [
          `on the offline machine, make sure cold.counter holds ${counter.highest} (the chain accepts ${counter.lowest} or ${counter.highest}); ` +
            `if not: cardano-cli node new-counter --cold-verification-key-file cold.vkey --counter-value ${counter.highest} ` +
            "--operational-certificate-issue-counter-file cold.counter",
        ]
      : []),
    `on the offline machine: ${issueOpCertCommand(kesPeriod)}`,
    `pulumi config set --secret ${HOT_KEY_SETTINGS.kesSigningKey} < kes.skey`,
    `pulumi config set --secret ${HOT_KEY_SETTINGS.operationalCertificate} < node.cert`,
    "pulumi up",
  ];
  return {
    network: network.name,
    at: now,
    slot,
    kesPeriod,
    endKesPeriod: validity.endKesPeriod,
    expiresAtSlot: validity.expiresAtSlot,
    expiresAt: validity.expiresAt,
    counter,
    steps,
  };
}
