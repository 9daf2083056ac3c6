/**
 * What runs on a pool host is assembled from features (the system, the firewall, the node's setup, its
 * topology, the core's keys, the node itself; later monitoring and a Mithril signer). Each feature
 * contributes at most one step per host: files delivered over SSH and the commands that apply them.
 * A feature is one file; adding one touches its file and the list in ./index.ts.
 */
import type { Delivery } from "../delivery/bundle";
import type { LoadedPool } from "../pool/loaded";
import type { HostSpec } from "../model/pool";

/**
 * What a re-run of a step does to the node while it runs, for the plan's change report:
 * `files`: files change, the node does not notice; `reload`: the node re-reads them on SIGHUP;
 * `restart`: the node restarts. Restarting steps roll one host at a time, relays first, the core last.
 */
export type StepEffect = "files" | "reload" | "restart";

export interface HostStep {
  /** The feature's name; the step's command is `<pool>-<host>-<name>`. Identity: never renamed. */
  readonly name: string;
  readonly delivery: Delivery;
  /** Key material: travels as a Pulumi secret and its output is never logged. */
  readonly secret: boolean;
  readonly effect: StepEffect;
  /** Files the plan writes under `hosts/<host>/` for review, by name; never key material. */
  readonly planFiles: Readonly<Record<string, string>>;
}

export interface Feature {
  readonly name: string;
  /** The feature's step on `host`, or undefined when the feature does not run there. */
  step(pool: LoadedPool, host: HostSpec): HostStep | undefined;
}

/** Root-owned files, readable by all: most of what the kit writes. */
export const ROOT_FILE = { owner: "root", group: "root", mode: "0644" } as const;
