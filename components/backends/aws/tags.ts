/** Tags on every AWS resource of the pool, so the console and the bill show what belongs to which pool. */
import type { PoolModel } from "../../model/pool";

export function poolTags(model: PoolModel, name: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    Name: `stakepool-${model.stack}-${name}`,
    "stakepool:stack": model.stack,
    "stakepool:network": model.network.name,
    ...extra,
  };
}
