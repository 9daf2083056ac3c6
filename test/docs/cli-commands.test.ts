/**
 * Every cardano-cli command an operator copies from this repository is one cardano-cli accepts: the
 * README's (code blocks, `\` continuations, code spans) and the plan's registration command
 * (components/pool/registration.ts, and the committed plans/*.md). "Accepts" = the command exists,
 * every option is one it takes, and every required option (or one of a required group) is there,
 * in cardano-cli 11.0.0.0 and 11.2.1.0 alike (why both: test/fixtures/cardano-cli-help/README.md).
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NETWORKS, NETWORK_NAMES } from "../../components/networks/networks";
import { INSTALL_ROOT, SOCKET_PATH } from "../../components/node/paths";
import { registrationCommand, type RelayAddress } from "../../components/pool/registration";
import { COUNTER_RULE, issueOpCertCommand } from "../../components/keys/rotation";
import { snapshotFix } from "../../components/topology/snapshot";
import { checkCandidates } from "../../components/topology/select";
import { ROOT, fixturePath } from "../fixtures/paths";
import { commandsInMarkdown, commandsInShell, shellWords, type CliCommandLine } from "../helpers/cli-commands";
import { checkInvocationInAll, loadCliHelp } from "../helpers/cli-usage";

const HELPS = ["11.0.0.0", "11.2.1.0"].map((version) => loadCliHelp(fixturePath(`cardano-cli-help/${version}`)));

/**
 * The kit's own rule on top of cardano-cli's: a peer snapshot for `stakepool:peerSnapshotFile` is the
 * default JSON of the big ledger peers. `--all-ledger-peers` writes `allLedgerPools`, which the node's
 * snapshot decoder refuses (it needs `bigLedgerPools`), and `--output-yaml` is no JSON at all
 * (cardano-cli `Cardano/CLI/EraBased/Query/Run.hs` `runQueryLedgerPeerSnapshot`; ouroboros-network
 * `LedgerPeers/Type.hs`, the snapshot's FromJSON). Paths are the kit's (components/node/paths.ts).
 */
function kitProblems(command: CliCommandLine): string[] {
  const problems: string[] = [];
  if (command.words.slice(0, 3).join(" ") === "latest query ledger-peer-snapshot") {
    for (const flag of ["--all-ledger-peers", "--output-yaml"]) if (command.words.includes(flag)) problems.push(`${flag}: the node cannot read that snapshot`);
  }
  const socket = command.words.indexOf("--socket-path");
  if (socket !== -1 && !command.words[socket + 1]?.startsWith("<") && command.words[socket + 1] !== SOCKET_PATH)
    problems.push(`--socket-path ${command.words[socket + 1]}: the kit's node socket is ${SOCKET_PATH}`);
  return problems;
}

function problemsOf(command: CliCommandLine): string[] {
  return [...checkInvocationInAll(HELPS, command.words), ...kitProblems(command)];
}

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const readme = commandsInMarkdown(README);

describe("commandsInMarkdown", () => {
  it("finds commands in fenced blocks (continuations joined), in code spans, after sudo and a path, up to a shell operator", () => {
    const markdown = [
      "Intro `cardano-cli` (the tool) and prose.", // 1
      "1. Keys:", // 2
      "   ```sh", // 3
      "   cardano-cli latest node key-gen-KES \\", // 4
      "     --verification-key-file kes.vkey --signing-key-file kes.skey  # a comment", // 5
      "   echo done; cardano-cli latest query tip --mainnet --socket-path s > tip.json", // 6
      "   ```", // 7
      "Then `sudo -u cardano /opt/cardano/current/bin/cardano-cli latest query pool-state", // 8
      "--stake-pool-id <pool id> --mainnet --socket-path s` shows it; `npm run plan` is no command.", // 9
    ].join("\n");
    const { commands, prose } = commandsInMarkdown(markdown);
    expect(commands.map((c) => [c.line, c.words.join(" ")])).toEqual([
      [4, "latest node key-gen-KES --verification-key-file kes.vkey --signing-key-file kes.skey"],
      [6, "latest query tip --mainnet --socket-path s"],
      [8, "latest query pool-state --stake-pool-id <pool id> --mainnet --socket-path s"],
    ]);
    expect(prose).toEqual([]);
  });

  it("reports a command written in prose, where nobody can copy it", () => {
    expect(commandsInMarkdown("Run cardano-cli latest query tip on a relay.").prose).toEqual([{ line: 1, text: "cardano-cli latest" }]);
  });

  it("keeps quoted words and placeholders whole", () => {
    expect(shellWords(`a "b c" 'd e' <f g> --x=<h>`).words).toEqual(["a", "b c", "d e", "<f g>", "--x=<h>"]);
    expect(shellWords("a b < file").words).toEqual(["a", "b"]);
  });
});

describe("README.md's cardano-cli commands", () => {
  it("are all in code, and include every command the operator runs", () => {
    expect(readme.prose).toEqual([]);
    const names = new Set(readme.commands.map((c) => c.words.slice(0, 3).join(" ")));
    for (const name of [
      "latest node key-gen",
      "latest node key-gen-VRF",
      "latest node key-gen-KES",
      "latest node issue-op-cert",
      "latest address key-gen",
      "latest stake-address key-gen",
      "latest address build",
      "latest stake-address registration-certificate",
      "latest stake-address stake-delegation-certificate",
      "latest query tip",
      "latest query pool-state",
      "latest query ledger-peer-snapshot",
    ])
      expect(names).toContain(name);
  });

  it.each(readme.commands.map((c) => [`README.md:${c.line}: ${c.text}`, c] as const))("%s", (_, command) => {
    expect(problemsOf(command)).toEqual([]);
  });

  it("run the installed cardano-cli on the hosts, where the kit puts it", () => {
    const onHost = [...README.matchAll(/(\S*)\/cardano-cli /g)].map((m) => m[1]!.replace(/^`/, ""));
    expect(onHost.length).toBeGreaterThan(0);
    expect(new Set(onHost)).toEqual(new Set([`${INSTALL_ROOT}/current/bin`]));
  });
});

describe("the check refuses what the README used to say", () => {
  // Lines of README.md before the fix, each one wrong in a way an operator meets only at the terminal.
  it.each([
    ["`cardano-cli latest query stake-pool-params --stake-pool-id <pool id>`", "'cardano-cli latest query stake-pool-params' is not a command"],
    ["`cardano-cli latest stake-address registration-certificate`", "needs --key-reg-deposit-amt"],
    ["`cardano-cli latest query ledger-peer-snapshot --out-file peers.json`", "needs one of ( --mainnet | --testnet-magic NATURAL )"],
    ["`cardano-cli latest query ledger-peer-snapshot --out-file peers.json`", "needs --socket-path"],
    ["`cardano-cli latest node issue-op-cert … --kes-period <kesPeriod>`", "write the full command"],
    ["a fresher `cardano-cli query ledger-peer-snapshot` output", "'cardano-cli query ledger-peer-snapshot' is not a command"],
    [
      "`cardano-cli latest query ledger-peer-snapshot --all-ledger-peers --output-yaml --socket-path /srv/cardano/db/node.socket --mainnet`",
      "--all-ledger-peers: the node cannot read that snapshot",
    ],
    ["`cardano-cli latest query tip --testnet-magic 2 --socket-path /run/cardano/node.socket`", "the kit's node socket is /srv/cardano/db/node.socket"],
  ])("%s: %s", (line, problem) => {
    const [command] = commandsInMarkdown(line).commands;
    expect(problemsOf(command!).join("\n")).toContain(problem);
  });
});

describe("the plan's registration command", () => {
  const relays: RelayAddress[][] = [
    [{ ipv4: "198.51.100.7" }, { ipv4: "203.0.113.9" }],
    [{ dns: "relay-1.pool.example.com" }, { dns: "relay-2.pool.example.com" }],
    [{ ipv4: "198.51.100.7" }, { dns: "relay-2.pool.example.com" }],
  ];
  const metadata = { url: "https://example.com/p.json", hash: "a152e223c6739478926cb7bbdd7199384b7486b0106e533a213293f2f20dcbac" };

  it.each(NETWORK_NAMES.flatMap((network) => relays.map((list) => [network, list.map((r) => Object.values(r)[0]).join(", "), list] as const)))(
    "%s, relays %s: accepted, with placeholders or the operator's values",
    (network, _, list) => {
      for (const values of [
        { pledge: undefined, cost: undefined, margin: undefined, metadata: undefined },
        { pledge: "100000000000", cost: "170000000", margin: "0.01", metadata },
      ]) {
        const commands = commandsInShell(registrationCommand({ network: NETWORKS[network], relays: list, ...values }));
        expect(commands).toHaveLength(1);
        expect(problemsOf(commands[0]!)).toEqual([]);
      }
    },
  );

  it("is accepted for any pledge, cost and margin the settings accept, and any relay addresses", () => {
    const relay = fc.oneof(
      fc.ipV4().map((ipv4): RelayAddress => ({ ipv4 })),
      fc.domain().map((dns): RelayAddress => ({ dns })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...NETWORK_NAMES),
        fc.array(relay, { minLength: 1, maxLength: 4 }),
        fc.stringMatching(/^\d{1,17}$/),
        fc.stringMatching(/^\d{1,17}$/),
        fc.stringMatching(/^(0(\.\d+)?|1(\.0+)?)$/),
        (network, list, pledge, cost, margin) => {
          const [command] = commandsInShell(registrationCommand({ network: NETWORKS[network], relays: list, pledge, cost, margin, metadata }));
          expect(problemsOf(command!)).toEqual([]);
        },
      ),
    );
  });

  it.each(fs.readdirSync(path.join(ROOT, "plans")).filter((f) => f.endsWith(".md")))("plans/%s: its one command is accepted", (file) => {
    const { commands, prose } = commandsInMarkdown(fs.readFileSync(path.join(ROOT, "plans", file), "utf8"));
    expect(prose).toEqual([]);
    expect(commands.map((c) => c.words.slice(0, 3).join(" "))).toEqual(["latest stake-pool registration-certificate"]);
    expect(problemsOf(commands[0]!)).toEqual([]);
  });
});

describe("the commands the kit prints in its own messages", () => {
  it("are commands cardano-cli accepts: the KES rotation, the counter rule, the snapshot refreshes", () => {
    const messages = [
      `\`${issueOpCertCommand(1234)}\``,
      COUNTER_RULE,
      ...NETWORK_NAMES.map((network) => snapshotFix(network === "mainnet" ? "mainnet" : network).replace("<" + network + "'s magic>", String(NETWORKS[network].magic))),
      ...checkCandidates([], 20).problems.map((p) => p.fix),
    ];
    const found = messages.flatMap((text) => commandsInMarkdown(text).commands);
    expect(found.length).toBeGreaterThanOrEqual(messages.length);
    for (const command of found) expect(problemsOf(command), command.words.join(" ")).toEqual([]);
  });
});
