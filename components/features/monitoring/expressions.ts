/**
 * PromQL the dashboard and `npm run status` share: figures computed from slots with the network's
 * Shelley timing (slot → time is firstShelleyTime + (slot − firstShelleySlot) × slotLength, as in
 * ../../keys/kes.ts), so both show the same numbers.
 */
import type { NetworkProfile } from "../../networks/networks";
import { N } from "./metrics";

/** The wall clock's slot now. */
function slotNow(network: NetworkProfile): string {
  const t = network.timing;
  return `(${t.firstShelleySlot} + (time() - ${t.firstShelleyTime}) / ${t.slotLengthSeconds})`;
}

/** Seconds between the wall clock and the slot of the node's tip. */
export function tipLagExpr(network: NetworkProfile, selector: string): string {
  const t = network.timing;
  return `time() - (${t.firstShelleyTime} + (${N.slotNum}{${selector}} - ${t.firstShelleySlot}) * ${t.slotLengthSeconds})`;
}

/** The tip's slot as a percentage of the wall clock's slot. */
export function syncExpr(network: NetworkProfile, selector: string): string {
  return `clamp_max(100 * ${N.slotNum}{${selector}} / ${slotNow(network)}, 100)`;
}

/** When the operational certificate expires, in Unix milliseconds (Grafana's dateTimeAsIso unit). */
export function kesExpiryMsExpr(network: NetworkProfile, selector: string): string {
  const t = network.timing;
  return `1000 * (${t.firstShelleyTime} + (${N.opcertExpiryKesPeriod}{${selector}} * ${t.slotsPerKesPeriod} - ${t.firstShelleySlot}) * ${t.slotLengthSeconds})`;
}
