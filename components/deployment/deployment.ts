/**
 * The deployment: computed once from the loaded pool, it says for every host which steps reach it and
 * in which order, how the kit reaches it, and how restarts roll. The StakePool component turns it into
 * commands; the plan shows it. Neither decides anything again.
 *
 * - Steps run in feature order on a host, each after the previous one.
 * - Relays are reached at their public address; the core and the monitoring host only through the first
 *   relay (SSH jump).
 * - Restarting steps roll one host at a time: relays in order, the core last, each waiting until the
 *   node on the host before it stayed up. Every file the node reads is checked by the node's own rules
 *   before it ships (../node/rules).
 */
import { FEATURES, type HostStep } from "../features";
import { checkNodeFiles } from "../node/rules";
import type { LoadedPool } from "../pool/loaded";
import type { HostSpec } from "../model/pool";

export interface HostDeployment {
  readonly host: HostSpec;
  /** In the order they run on the host. */
  readonly steps: readonly HostStep[];
  /** The host the kit jumps through to reach this one, or undefined to reach it directly. */
  readonly via: string | undefined;
  /** Every file the plan writes under `hosts/<host>/`, by name. */
  readonly planFiles: ReadonlyMap<string, string>;
}

export interface Deployment {
  /** The core, then the relays in order, then the monitoring host (the model's order). */
  readonly hosts: readonly HostDeployment[];
  /** Host names in the order restarts roll: relays in order, then the core, then the monitoring host (which restarts no node). */
  readonly rollout: readonly string[];
}

const computed = new WeakMap<LoadedPool, Deployment>();

function hostDeployment(pool: LoadedPool, host: HostSpec, jump: HostSpec): HostDeployment {
  const steps = FEATURES.map((feature) => feature.step(pool, host)).filter((step): step is HostStep => step !== undefined);
  const planFiles = new Map<string, string>();
  for (const step of steps) {
    for (const [name, content] of Object.entries(step.planFiles)) {
      if (planFiles.has(name)) throw new Error(`two features of ${host.name} show a file named ${name}`);
      planFiles.set(name, content);
    }
  }
  const problems = checkNodeFiles(pool.model, host, planFiles);
  if (problems.length > 0) throw new Error(`the kit rendered files for ${host.name} that cardano-node would refuse: ${problems.join("; ")}`);
  // The core and the monitoring host are reached through the first relay; relays directly.
  return { host, steps, via: host.role === "relay" ? undefined : jump.name, planFiles };
}

/** The pool's deployment; computed once per loaded pool. */
export function planDeployment(pool: LoadedPool): Deployment {
  const cached = computed.get(pool);
  if (cached) return cached;
  const { model } = pool;
  const jump = model.relays[0]!;
  const deployment: Deployment = {
    hosts: model.hosts.map((host) => hostDeployment(pool, host, jump)),
    // The monitoring host last: it runs no node, and its way in is the first relay's.
    rollout: [...model.relays.map((r) => r.name), model.core.name, ...(model.monitor ? [model.monitor.name] : [])],
  };
  computed.set(pool, deployment);
  return deployment;
}
