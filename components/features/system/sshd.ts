/**
 * SSH on a pool host: the operator's key, the operator's user, nothing else. Written as a drop-in that
 * sorts before Ubuntu's own (`60-cloudimg-settings.conf`) and cloud-init's (`50-cloud-init.conf`):
 * sshd keeps the first value it reads for a keyword, so these settings win.
 *
 * Relays are the way in (ProxyJump: `ssh -J ubuntu@<relay> ubuntu@<core private IP>`, and the kit's own
 * deliveries to the core), so a relay forwards TCP, but only to the core's SSH port (and the monitoring
 * host's, when the pool has one). The core forwards nothing; the monitoring host forwards only to its own
 * Grafana and Prometheus on loopback (../monitoring/access.ts). Sources: sshd_config(5) of OpenSSH 9.x (Ubuntu 24.04 ships 9.6; Debian 12, 9.2).
 */
import type { HostSpec, PoolModel } from "../../model/pool";
import { MONITOR_FORWARDS, relayPermitOpen } from "../monitoring/access";

/** Read before the image's own drop-ins (first value wins in sshd). */
export const SSHD_DROP_IN_PATH = "/etc/ssh/sshd_config.d/10-stakepool.conf";

export interface SshdSetting {
  readonly keyword: string;
  readonly value: string;
  /** Written above the setting in the file, for the reviewer. */
  readonly why: string;
}

/** The sshd settings of one host, in the order they are written. */
export function sshdSettings(model: PoolModel, host: HostSpec): readonly SshdSetting[] {
  const behind = [model.core, ...(model.monitor ? [model.monitor] : [])];
  const forwarding: readonly SshdSetting[] =
    host.role === "relay"
      ? [
          { keyword: "AllowTcpForwarding", value: "local", why: `ProxyJump to the ${model.monitor ? "core and the monitoring host goes" : "core goes"} through this relay` },
          {
            keyword: "PermitOpen",
            value: behind.map((h) => relayPermitOpen(h.privateIp, h.login.port)).join(" "),
            why: model.monitor ? "and nowhere but their SSH ports" : "and nowhere but the core's SSH port",
          },
        ]
      : host.role === "monitor"
        ? [
            { keyword: "AllowTcpForwarding", value: "local", why: "the operator's tunnel to Grafana (and Prometheus, for npm run status)" },
            { keyword: "PermitOpen", value: MONITOR_FORWARDS.join(" "), why: "and nowhere but their loopback ports" },
          ]
        : [{ keyword: "AllowTcpForwarding", value: "no", why: "the core is never a way to anywhere else" }];
  return [
    { keyword: "PermitRootLogin", value: "no", why: "root never logs in; the operator uses sudo" },
    {
      keyword: "PubkeyAuthentication",
      value: "yes",
      why: model.authorizedKey === undefined ? "the operator's keys are the only way in" : "the EC2 key pair's key is the only way in",
    },
    { keyword: "AuthenticationMethods", value: "publickey", why: "no other method is offered" },
    { keyword: "PasswordAuthentication", value: "no", why: "no passwords to guess" },
    { keyword: "KbdInteractiveAuthentication", value: "no", why: "no PAM prompts either" },
    { keyword: "PermitEmptyPasswords", value: "no", why: "belt and braces" },
    { keyword: "AllowUsers", value: host.login.user, why: "only the operator's user; the node's service user has no shell" },
    { keyword: "LoginGraceTime", value: "30", why: "unauthenticated connections do not linger" },
    ...forwarding,
    { keyword: "AllowAgentForwarding", value: "no", why: "the operator's agent stays on the operator's machine" },
    { keyword: "AllowStreamLocalForwarding", value: "no", why: "no Unix-socket forwarding (the node's socket stays local)" },
    { keyword: "GatewayPorts", value: "no", why: "no listening ports opened for others" },
    { keyword: "PermitTunnel", value: "no", why: "no tun/tap devices" },
    { keyword: "X11Forwarding", value: "no", why: "a server has no display" },
    { keyword: "PermitUserEnvironment", value: "no", why: "a key cannot change the login's environment" },
  ];
}

/** The drop-in's text. */
export function renderSshdDropIn(model: PoolModel, host: HostSpec): string {
  const lines = [`# SSH on ${host.name} (${host.role}): written by the stakepool kit at first boot.`];
  for (const s of sshdSettings(model, host)) {
    lines.push(`# ${s.why}`, `${s.keyword} ${s.value}`);
  }
  return `${lines.join("\n")}\n`;
}
