/**
 * Ledger values the pool's registration is checked against.
 *
 * maxLovelaceSupply: 45,000,000,000,000,000 lovelace (45 billion ADA) in the Shelley genesis of mainnet,
 * preprod and preview alike (iohk-nix cardano-lib/<network>/shelley-genesis.json; cardano-node
 * configuration/cardano/mainnet-shelley-genesis.json). No pledge or cost can be larger.
 *
 * minPoolCost: the ledger refuses a registration whose cost is below it (cardano-ledger's
 * StakePoolCostTooLowPOOL, traced by cardano-node Tracing/Era/Shelley.hs). The genesis files say
 * 340,000,000 on all three networks, but it is a protocol parameter and has been lowered since:
 * - mainnet: 170,000,000 from epoch 445 on (db-sync's epoch_param of mainnet, cardano-node
 *   bench/cardano-profile/data/db-sync/epoch_param.json: 340,000,000 for epochs 208–444, 170,000,000
 *   for 445 to 545, the last it records; unchanged by Conway governance since);
 * - preview: 170,000,000 (cardano-cli's golden input protocol-params-preview.json, a preview node's
 *   `query protocol-parameters` at protocol version 10);
 * - preprod: no record in these sources beyond its genesis. The kit takes 170,000,000 there too, the
 *   lowest value any of the three networks has had, so that it never refuses a cost the ledger accepts.
 * A later governance action can change the value again: `cardano-cli latest query protocol-parameters`
 * on a synced node tells the current one.
 */
import type { NetworkName } from "./networks";

export const MAX_LOVELACE_SUPPLY = 45_000_000_000_000_000n;

export const MIN_POOL_COST: Readonly<Record<NetworkName, bigint>> = {
  mainnet: 170_000_000n,
  preprod: 170_000_000n,
  preview: 170_000_000n,
};

/** 170000000 lovelace as "170 ADA". */
export function adaText(lovelace: bigint): string {
  const whole = lovelace / 1_000_000n;
  const fraction = lovelace % 1_000_000n;
  return `${whole.toLocaleString("en-US")}${fraction === 0n ? "" : `.${fraction.toString().padStart(6, "0").replace(/0+$/, "")}`} ADA`;
}
