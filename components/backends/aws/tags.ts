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

/**
 * The instance tag the boot setup reads through IMDSv2 (instance-metadata tags are enabled on every AWS
 * host): the id of the host's chain-data volume, which only the cloud knows and which never changes
 * during the server's life.
 */
export const DATA_VOLUME_TAG = "stakepool:data-volume";
