/** How a relay is declared in a stake pool registration certificate (cardano-cli Option.hs). */
import { NODE_PORT } from "../networks/networks";

export type RelayAddress = { readonly ipv4: string } | { readonly dns: string };

export function relayRegistrationArgs(relay: RelayAddress, port: number = NODE_PORT): string {
  return "ipv4" in relay
    ? `--pool-relay-ipv4 ${relay.ipv4} --pool-relay-port ${port}`
    : `--single-host-pool-relay ${relay.dns} --pool-relay-port ${port}`;
}
