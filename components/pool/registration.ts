/**
 * How the pool is declared on chain: the `cardano-cli latest stake-pool registration-certificate`
 * command (cardano-cli Option.hs), with every relay and never the core, the metadata URL and hash, the
 * network flag, and the values only the operator knows as config or as placeholders. It runs on the
 * offline machine that holds the cold key, pasted into a shell: every value (and every placeholder) is
 * one shell word (components/config/shell.ts), so that no value can end the command or start another.
 */
import { shellQuote } from "../config/shell";
import { NODE_PORT, type NetworkProfile } from "../networks/networks";

export type RelayAddress = { readonly ipv4: string } | { readonly dns: string };

export function relayRegistrationArgs(relay: RelayAddress, port: number = NODE_PORT): string {
  return "ipv4" in relay
    ? `--pool-relay-ipv4 ${shellQuote(relay.ipv4)} --pool-relay-port ${port}`
    : `--single-host-pool-relay ${shellQuote(relay.dns)} --pool-relay-port ${port}`;
}

export interface RegistrationInputs {
  readonly network: NetworkProfile;
  /** The relays in order; their public addresses or DNS names. */
  readonly relays: readonly RelayAddress[];
  readonly metadata: { readonly url: string; readonly hash: string } | undefined;
  readonly pledge: string | undefined;
  readonly cost: string | undefined;
  readonly margin: string | undefined;
}

export function networkFlag(network: NetworkProfile): string {
  return network.name === "mainnet" ? "--mainnet" : `--testnet-magic ${network.magic}`;
}

/** The full command, one option per line, placeholders in angle brackets (quoted: `'<pledge in lovelace>'`). */
export function registrationCommand(inputs: RegistrationInputs): string {
  const lines = [
    "cardano-cli latest stake-pool registration-certificate",
    "--cold-verification-key-file cold.vkey",
    "--vrf-verification-key-file vrf.vkey",
    `--pool-pledge ${shellQuote(inputs.pledge ?? "<pledge in lovelace>")}`,
    `--pool-cost ${shellQuote(inputs.cost ?? "<fixed cost per epoch in lovelace>")}`,
    `--pool-margin ${shellQuote(inputs.margin ?? "<margin, e.g. 0.01>")}`,
    "--pool-reward-account-verification-key-file stake.vkey",
    "--pool-owner-stake-verification-key-file stake.vkey",
    ...inputs.relays.map((relay) => relayRegistrationArgs(relay)),
    ...(inputs.metadata ? [`--metadata-url ${shellQuote(inputs.metadata.url)}`, `--metadata-hash ${shellQuote(inputs.metadata.hash)}`] : []),
    networkFlag(inputs.network),
    "--out-file pool-registration.cert",
  ];
  return lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line)).join("\n  ");
}
