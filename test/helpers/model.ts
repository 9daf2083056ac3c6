/** Pool models and loaded pools for tests, built the way loadPool builds them, with no problem allowed. */
import { expect } from "vitest";
import { readSettings } from "../../components/config/read";
import path from "node:path";
import { planDeployment } from "../../components/deployment/deployment";
import type { HostStep } from "../../components/features";
import type { NetworkName } from "../../components/networks/networks";
import { loadPool, placePool, type PoolPlan } from "../../components/program/load";
import type { AwsPlacement } from "../../components/backends/aws/placement";
import type { HostSpec, PoolModel } from "../../components/model/pool";
import { rawConfig, type ConfigValues } from "./config";

const ROOT = path.resolve(__dirname, "../..");

/** The model and the AWS placement of a pool, placed the way loadPool places it. */
export function testPlacement(network: NetworkName, overrides: ConfigValues = {}, stack = "test"): { model: PoolModel; placement: AwsPlacement } {
  const read = readSettings(rawConfig(network, overrides));
  expect(read.findings.problems).toEqual([]);
  const configured = overrides["aws:region"];
  const region = typeof configured === "string" ? configured : "us-east-2";
  const placed = placePool(read.settings!, region, stack);
  expect(placed.findings.problems).toEqual([]);
  if (placed.placement?.kind !== "aws") throw new Error("testPlacement places AWS pools");
  return { model: placed.model!, placement: placed.placement };
}

export function testModel(network: NetworkName, overrides: ConfigValues = {}, stack = "test"): PoolModel {
  return testPlacement(network, overrides, stack).model;
}

export function hostNamed(model: PoolModel, name: string): HostSpec {
  const found = model.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no host ${name} in the model`);
  return found;
}

/** A whole loaded pool (model, releases, identity, peers), loaded the way the program loads it. */
export function testPool(network: NetworkName, overrides: ConfigValues = {}, stack = "test", now = new Date("2026-11-26T00:00:00Z")): PoolPlan {
  return loadPool(rawConfig(network, overrides), stack, { plan: true, baseDir: ROOT, now });
}

/** A host's step of one feature, or undefined when the feature does not run there. */
export function stepOf(pool: PoolPlan, hostName: string, feature: string): HostStep | undefined {
  return planDeployment(pool).hosts.find((h) => h.host.name === hostName)?.steps.find((s) => s.name === feature);
}

/** A delivered file's content, by its path on the host. */
export function deliveredFile(step: HostStep | undefined, path: string): string {
  const file = step?.delivery.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the ${step?.name ?? "missing"} step`);
  return file.content;
}
