/** Pool models for the firewall tests, built the way the program builds them. */
import { expect } from "vitest";
import { readSettings } from "../../components/config/read";
import { buildPoolModel, type PoolModel } from "../../components/pool/model";
import { rawConfig, type ConfigValues } from "../helpers/config";

export function poolModel(overrides: ConfigValues = {}, network: "mainnet" | "preprod" | "preview" = "preview", stack = "fw"): PoolModel {
  const read = readSettings(rawConfig(network, overrides));
  expect(read.findings.problems).toEqual([]);
  const built = buildPoolModel({ settings: read.settings!, region: "us-east-2", stack });
  expect(built.findings.problems).toEqual([]);
  return built.model!;
}

export function host(model: PoolModel, name: string) {
  const found = model.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no host ${name} in the model`);
  return found;
}
