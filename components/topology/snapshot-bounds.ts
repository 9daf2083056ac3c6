/**
 * The kit's own bounds on a peer snapshot, beyond the node's rules: the file is strangers' text (written
 * from on-chain data, or handed over by someone), and the plan must finish in bounded time and memory
 * whatever it holds. The node writes nothing that comes near these bounds (the bundled mainnet snapshot:
 * 150 KB, nesting depth 5, 470 pools, 999 relays), so a file beyond them is not a snapshot worth reading.
 */

/**
 * Root object → bigLedgerPools → pool → relays → relay is depth 5 (`Point` is 2). JSON.parse itself
 * survives millions of levels, but at a cost in time and memory (8 million levels: 3 s, 0.5 GB).
 */
export const MAX_SNAPSHOT_DEPTH = 32;

/**
 * Big-ledger pools are those that together hold 90% of the active stake: a few hundred on mainnet, out of
 * about 3,000 registered pools. 10,000 leaves room for growth and keeps the plan within seconds.
 */
export const MAX_SNAPSHOT_POOLS = 10_000;

/** A pool registers a handful of relays (its registration certificate must fit in a transaction). */
export const MAX_SNAPSHOT_RELAYS = 50_000;

/**
 * The deepest nesting of `[` and `{` in JSON text (outside strings), or `limit + 1` as soon as it is
 * deeper than `limit`. Linear, and never builds anything.
 */
export function jsonNestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return limit + 1;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Why the kit will not read this many pools and relays, or undefined. */
export function sizeProblem(pools: number, relays: number): string | undefined {
  if (pools > MAX_SNAPSHOT_POOLS) {
    return `lists ${pools} pools; the kit reads at most ${MAX_SNAPSHOT_POOLS} (a big-ledger snapshot lists the pools that hold 90% of the stake: a few hundred)`;
  }
  if (relays > MAX_SNAPSHOT_RELAYS) return `lists ${relays} relays; the kit reads at most ${MAX_SNAPSHOT_RELAYS}`;
  return undefined;
}
