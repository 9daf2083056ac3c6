/**
 * The kit's node scripts, shipped as the static files in ./scripts (shellcheck-clean, tested for real)
 * and embedded byte for byte into user data. Only their settings file is rendered per host.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { kitScript } from "./paths";

export interface KitScript {
  /** File name in ./scripts and in KIT_LIB_DIR. */
  readonly name: string;
  /** Where cloud-init writes it. */
  readonly path: string;
  /** `0755` for what is run, `0644` for the sourced library. */
  readonly permissions: string;
  readonly content: string;
}

/** The scripts folder in the repository. */
export const SCRIPTS_DIR = path.join(__dirname, "scripts");

/** Sorted by name. */
export const KIT_SCRIPT_NAMES = [
  "common.sh",
  "data-volume.sh",
  "install-node.sh",
  "mithril-bootstrap.sh",
  "node-apply.sh",
  "node-config.py",
  "node-setup.sh",
] as const;

export function kitScripts(): KitScript[] {
  return KIT_SCRIPT_NAMES.map((name) => ({
    name,
    path: kitScript(name),
    permissions: name === "common.sh" ? "0644" : "0755",
    content: readFileSync(path.join(SCRIPTS_DIR, name), "utf8"),
  }));
}
