/** The signer's apply script, shipped as the static file in ./scripts (shellcheck-clean, run for real in tests). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { SIGNER_APPLY_SCRIPT_NAME } from "./commands";

/** The scripts folder in the repository. */
export const SIGNER_SCRIPTS_DIR = path.join(__dirname, "scripts");

export function signerApplyScript(): string {
  return readFileSync(path.join(SIGNER_SCRIPTS_DIR, SIGNER_APPLY_SCRIPT_NAME), "utf8");
}
