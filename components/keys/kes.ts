/**
 * Time, slots and KES periods on a network, from its Shelley genesis values alone, so the kit can
 * tell when an operational certificate starts and expires without asking a node.
 *
 *   slot(t)      = firstShelleySlot + floor((t − firstShelleyTime) / slotLength)   for t ≥ firstShelleyTime
 *   KES period   = floor(slot / slotsPerKesPeriod)                                  (ouroboros-consensus Praos)
 *   opcert c0    valid while c0 ≤ period < c0 + maxKesEvolutions; expires at slot (c0 + maxKesEvolutions) × slotsPerKesPeriod
 *
 * Byron slots (20 s) are not modelled: times before the Shelley start are refused; no opcert lives there.
 */
import type { ShelleyTiming } from "../networks/networks";

/** A time or slot before the network's first Shelley slot, where this arithmetic does not hold. */
export class BeforeShelleyError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "BeforeShelleyError";
  }
}

function slotLengthMs(timing: ShelleyTiming): number {
  return Math.round(timing.slotLengthSeconds * 1000);
}

/** The absolute slot in progress at `at`. Throws BeforeShelleyError before the Shelley start. */
export function slotAt(timing: ShelleyTiming, at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError("not a valid time");
  const sinceShelleyMs = ms - timing.firstShelleyTime * 1000;
  if (sinceShelleyMs < 0) {
    throw new BeforeShelleyError(
      `${at.toISOString()} is before the network's first Shelley slot (${new Date(timing.firstShelleyTime * 1000).toISOString()})`,
    );
  }
  return timing.firstShelleySlot + Math.floor(sinceShelleyMs / slotLengthMs(timing));
}

/** The time at which `slot` starts. Throws BeforeShelleyError for Byron slots. */
export function timeOfSlot(timing: ShelleyTiming, slot: number): Date {
  if (!Number.isSafeInteger(slot)) throw new RangeError(`slot ${slot} is not a whole number`);
  if (slot < timing.firstShelleySlot) {
    throw new BeforeShelleyError(`slot ${slot} is before the network's first Shelley slot (${timing.firstShelleySlot})`);
  }
  return new Date(timing.firstShelleyTime * 1000 + (slot - timing.firstShelleySlot) * slotLengthMs(timing));
}

/** The KES period a slot belongs to. */
export function kesPeriodOf(timing: ShelleyTiming, slot: number): number {
  if (!Number.isSafeInteger(slot) || slot < 0) throw new RangeError(`slot ${slot} is not a slot number`);
  return Math.floor(slot / timing.slotsPerKesPeriod);
}

/** The KES period in progress at `at`: the `--kes-period` to give `cardano-cli node issue-op-cert` then. */
export function kesPeriodAt(timing: ShelleyTiming, at: Date): number {
  return kesPeriodOf(timing, slotAt(timing, at));
}

/** The first slot of a KES period. */
export function firstSlotOfKesPeriod(timing: ShelleyTiming, period: number): number {
  if (!Number.isSafeInteger(period) || period < 0) throw new RangeError(`KES period ${period} is not a period number`);
  return period * timing.slotsPerKesPeriod;
}

/** When an operational certificate issued for `startKesPeriod` can be used. */
export interface OpcertValidity {
  readonly startKesPeriod: number;
  /** The first period in which it is no longer valid: startKesPeriod + maxKesEvolutions. */
  readonly endKesPeriod: number;
  readonly startSlot: number;
  /** The first slot in which it is no longer valid. */
  readonly expiresAtSlot: number;
  /** When it starts; undefined if that is before the Shelley start (not a period anyone issues for). */
  readonly validFrom: Date | undefined;
  readonly expiresAt: Date;
}

/** The validity window of a certificate issued with `--kes-period startKesPeriod`. */
export function opcertValidity(timing: ShelleyTiming, startKesPeriod: number): OpcertValidity {
  const endKesPeriod = startKesPeriod + timing.maxKesEvolutions;
  const startSlot = firstSlotOfKesPeriod(timing, startKesPeriod);
  const expiresAtSlot = firstSlotOfKesPeriod(timing, endKesPeriod);
  return {
    startKesPeriod,
    endKesPeriod,
    startSlot,
    expiresAtSlot,
    validFrom: startSlot >= timing.firstShelleySlot ? timeOfSlot(timing, startSlot) : undefined,
    // (c0 + 62) × 129600 ≥ 8,035,200 is after the first Shelley slot of every network the kit knows.
    expiresAt: timeOfSlot(timing, expiresAtSlot),
  };
}

/** Whether a certificate starting at `startKesPeriod` may sign in `period` (Praos: c0 ≤ kp < c0 + maxKESEvo). */
export function isOpcertValidIn(timing: ShelleyTiming, startKesPeriod: number, period: number): boolean {
  return startKesPeriod <= period && period < startKesPeriod + timing.maxKesEvolutions;
}
