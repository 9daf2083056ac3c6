/**
 * The stake pool program: read the stack's config, check it completely, then create the pool.
 * Operator mistakes stop the run before any resource is created, with every problem listed.
 */
import * as pulumi from "@pulumi/pulumi";
import { rawConfigFromRuntime } from "./components/config/pulumi-config";
import { isPlanRun, planNow } from "./components/config/mode";
import { ConfigurationError, formatWarning } from "./components/config/problems";
import { loadPool, type PoolPlan } from "./components/program/load";
import { StakePool } from "./components/program/stake-pool";
import { SshPool } from "./components/backends/ssh/ssh-pool";
import { planDeployment } from "./components/deployment/deployment";

function load(): PoolPlan {
  try {
    // The Pulumi CLI runs the program from the project folder; the plan loads it from there too.
    const plan = isPlanRun();
    return loadPool(rawConfigFromRuntime(), pulumi.getStack(), {
      plan,
      deploying: !plan && !pulumi.runtime.isDryRun(),
      baseDir: __dirname,
      now: plan ? planNow() : new Date(),
    });
  } catch (error) {
    // A RunError is printed without a stack trace: the message says what to fix.
    if (error instanceof ConfigurationError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

const loaded = load();
for (const warning of loaded.warnings) void pulumi.log.warn(formatWarning(warning));

// The same deliveries either way; on AWS the kit also makes the servers, their network and firewalls.
const pool =
  loaded.backend.kind === "aws" ? new StakePool("pool", { pool: loaded, placement: loaded.backend }) : new SshPool("pool", { pool: loaded, placement: loaded.backend, deployment: planDeployment(loaded) });

const { identity, releases } = loaded;
const opcert = identity.hotKeys.operationalCertificate;

/** Every host: name, role, sizes, private and public address, host key (on AWS also its zone and instance type). */
export const hosts = pool.hosts;
/** The relays as `cardano-cli ... registration-certificate` arguments (never the core). */
export const relayRegistration = pool.relayRegistration;
/** The whole registration command, to run on the offline machine. */
export const registrationCommand = pool.registrationCommand;
/** Whether the core forges, and what its operational certificate says (never key material). */
export const core = {
  forging: identity.hotKeys.state === "checked" || identity.hotKeys.state === "withheld",
  ...(opcert && identity.hotKeys.opcertStatus
    ? {
        opcert: {
          counter: opcert.counter,
          startKesPeriod: opcert.startKesPeriod,
          expiresAt: identity.hotKeys.opcertStatus.expiresAt.toISOString(),
        },
      }
    : {}),
  ...(identity.hotKeys.poolId ? { poolId: identity.hotKeys.poolId.bech32 } : {}),
};
/** The metadata the registration names: where it is served and its blake2b-256. */
export const metadata = identity.metadata ? { url: identity.metadata.url, hash: identity.metadata.file.hash } : undefined;
/** The cardano-node release the hosts run. */
export const nodeRelease = { version: releases.node.version, pinned: releases.node.sha256 !== undefined };
