/**
 * The stake pool program: read the stack's config, check it completely, then create the pool.
 * Operator mistakes stop the run before any resource is created, with every problem listed.
 */
import * as pulumi from "@pulumi/pulumi";
import { rawConfigFromRuntime } from "./components/config/pulumi-config";
import { isPlanRun } from "./components/config/mode";
import { ConfigurationError, formatWarning } from "./components/config/problems";
import { loadPool, type LoadedPool } from "./components/pool/load";
import { StakePool } from "./components/pool/stake-pool";

function load(): LoadedPool {
  try {
    // The Pulumi CLI runs the program from the project folder; the plan loads it from there too.
    return loadPool(rawConfigFromRuntime(), pulumi.getStack(), { plan: isPlanRun(), baseDir: __dirname });
  } catch (error) {
    // A RunError is printed without a stack trace: the message says what to fix.
    if (error instanceof ConfigurationError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

const loaded = load();
for (const warning of loaded.warnings) void pulumi.log.warn(formatWarning(warning));

const pool = new StakePool("pool", { pool: loaded });

/** Every host: name, role, zone, instance type, private and public address. */
export const hosts = pool.hosts;
/** The relays as `cardano-cli ... registration-certificate` arguments (never the core). */
export const relayRegistration = pool.relayRegistration;
