/**
 * Every file the kit puts on a host, rendered from the model by pure functions. The Pulumi components
 * deploy exactly these bytes and the plan writes them to `hosts/<host>/` for review.
 */
import { baseCloudConfig, renderCloudConfig } from "../host/cloud-init";
import type { HostSpec, PoolModel } from "./model";

export interface HostFiles {
  /** User data: constant for the server's life. */
  readonly "cloud-init.yaml": string;
}

export function renderHostFiles(model: PoolModel, host: HostSpec): HostFiles {
  return {
    "cloud-init.yaml": renderCloudConfig(baseCloudConfig(model, host)),
  };
}
