/** The signer feature's input for a test pool, as the lead's wiring would build it from the model. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { proxyRelays, type MithrilSignerInput } from "../../../components/features/mithril-signer/input";
import { NETWORKS, type NetworkName } from "../../../components/networks/networks";
import { KIT_MITHRIL_PINS } from "../../../components/node/pins";
import type { PoolModel } from "../../../components/model/pool";
import { testModel } from "../../helpers/model";

export const MITHRIL_VERSION = "2630.0";

export function signerInput(network: NetworkName, relays = 2): { model: PoolModel; input: MithrilSignerInput } {
  const model = testModel(network, { relays });
  return {
    model,
    input: {
      network: NETWORKS[network],
      coreIp: model.core.privateIp,
      proxyRelayIps: proxyRelays(model.relays).map((r) => r.privateIp),
      mithril: { version: MITHRIL_VERSION, sha256: KIT_MITHRIL_PINS[MITHRIL_VERSION] },
      monitorIp: undefined,
    },
  };
}

export interface SignerSetting {
  readonly env: string;
  readonly field: string | null;
  readonly required: boolean;
  readonly default: string | null;
}

export interface SignerConfigurationFixture {
  readonly source: { readonly repository: string; readonly tag: string; readonly commit: string };
  readonly settings: readonly SignerSetting[];
}

const FIXTURES = path.join(__dirname, "fixtures");

/** Every setting mithril-signer 2630.0 reads from its environment (extracted from its configuration code). */
export function signerConfiguration(): SignerConfigurationFixture {
  return JSON.parse(readFileSync(path.join(FIXTURES, "signer-configuration-2630.0.json"), "utf8")) as SignerConfigurationFixture;
}

interface NetworksJson {
  readonly [network: string]: { readonly "mithril-networks": ReadonlyArray<Record<string, { aggregators: { url: string }[]; "era-reader": { "adapter-type": string } }>> };
}

/** IntersectMBO/mithril 2630.0 networks.json, byte for byte. */
export function networksJson(): NetworksJson {
  return JSON.parse(readFileSync(path.join(FIXTURES, "networks-2630.0.json"), "utf8")) as NetworksJson;
}

/** The KEY=value lines of an environment or settings file (comments and blank lines skipped). */
export function envLines(text: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (settings.has(line.slice(0, eq))) throw new Error(`${line.slice(0, eq)} set twice`);
    settings.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return settings;
}
