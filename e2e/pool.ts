/**
 * The pool the box deploys: a preview pool of a core and relays, loaded by the kit's own loadPool
 * from stack config, as `pulumi up` loads it. The hot keys are given as secrets (a matched set: the
 * test fixtures' KES and VRF keys, an operational certificate for that KES key), the releases are the
 * stand-ins with their SHA-256 pinned, and the admin network and SSH key are the box's own.
 *
 * On AWS (`stakepool:backend aws`, the default) the kit places the hosts; on the operator's own servers
 * (`stakepool:backend ssh`) the stack lists them in `stakepool:servers`, as an operator writes it for the
 * servers a provider handed over: their addresses, login user and port, host key, memory and data disk.
 * The own servers' pool also runs the monitoring host (alerts to a webhook and a heartbeat on the wire)
 * and the Mithril signer on its core.
 */
import path from "node:path";
import type { RawConfig } from "../components/config/read";
import { kesPeriodAt } from "../components/keys/kes";
import { NETWORKS } from "../components/networks/networks";
import { loadPool, type PoolPlan } from "../components/program/load";
import { KES_SKEY, opcertFor, VRF_SKEY } from "../test/helpers/hot-keys";
import { ADMIN, HOOKS_ADDRESS } from "./network";

export const STACK = "e2e";
export const NETWORK = "preview";
const ROOT = path.resolve(__dirname, "..");

export interface PoolInputs {
  readonly adminKey: string;
  readonly node: { readonly version: string; readonly sha256: string };
  readonly mithril: { readonly version: string; readonly sha256: string };
  readonly peerSeed: string;
  /** The operational certificate: its start KES period and issue counter. */
  readonly opcert: { readonly startKesPeriod: number; readonly counter: number };
  /** The operator's networks (default: the admin party's address as a /32). */
  readonly adminCidrs?: readonly string[];
  /** The operator's own servers (`stakepool:backend ssh`); absent: the pool runs on AWS. */
  readonly servers?: readonly BoxServer[];
}

/** One entry of `stakepool:servers`, as components/backends/ssh/inventory.ts reads it. */
export interface BoxServer {
  readonly name: string;
  readonly role: "core" | "relay" | "monitor";
  readonly address: string;
  readonly publicAddress?: string;
  readonly sshUser: string;
  readonly sshPort: number;
  readonly hostKey: string;
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
  /** The chain's disk (the core and the relays; the monitoring host keeps its metrics on its root disk). */
  readonly dataDevice?: string;
}

/** The current KES period of the pool's network. */
export function currentKesPeriod(now: Date): number {
  return kesPeriodAt(NETWORKS[NETWORK].timing, now);
}

export function poolConfig(inputs: PoolInputs): RawConfig {
  const placement: Record<string, string> =
    inputs.servers === undefined
      ? { "aws:region": "us-east-2", "stakepool:relays": "2", "stakepool:sshPublicKey": inputs.adminKey }
      : // The servers keep the key their provider installed; the kit is told only where and how to log in.
        { "stakepool:backend": "ssh", "stakepool:servers": JSON.stringify(inputs.servers) };
  const values: Record<string, string> = {
    ...placement,
    "stakepool:network": NETWORK,
    "stakepool:adminCidrs": JSON.stringify(inputs.adminCidrs ?? [`${ADMIN.ipv4}/32`]),
    "stakepool:nodeVersion": inputs.node.version,
    "stakepool:nodeSha256": inputs.node.sha256,
    "stakepool:mithrilVersion": inputs.mithril.version,
    "stakepool:mithrilSha256": inputs.mithril.sha256,
    "stakepool:peerSeed": inputs.peerSeed,
    ...(inputs.servers === undefined
      ? // On AWS the box runs no monitoring host (its alerts would go to SNS, which the box cannot play): the
        // own servers' box proves the monitoring, and the Mithril signer, on a pool that runs both.
        { "stakepool:monitoring": "false" }
      : {
          "stakepool:monitoring": "true",
          // The operator's webhook and dead-man service, on the wire (e2e/services.ts), over HTTPS.
          "stakepool:alertWebhookUrl": `https://${HOOKS_ADDRESS}/alerts`,
          "stakepool:alertHeartbeatUrl": `https://${HOOKS_ADDRESS}/heartbeat`,
          // Off by default on preview (components/features/mithril-signer): the operator turns it on.
          "stakepool:mithrilSigner": "true",
        }),
    "stakepool:kesSigningKey": KES_SKEY,
    "stakepool:vrfSigningKey": VRF_SKEY,
    "stakepool:operationalCertificate": opcertFor(inputs.opcert.startKesPeriod, inputs.opcert.counter),
  };
  const secretKeys = new Set(["stakepool:kesSigningKey", "stakepool:vrfSigningKey", "stakepool:operationalCertificate"]);
  return { values, secretKeys };
}

/** The pool as `pulumi up` would load it at `now`. */
export function loadBoxPool(inputs: PoolInputs, now: Date): PoolPlan {
  return loadPool(poolConfig(inputs), STACK, { deploying: true, baseDir: ROOT, now });
}
