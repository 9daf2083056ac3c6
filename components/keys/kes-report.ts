/**
 * What `npm run kes` prints: where the network stands at a time, and, given node.cert, where the
 * certificate stands and what the next rotation needs. A pure function of its inputs, so the CLI's
 * output is reproducible for any `--at`.
 */
import type { NetworkProfile } from "../networks/networks";
import { firstSlotOfKesPeriod, kesPeriodOf, opcertValidity, slotAt, timeOfSlot } from "./kes";
import type { OperationalCertificate } from "./opcert";
import { isoSecond, opcertStatus, type OpcertState } from "./opcert-check";
import { poolIdOf } from "./pool-id";
import { counterWindow, isCounterAccepted } from "./rotation";

/** The JSON `npm run kes` prints; times are ISO-8601 UTC to the second. */
export interface KesReport {
  readonly network: string;
  readonly at: string;
  readonly slot: number;
  readonly kesPeriod: number;
  /** When the next KES period starts. */
  readonly nextKesPeriodAt: string;
  /** What a certificate issued at `at` would be: `--kes-period` and its expiry. */
  readonly issueNow: { readonly kesPeriod: number; readonly expiresAtSlot: number; readonly expiresAt: string };
  /** The following are present when a certificate was given. */
  readonly counter?: number;
  readonly startKesPeriod?: number;
  readonly endKesPeriod?: number;
  readonly expiresAtSlot?: number;
  readonly expiresAt?: string;
  readonly state?: OpcertState;
  readonly periodsLeft?: number;
  readonly kesVerificationKey?: string;
  readonly poolId?: string;
  readonly poolIdHex?: string;
  /** Present when the last on-chain counter was given: the counters the next block may carry. */
  readonly acceptedCounters?: readonly [number, number];
  /** Present with both a certificate and the last on-chain counter. */
  readonly counterAccepted?: boolean;
}

/** Builds the report for `network` at `at`, with node.cert and the last on-chain counter when given. */
export function kesReport(
  network: NetworkProfile,
  at: Date,
  opcert?: OperationalCertificate,
  lastOnChainCounter?: number,
): KesReport {
  const timing = network.timing;
  const slot = slotAt(timing, at);
  const kesPeriod = kesPeriodOf(timing, slot);
  const issue = opcertValidity(timing, kesPeriod);
  const report: KesReport = {
    network: network.name,
    at: isoSecond(at),
    slot,
    kesPeriod,
    nextKesPeriodAt: isoSecond(timeOfSlot(timing, firstSlotOfKesPeriod(timing, kesPeriod + 1))),
    issueNow: { kesPeriod, expiresAtSlot: issue.expiresAtSlot, expiresAt: isoSecond(issue.expiresAt) },
  };
  const counters =
    lastOnChainCounter === undefined
      ? {}
      : { acceptedCounters: [counterWindow(lastOnChainCounter).lowest, counterWindow(lastOnChainCounter).highest] as const };
  if (!opcert) return { ...report, ...counters };
  const status = opcertStatus(timing, opcert.startKesPeriod, at);
  const pool = poolIdOf(opcert.coldVerificationKey);
  return {
    ...report,
    counter: opcert.counter,
    startKesPeriod: opcert.startKesPeriod,
    endKesPeriod: status.endKesPeriod,
    expiresAtSlot: status.expiresAtSlot,
    expiresAt: isoSecond(status.expiresAt),
    state: status.state,
    periodsLeft: status.periodsLeft,
    kesVerificationKey: Buffer.from(opcert.kesVerificationKey).toString("hex"),
    poolId: pool.bech32,
    poolIdHex: pool.hex,
    ...counters,
    ...(lastOnChainCounter === undefined ? {} : { counterAccepted: isCounterAccepted(opcert.counter, lastOnChainCounter) }),
  };
}
