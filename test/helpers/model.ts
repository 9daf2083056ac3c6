/** Pool models and loaded pools for tests, built the way loadPool builds them, with no problem allowed. */
import { expect } from "vitest";
import { readSettings } from "../../components/config/read";
import path from "node:path";
import { planDeployment } from "../../components/deployment/deployment";
import type { HostStep } from "../../components/features";
import type { NetworkName } from "../../components/networks/networks";
import { loadPool, type LoadedPool } from "../../components/program/load";
import { buildPoolModel, type HostSpec, type PoolModel } from "../../components/model/pool";
import { rawConfig, type ConfigValues } from "./config";

const ROOT = path.resolve(__dirname, "../..");

export function testModel(network: NetworkName, overrides: ConfigValues = {}, stack = "test"): PoolModel {
  const read = readSettings(rawConfig(network, overrides));
  expect(read.findings.problems).toEqual([]);
  const configured = overrides["aws:region"];
  const region = typeof configured === "string" ? configured : "us-east-2";
  const built = buildPoolModel({ settings: read.settings!, region, stack });
  expect(built.findings.problems).toEqual([]);
  return built.model!;
}

export function hostNamed(model: PoolModel, name: string): HostSpec {
  const found = model.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no host ${name} in the model`);
  return found;
}

/** A whole loaded pool (model, releases, identity, peers), loaded the way the program loads it. */
export function testPool(network: NetworkName, overrides: ConfigValues = {}, stack = "test", now = new Date("2026-11-26T00:00:00Z")): LoadedPool {
  return loadPool(rawConfig(network, overrides), stack, { plan: true, baseDir: ROOT, now });
}

/** A host's step of one feature, or undefined when the feature does not run there. */
export function stepOf(pool: LoadedPool, hostName: string, feature: string): HostStep | undefined {
  return planDeployment(pool).hosts.find((h) => h.host.name === hostName)?.steps.find((s) => s.name === feature);
}

/** A delivered file's content, by its path on the host. */
export function deliveredFile(step: HostStep | undefined, path: string): string {
  const file = step?.delivery.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the ${step?.name ?? "missing"} step`);
  return file.content;
}
