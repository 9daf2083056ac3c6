/**
 * The signer's era reader settings for a network: the `cardano-chain` adapter reading the era markers at
 * the network's era address, verified with its era key (both pinned in ./era-reader, see its README).
 *
 * Upstream: IntersectMBO/mithril 2630.0 `networks.json` (`era-reader.adapter-type` is `cardano-chain` on
 * every network the kit deploys to) and `internal/mithril-era/src/adapters/builder.rs`
 * (`AdapterBuilder::build`: `CardanoChainAdapterConfig { address, verification_key }` from JSON). The
 * signer's own default, `bootstrap` (`mithril-signer/src/configuration.rs` `DefaultConfiguration`), is
 * for devnets only.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { NetworkProfile } from "../../networks/networks";

export const ERA_READER_ADAPTER_TYPE = "cardano-chain";

/** The repository folder holding `<mithrilRelease>.era.<addr|vkey>`. */
export const ERA_READER_SOURCE_DIR = path.join(__dirname, "era-reader");

export interface EraReaderSettings {
  readonly address: string;
  readonly verificationKey: string;
}

export function eraReaderSettings(network: NetworkProfile): EraReaderSettings {
  const read = (kind: string) => readFileSync(path.join(ERA_READER_SOURCE_DIR, `${network.mithrilRelease}.era.${kind}`), "utf8");
  return { address: read("addr"), verificationKey: read("vkey") };
}

/** ERA_READER_ADAPTER_PARAMS: compact JSON, the field names `AdapterBuilder::build` deserializes. */
export function eraReaderAdapterParams(settings: EraReaderSettings): string {
  return JSON.stringify({ address: settings.address, verification_key: settings.verificationKey });
}
