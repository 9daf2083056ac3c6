/** Shell commands the features run on a host to tell the node about what they delivered. */
import { kitScript, NODE_SERVICE } from "../node/paths";

const UNIT = `${NODE_SERVICE}.service`;

/** Re-read topology, peer snapshot and credentials without a restart, if the node runs. */
export const RELOAD_NODE = `if systemctl is-active --quiet ${UNIT}; then systemctl reload ${UNIT}; fi`;

/** Bring the node to what was delivered: install, switch and restart only what changed, then wait. */
export const APPLY_NODE = kitScript("node-apply.sh");
