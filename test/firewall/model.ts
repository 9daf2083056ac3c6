/** Pool models for the firewall tests, built the way the program builds them. */
import type { PoolModel } from "../../components/pool/model";
import type { ConfigValues } from "../helpers/config";
import { hostNamed, testModel } from "../helpers/model";

export function poolModel(overrides: ConfigValues = {}, network: "mainnet" | "preprod" | "preview" = "preview", stack = "fw"): PoolModel {
  return testModel(network, overrides, stack);
}

export const host = hostNamed;
