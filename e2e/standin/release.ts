/**
 * Stand-in release tarballs, laid out like the real ones so the kit's install scripts take them as they
 * are: cardano-node-<version>-linux-amd64.tar.gz (bin/cardano-node, bin/cardano-cli, share/<network>/
 * config.json and every genesis file it names), mithril-<version>-linux-x64.tar.gz (mithril-client and
 * mithril-signer at its top level) and Grafana's grafana-<version>.linux-amd64.tar.gz (one folder,
 * grafana-<version>, with bin/grafana). The node tarball also carries the stand-in's file checker under libexec/: the kit's
 * rules modules transpiled with the TypeScript compiler, unchanged.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { NETWORKS, type NetworkName } from "../../components/networks/networks";
import { MITHRIL_TARBALL_PATTERN, NODE_TARBALL_PATTERN } from "../../components/networks/releases";

const ROOT = path.resolve(__dirname, "../..");

/** The checker and the kit modules it imports, by path from the repository root. */
export const CHECKER_SOURCES = [
  "e2e/standin/checker.ts",
  "components/keys/envelope-types.ts",
  "components/networks/networks.ts",
  "components/node/rules/node-config.ts",
  "components/node/rules/peer-snapshot.ts",
  "components/node/rules/topology.ts",
] as const;

export const CHECKER_DIR = "libexec/stakepool-e2e";

export interface Tarball {
  readonly version: string;
  readonly file: string;
  readonly sha256: string;
  /** The path under the release server's root, the same as on github.com. */
  readonly urlPath: string;
}

function write(file: string, content: string, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

/** Tars `dir`'s content (`.`, as the node's and Mithril's releases are laid out) or one folder in it. */
function tarball(dir: string, file: string, member = "."): string {
  mkdirSync(path.dirname(file), { recursive: true });
  // The tarball's top folder as a release has it (mkdtemp made it 0700; install-node.sh keeps its mode).
  chmodSync(dir, 0o755);
  execFileSync("tar", ["--owner=0", "--group=0", "--numeric-owner", "-czf", file, "-C", dir, member]);
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Transpiles the checker and its imports into `into`, keeping their paths (CommonJS, for the guest's Node.js 18). */
export function writeChecker(into: string): void {
  for (const source of CHECKER_SOURCES) {
    const output = ts.transpileModule(readFileSync(path.join(ROOT, source), "utf8"), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    write(path.join(into, source.replace(/\.ts$/, ".js")), output.outputText);
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A stand-in cardano-node release for `network`; the tarball lands in `releasesDir` under its github.com path. */
export function nodeRelease(version: string, network: NetworkName, releasesDir: string): Tarball {
  const profile = NETWORKS[network];
  const dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-e2e-node-"));
  try {
    const node = readFileSync(path.join(__dirname, "cardano-node.py"), "utf8").replaceAll("@VERSION@", version);
    write(path.join(dir, "bin", "cardano-node"), node, 0o755);
    write(
      path.join(dir, "bin", "cardano-cli"),
      [
        "#!/bin/sh",
        `# STAND-IN cardano-cli ${version} for the stakepool kit's e2e run: it knows --version only.`,
        `if [ "$1" = --version ] || [ "$1" = version ]; then echo "cardano-cli ${version} - linux-x86_64 - ghc-9.6 (STAND-IN, not cardano-cli)"; exit 0; fi`,
        `echo "STAND-IN cardano-cli ${version}: not cardano-cli; '$*' is not implemented" >&2`,
        "exit 1",
        "",
      ].join("\n"),
      0o755,
    );
    writeChecker(path.join(dir, CHECKER_DIR));

    const share = path.join(dir, "share", network);
    const genesis = {
      ByronGenesisFile: "byron-genesis.json",
      ShelleyGenesisFile: "shelley-genesis.json",
      AlonzoGenesisFile: "alonzo-genesis.json",
      ConwayGenesisFile: "conway-genesis.json",
    };
    // The official configuration's shape (iohk-nix cardano-lib, as shipped in the release), abridged.
    write(
      path.join(share, "config.json"),
      json({
        ...genesis,
        CheckpointsFile: "checkpoints.json",
        ConsensusMode: profile.consensusMode,
        Protocol: "Cardano",
        RequiresNetworkMagic: "RequiresMagic",
        TraceOptions: {
          "": { backends: ["EKGBackend", "Forwarder", "PrometheusSimple suffix 127.0.0.1 12798", "Stdout HumanFormatColoured"], detail: "DNormal", severity: "Notice" },
        },
      }),
    );
    // The fields of the Shelley genesis the stand-in reads (magic, start, KES timing); from the kit's network facts.
    write(
      path.join(share, "shelley-genesis.json"),
      json({
        networkMagic: profile.magic,
        systemStart: new Date((profile.timing.firstShelleyTime - profile.timing.firstShelleySlot * profile.timing.slotLengthSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        slotLength: profile.timing.slotLengthSeconds,
        slotsPerKESPeriod: profile.timing.slotsPerKesPeriod,
        maxKESEvolutions: profile.timing.maxKesEvolutions,
      }),
    );
    for (const file of ["byron-genesis.json", "alonzo-genesis.json", "conway-genesis.json", "checkpoints.json", "topology.json", "peer-snapshot.json"]) {
      write(path.join(share, file), json({ standIn: `not the ${network} ${file}` }));
    }

    const name = NODE_TARBALL_PATTERN.replaceAll("{version}", version);
    const urlPath = `/IntersectMBO/cardano-node/releases/download/${version}/${name}`;
    const file = path.join(releasesDir, urlPath);
    return { version, file, sha256: tarball(dir, file), urlPath };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A stand-in Mithril distribution whose mithril-client writes a small database for `network`. */
export function mithrilRelease(version: string, network: NetworkName, releasesDir: string): Tarball {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-e2e-mithril-"));
  try {
    const client = readFileSync(path.join(__dirname, "mithril-client.py"), "utf8").replaceAll("@VERSION@", version).replaceAll("@MAGIC@", String(NETWORKS[network].magic));
    write(path.join(dir, "mithril-client"), client, 0o755);
    write(path.join(dir, "mithril-signer"), readFileSync(path.join(__dirname, "mithril-signer.py"), "utf8").replaceAll("@VERSION@", version), 0o755);
    const name = MITHRIL_TARBALL_PATTERN.replaceAll("{version}", version);
    const urlPath = `/IntersectMBO/mithril/releases/download/${version}/${name}`;
    const file = path.join(releasesDir, urlPath);
    return { version, file, sha256: tarball(dir, file), urlPath };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A stand-in Grafana release: the tarball's one folder holds bin/grafana (e2e/standin/grafana.py), under
 * the path of the kit's pinned URL (components/features/monitoring/grafana.ts GRAFANA_RELEASE).
 */
export function grafanaRelease(release: { readonly version: string; readonly url: string }, releasesDir: string): Tarball {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-e2e-grafana-"));
  try {
    const top = path.join(dir, `grafana-${release.version}`);
    write(path.join(top, "bin", "grafana"), readFileSync(path.join(__dirname, "grafana.py"), "utf8").replaceAll("@VERSION@", release.version), 0o755);
    write(path.join(top, "VERSION"), `${release.version} (STAND-IN for the stakepool kit's e2e run)\n`);
    const urlPath = new URL(release.url).pathname;
    const file = path.join(releasesDir, urlPath);
    return { version: release.version, file, sha256: tarball(dir, file, `grafana-${release.version}`), urlPath };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
