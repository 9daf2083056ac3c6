/**
 * A temporary root in which the node scripts run for real: cloud-init's files written under it exactly as
 * the kit renders them, every path and URL of the settings pointed into it or at a loopback server, stub
 * systemctl, and builders for release tarballs. Nothing outside the root (and loop devices a test
 * attaches) is touched.
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { nodeSettings } from "../../components/node/env-file";
import { kitScript, NODE_ENV_FILE, RELEASE_ENV_FILE } from "../../components/node/paths";
import type { HostSpec, PoolModel } from "../../components/model/pool";
import type { LoopbackServer } from "../helpers/http-server";

export type NetworkName = "mainnet" | "preprod" | "preview";

import { stepOf, testModel, testPool } from "../helpers/model";

export { testModel };

export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Sandbox {
  readonly root: string;
  readonly model: PoolModel;
  readonly host: HostSpec;
  /** The settings as the scripts see them (file values overridden into the root). */
  readonly settings: Readonly<Record<string, string>>;
  /** `root + p` */
  at(p: string): string;
  /** Runs one of the kit's scripts as cloud-init wrote it, with the sandbox's environment. */
  run(script: string, args?: readonly string[], env?: Readonly<Record<string, string>>): Promise<RunResult>;
  /** Runs a shell command line as delivered over SSH; `sudo` and `cloud-init` are stubs here. */
  shell(command: string): Promise<RunResult>;
  /** Sets a unit's state in the systemctl stand-in (`active`, `failed`, …); `fails` makes every start fail. */
  unitState(unit: string, state: string, options?: { fails?: boolean }): void;
  /** Every `systemctl` call so far, one string per call. */
  systemctlCalls(): string[];
  /** Every `tar` call so far. */
  tarCalls(): string[];
  cleanup(): void;
}

export interface SandboxOptions {
  readonly network?: NetworkName;
  readonly hostName?: string;
  readonly server: LoopbackServer;
  /** The node user: `nobody` proves ownership changes and the user switch; `root` needs none. */
  readonly nodeUser?: "nobody" | "root";
  readonly mithril?: boolean;
  /** Settings to set in the environment on top of the sandbox's. */
  readonly env?: Readonly<Record<string, string>>;
}

/** URLs of the loopback server standing in for GitHub releases and IMDS. */
export function releaseBase(server: LoopbackServer, kind: "node" | "mithril"): string {
  return `${server.url}/releases/${kind}`;
}

function execute(file: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const pool = testPool(options.network ?? "preview", { relays: 2, mithrilBootstrap: options.mithril ?? true });
  const model = pool.model;
  const host = model.hosts.find((h) => h.name === (options.hostName ?? "relay-1"))!;
  const root = mkdtempSync(path.join(os.tmpdir(), "stakepool-node-"));
  // Other users (the node user) must be able to traverse the root, as they can traverse /.
  chmodSync(root, 0o755);
  const at = (p: string) => path.join(root, p);

  // What the node-setup and node steps deliver, under the root (release pins come from each test's env).
  const delivered = [...stepOf(pool, host.name, "node-setup")!.delivery.files, ...stepOf(pool, host.name, "node")!.delivery.files];
  for (const file of delivered.filter((f) => f.path !== RELEASE_ENV_FILE)) {
    mkdirSync(path.dirname(at(file.path)), { recursive: true });
    writeFileSync(at(file.path), file.content, { mode: Number.parseInt(file.mode, 8) });
    chmodSync(at(file.path), Number.parseInt(file.mode, 8));
  }

  const stubs = at("test-stubs");
  mkdirSync(stubs, { recursive: true });
  const systemctlLog = at("test-stubs/systemctl.log");
  const tarLog = at("test-stubs/tar.log");
  // systemctl: logs every call; keeps each unit's state in test-stubs/units/<unit>.{state,restarts}
  // (default inactive, 0 restarts). start/restart make a unit active, or failed when <unit>.fails exists.
  const units = at("test-stubs/units");
  mkdirSync(units, { recursive: true });
  writeFileSync(
    path.join(stubs, "systemctl"),
    [
      "#!/bin/sh",
      `echo "$*" >> '${systemctlLog}'`,
      `u='${units}'`,
      'case "$1" in',
      '  show) unit=$5; case "$3" in ActiveState) cat "$u/$unit.state" 2>/dev/null || echo inactive ;; NRestarts) cat "$u/$unit.restarts" 2>/dev/null || echo 0 ;; esac ;;',
      '  is-active) [ "$(cat "$u/$3.state" 2>/dev/null)" = active ] || { [ "$2" = --quiet ] || echo inactive; exit 3; } ;;',
      '  start|restart) unit=$2; [ "$unit" = --no-block ] && unit=$3; if [ -e "$u/$unit.fails" ]; then echo failed > "$u/$unit.state"; echo 1 > "$u/$unit.restarts"; else echo active > "$u/$unit.state"; fi ;;',
      "esac",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  writeFileSync(path.join(stubs, "sudo"), '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n', { mode: 0o755 });
  writeFileSync(path.join(stubs, "cloud-init"), `#!/bin/sh\necho "$*" >> '${at("test-stubs/cloud-init.log")}'\n`, { mode: 0o755 });
  const realTar = execFileSync("sh", ["-c", "command -v tar"], { encoding: "utf8" }).trim();
  writeFileSync(path.join(stubs, "tar"), `#!/bin/sh\necho "$*" >> '${tarLog}'\nexec '${realTar}' "$@"\n`, { mode: 0o755 });

  const user = options.nodeUser ?? "root";
  const fileSettings = nodeSettings(model, model.core);
  const overrides: Record<string, string> = {
    IMDS_URL: options.server.url,
    NODE_RELEASE_BASE_URL: releaseBase(options.server, "node"),
    MITHRIL_RELEASE_BASE_URL: releaseBase(options.server, "mithril"),
    SYSTEMCTL: path.join(stubs, "systemctl"),
    NODE_USER: user,
    NODE_GROUP: user === "nobody" ? "nogroup" : "root",
    DEVICE_WAIT_SECONDS: "3",
    LOCK_WAIT_SECONDS: "20",
  };
  // The scripts only hand the aggregator's URL to mithril-client (a stub here); they never contact it.
  const passedThrough = new Set(["MITHRIL_AGGREGATOR"]);
  for (const [key, value] of Object.entries(fileSettings)) {
    if (key in overrides || passedThrough.has(key)) continue;
    if (value.startsWith("/")) overrides[key] = at(value);
    else if (/^[a-z]+:\/\//.test(value)) throw new Error(`the sandbox does not redirect the URL setting ${key}`);
  }
  for (const dir of ["srv/cardano", "opt", "etc", "dev/disk/by-id", "run/lock"]) mkdirSync(at(dir), { recursive: true });
  const settings = { ...fileSettings, ...overrides, ...options.env };

  const baseEnv: Record<string, string> = {
    PATH: `${stubs}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    STAKEPOOL_NODE_ENV: at(NODE_ENV_FILE),
    STAKEPOOL_RELEASE_ENV: at(RELEASE_ENV_FILE),
    LANG: "C.UTF-8",
    ...overrides,
    ...options.env,
  };
  const readLines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);

  return {
    root,
    model,
    host,
    settings,
    at,
    run(script, args = [], env = {}) {
      return execute(at(kitScript(script)), [...args], { ...baseEnv, ...env });
    },
    shell(command) {
      return execute("bash", ["-c", command], baseEnv);
    },
    unitState(unit, state, options = {}) {
      writeFileSync(path.join(units, `${unit}.state`), `${state}\n`);
      if (options.fails) writeFileSync(path.join(units, `${unit}.fails`), "");
      else rmSync(path.join(units, `${unit}.fails`), { force: true });
    },
    systemctlCalls: () => readLines(systemctlLog),
    tarCalls: () => readLines(tarLog),
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Answers IMDSv2 like EC2: a token for a PUT with a TTL header, tags only with that token. */
export function serveImds(server: LoopbackServer, tags: Readonly<Record<string, string>>): void {
  const token = randomBytes(12).toString("hex");
  server.route("PUT", "/latest/api/token", (req) =>
    req.headers["x-aws-ec2-metadata-token-ttl-seconds"] ? { body: token } : { status: 400, body: "missing TTL\n" },
  );
  for (const [key, value] of Object.entries(tags)) {
    server.route("GET", `/latest/meta-data/tags/instance/${key}`, (req) =>
      req.headers["x-aws-ec2-metadata-token"] === token ? { body: value } : { status: 401, body: "unauthorized\n" },
    );
  }
}

function tarGz(dir: string): Buffer {
  return execFileSync("tar", ["-czf", "-", "-C", dir, "."], { maxBuffer: 64 * 1024 * 1024 });
}

export interface NodeReleaseOptions {
  readonly network: NetworkName;
  /** Leave this file out of share/<network> (a broken release). */
  readonly omit?: string;
  /** Folders 0700 and files 0600/0700, as a tarball made under umask 077 carries them. */
  readonly ownerOnly?: boolean;
}

/** A cardano-node release tarball laid out like upstream's, with stub binaries that print the version. */
export function nodeReleaseTarball(version: string, options: NodeReleaseOptions): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-release-"));
  try {
    mkdirSync(path.join(dir, "bin"));
    for (const binary of ["cardano-node", "cardano-cli"]) {
      writeFileSync(path.join(dir, "bin", binary), `#!/bin/sh\necho "${binary} ${version} - linux-x86_64 - ghc-9.6"\n`, { mode: 0o755 });
    }
    const share = path.join(dir, "share", options.network);
    mkdirSync(share, { recursive: true });
    const genesis = { ByronGenesisFile: "byron-genesis.json", ShelleyGenesisFile: "shelley-genesis.json", AlonzoGenesisFile: "alonzo-genesis.json", ConwayGenesisFile: "conway-genesis.json" };
    // The official configs' shape (cardano-node configuration/cardano/*-config.json), abridged.
    const config: Record<string, unknown> = {
      ...genesis,
      ConsensusMode: "GenesisMode",
      Protocol: "Cardano",
      RequiresNetworkMagic: "RequiresMagic",
      TraceOptions: {
        "": { backends: ["EKGBackend", "Forwarder", "PrometheusSimple suffix 127.0.0.1 12798", "Stdout HumanFormatColoured"], detail: "DNormal", severity: "Notice" },
        ChainDB: { severity: "Info" },
      },
    };
    writeFileSync(path.join(share, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
    for (const file of [...Object.values(genesis), "topology.json", "peer-snapshot.json"]) {
      if (file !== options.omit) writeFileSync(path.join(share, file), "{}\n");
    }
    if (options.ownerOnly) execFileSync("chmod", ["-R", "go-rwx", dir]);
    return tarGz(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The URL path the install script asks for. */
export function nodeTarballPath(version: string): string {
  return `/releases/node/${version}/cardano-node-${version}-linux-amd64.tar.gz`;
}

export function mithrilTarballPath(version: string): string {
  return `/releases/mithril/${version}/mithril-${version}-linux-x64.tar.gz`;
}

export interface MithrilStubOptions {
  /** Where the stub records its user, environment and arguments (must be writable by the node user). */
  readonly recordFile: string;
  /** Exit with this status after writing a partial database. */
  readonly failWith?: number;
  /**
   * Contact the aggregator first (GET $AGGREGATOR_ENDPOINT, as the real client does) and fail with
   * status 4 when it does not answer 2xx: lets a test make "Mithril's endpoint is down" real.
   */
  readonly contactAggregator?: boolean;
}

/**
 * A Mithril distribution tarball whose mithril-client records how it was called and writes a small
 * database into <download-dir>/db, as the real client does.
 */
export function mithrilTarball(options: MithrilStubOptions): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-mithril-"));
  try {
    const stub = [
      "#!/bin/sh",
      "set -eu",
      "{",
      '  echo "user=$(id -un)"',
      '  echo "AGGREGATOR_ENDPOINT=${AGGREGATOR_ENDPOINT:-}"',
      '  echo "GENESIS_VERIFICATION_KEY=${GENESIS_VERIFICATION_KEY:-}"',
      '  echo "ANCILLARY_VERIFICATION_KEY=${ANCILLARY_VERIFICATION_KEY:-}"',
      '  for a in "$@"; do echo "arg=$a"; done',
      `} > '${options.recordFile}'`,
      ...(options.contactAggregator ? ['curl -fsS --max-time 5 "$AGGREGATOR_ENDPOINT" >/dev/null || { echo "aggregator unreachable" >&2; exit 4; }'] : []),
      'dir=""; prev=""',
      'for a in "$@"; do if [ "$prev" = "--download-dir" ]; then dir=$a; fi; prev=$a; done',
      '[ -n "$dir" ] || exit 2',
      'mkdir -p "$dir/db/immutable" "$dir/db/ledger"',
      'echo chunk > "$dir/db/immutable/00000.chunk"',
      'echo ledger > "$dir/db/ledger/164"',
      'echo 2 > "$dir/db/protocolMagicId"',
      `exit ${options.failWith ?? 0}`,
      "",
    ].join("\n");
    writeFileSync(path.join(dir, "mithril-client"), stub, { mode: 0o755 });
    writeFileSync(path.join(dir, "mithril-signer"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    return tarGz(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses the stub's record file. */
export function readMithrilRecord(file: string): { user: string; env: Record<string, string>; args: string[] } {
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  const env: Record<string, string> = {};
  const args: string[] = [];
  let user = "";
  for (const line of lines) {
    const eq = line.indexOf("=");
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === "user") user = value;
    else if (key === "arg") args.push(value);
    else env[key] = value;
  }
  return { user, env, args };
}
