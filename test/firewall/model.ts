/** Pool models for the firewall tests, built the way the program builds them. */
import { compareCidrs } from "../../components/firewall/admin-cidrs";
import type { PoolModel } from "../../components/model/pool";
import type { ConfigValues } from "../helpers/config";
import { hostNamed, testModel } from "../helpers/model";

/**
 * The model of a pool with `overrides`. Admin ranges are laid into the built model as given (sorted,
 * deduplicated): the renderers are tested for any list, including ranges an AWS pool refuses (IPv6,
 * which a backend with IPv6 routes would accept; see test/firewall/admin-cidrs.test.ts for the checks).
 */
export function poolModel(overrides: ConfigValues = {}, network: "mainnet" | "preprod" | "preview" = "preview", stack = "fw"): PoolModel {
  const { adminCidrs, ...rest } = overrides;
  const model = testModel(network, rest, stack);
  if (adminCidrs === undefined) return model;
  return { ...model, adminCidrs: [...new Set(adminCidrs as readonly string[])].sort(compareCidrs) };
}

export const host = hostNamed;
