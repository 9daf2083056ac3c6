/**
 * The Mithril genesis and ancillary verification keys of each network, pinned in the kit (see
 * ./mithril-keys/README.md for their provenance) so that a key change is a reviewed diff, never a
 * download at boot.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { NetworkProfile } from "../networks/networks";

export interface MithrilKeys {
  /** Verifies the certificate chain of the snapshot. */
  readonly genesis: string;
  /** Verifies the ancillary files (ledger state snapshot, last immutable file). */
  readonly ancillary: string;
}

/** The repository folder holding `<mithrilRelease>.<genesis|ancillary>.vkey`. */
export const MITHRIL_KEYS_SOURCE_DIR = path.join(__dirname, "mithril-keys");

/** The keys of a network's Mithril release, byte for byte. */
export function mithrilKeys(network: NetworkProfile): MithrilKeys {
  const read = (kind: string) => readFileSync(path.join(MITHRIL_KEYS_SOURCE_DIR, `${network.mithrilRelease}.${kind}.vkey`), "utf8");
  return { genesis: read("genesis"), ancillary: read("ancillary") };
}
