/** A pool model for tests, built the way loadPool builds it, with no problem allowed. */
import { expect } from "vitest";
import { readSettings } from "../../components/config/read";
import type { NetworkName } from "../../components/networks/networks";
import { buildPoolModel, type HostSpec, type PoolModel } from "../../components/pool/model";
import { rawConfig, type ConfigValues } from "./config";

export function testModel(network: NetworkName, overrides: ConfigValues = {}, stack = "test"): PoolModel {
  const read = readSettings(rawConfig(network, overrides));
  expect(read.findings.problems).toEqual([]);
  const region = String(overrides["aws:region"] ?? "us-east-2");
  const built = buildPoolModel({ settings: read.settings!, region, stack });
  expect(built.findings.problems).toEqual([]);
  return built.model!;
}

export function hostNamed(model: PoolModel, name: string): HostSpec {
  const found = model.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no host ${name} in the model`);
  return found;
}
