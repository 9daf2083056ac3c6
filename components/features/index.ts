/**
 * The features of a pool host, in the order their steps run on it. A feature that does not apply to a
 * host (the keys on a relay) contributes nothing there. Adding a feature is one file and one line here.
 */
import type { Feature } from "./feature";
import { firewall } from "./firewall";
import { hotKeys } from "./hot-keys";
import { mithrilSigner } from "./mithril-signer";
import { monitoring } from "./monitoring/index";
import { node } from "./node";
import { nodeSetup } from "./node-setup";
import { system } from "./system/index";
import { topology } from "./topology";

export const FEATURES: readonly Feature[] = [system, firewall, nodeSetup, topology, hotKeys, node, mithrilSigner, monitoring];

export type { Feature, HostStep, StepEffect } from "./feature";
