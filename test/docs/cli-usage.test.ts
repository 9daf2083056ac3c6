/**
 * The reader of cardano-cli's golden help (test/helpers/cli-usage.ts), on the real files of
 * cardano-cli 11.0.0.0 and 11.2.1.0 (test/fixtures/cardano-cli-help/README.md).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../fixtures/paths";
import { checkInvocation, checkInvocationInAll, loadCliHelp, parseUsage, renderUsage } from "../helpers/cli-usage";

const VERSIONS = ["11.0.0.0", "11.2.1.0"] as const;
const [OLD, NEW] = VERSIONS.map((version) => loadCliHelp(fixturePath(`cardano-cli-help/${version}`)));
const files = VERSIONS.flatMap((version) => {
  const dir = fixturePath(`cardano-cli-help/${version}`);
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".cli"))
    .map((file) => ({ version, file, text: fs.readFileSync(path.join(dir, file), "utf8") }));
});

const words = (line: string): string[] => line.split(" ");

describe("parseUsage on cardano-cli's golden help files", () => {
  it("reads all 19 files of each version", () => {
    expect(files).toHaveLength(38);
    expect([...OLD!.commands.keys()]).toEqual([...NEW!.commands.keys()]);
  });

  it.each(files.map((f) => [`${f.version}/${f.file}`, f] as const))("%s: every token of the usage is kept", (_, { file, text }) => {
    const usage = parseUsage(text);
    expect(usage.command).toBe(file.replace(/\.cli$/, "").replace(/_/g, " "));
    // The usage block, independently: up to the first line of only spaces, brackets spaced.
    const block = text.split(/\n *\n/)[0]!.replace(/([[\]()|])/g, " $1 ").trim().split(/\s+/);
    expect(renderUsage(usage.usage).split(" ")).toEqual(block.slice(2 + usage.command.split(" ").length));
  });

  it.each(files.map((f) => [`${f.version}/${f.file}`, f] as const))("%s: the options are those the help lists", (_, { file, text }) => {
    const listed = new Set([...text.slice(text.indexOf("Available options:")).matchAll(/^ {2}(?:-h,)?(--[a-zA-Z0-9-]+)/gm)].map((m) => m[1]!));
    listed.delete("--help");
    // stake-pool id lists the deprecated --output-format, which its usage hides: the docs must not use it.
    if (file === "latest_stake-pool_id.cli") listed.delete("--output-format");
    expect(new Set(parseUsage(text).options.keys())).toEqual(listed);
  });

  it("knows the required options and the arguments each option takes", () => {
    const network = ["--mainnet", "--testnet-magic"];
    for (const help of [OLD!, NEW!]) {
      const command = (name: string) => help.commands.get(name)!;
      expect(command("latest query ledger-peer-snapshot").required).toEqual([network, ["--socket-path"]]);
      expect(command("latest query pool-state").required).toEqual([network, ["--socket-path"], ["--all-stake-pools", "--stake-pool-id"]]);
      expect(command("latest stake-address registration-certificate").required).toContainEqual(["--key-reg-deposit-amt"]);
      expect(command("latest transaction sign").required).toEqual([["--tx-body-file", "--tx-file"], ["--out-file"]]);
      expect(command("latest transaction build").options.get("--tx-out")).toBe(2);
      expect(command("latest query ledger-peer-snapshot").options.get("--all-ledger-peers")).toBe(0);
    }
  });

  it("tells the two versions apart where they differ: the single-host relay's port, --validate-relays", () => {
    const registration = (relay: string) =>
      words(
        "latest stake-pool registration-certificate --cold-verification-key-file cold.vkey --vrf-verification-key-file vrf.vkey " +
          "--pool-pledge 0 --pool-cost 170000000 --pool-margin 0.01 --pool-reward-account-verification-key-file stake.vkey " +
          `--pool-owner-stake-verification-key-file stake.vkey ${relay} --testnet-magic 2 --out-file pool.cert`,
      );
    const noPort = registration("--single-host-pool-relay relay.example.com");
    expect(checkInvocation(OLD!, noPort)).toEqual([]);
    expect(checkInvocation(NEW!, noPort)).toEqual(["'cardano-cli latest stake-pool registration-certificate' needs --pool-relay-port"]);
    const validate = registration("--single-host-pool-relay relay.example.com --pool-relay-port 3001 --validate-relays");
    expect(checkInvocation(NEW!, validate)).toEqual([]);
    expect(checkInvocationInAll([OLD!, NEW!], validate)).toEqual([
      "--validate-relays is not an option of 'cardano-cli latest stake-pool registration-certificate' (cardano-cli 11.0.0.0)",
    ]);
  });
});

describe("checkInvocation", () => {
  const POOL = "pool1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq";

  it.each([
    "latest query tip --testnet-magic 2 --socket-path /srv/cardano/db/node.socket",
    "latest query tip --mainnet --socket-path <node.socket> --output-json",
    "latest query tip --testnet-magic=2 --socket-path=<node.socket>",
    `latest query pool-state --testnet-magic 2 --socket-path s --stake-pool-id ${POOL}`,
    "latest query pool-state --socket-path s --all-stake-pools --mainnet",
    "latest stake-address registration-certificate --stake-verification-key-file stake.vkey --key-reg-deposit-amt 2000000 --out-file r.cert",
    "latest node issue-op-cert --kes-verification-key-file kes.vkey --cold-signing-key-file cold.skey " +
      "--operational-certificate-issue-counter-file cold.counter --kes-period <kesPeriod> --out-file node.cert",
    "latest transaction build --testnet-magic 2 --socket-path s --tx-in <txid>#0 --tx-out addr_test1x 1000000 " +
      "--change-address addr_test1y --certificate-file a.cert --certificate-file b.cert --out-file tx.raw",
  ])("accepts %s", (line) => {
    expect(checkInvocationInAll([OLD!, NEW!], words(line))).toEqual([]);
  });

  it.each([
    [`latest query stake-pool-params --stake-pool-id ${POOL}`, "'cardano-cli latest query stake-pool-params' is not a command"],
    ["latest query tip --testnet-magic 2 --socket-path s --stake-pool-id x", "--stake-pool-id is not an option of 'cardano-cli latest query tip'"],
    [
      "latest stake-address registration-certificate --stake-verification-key-file stake.vkey --out-file r.cert",
      "'cardano-cli latest stake-address registration-certificate' needs --key-reg-deposit-amt",
    ],
    ["latest query ledger-peer-snapshot --out-file peers.json", "needs one of ( --mainnet | --testnet-magic NATURAL )"],
    ["latest query ledger-peer-snapshot --out-file peers.json", "needs --socket-path"],
    ["latest query pool-state --testnet-magic 2 --socket-path s", "needs one of ( --all-stake-pools | ( --stake-pool-id STAKE_POOL_ID ) )"],
    [
      "latest stake-pool registration-certificate --cold-verification-key-file c --vrf-verification-key-file v --pool-pledge 0 " +
        "--pool-cost 0 --pool-margin 0 --pool-reward-account-verification-key-file s --pool-owner-stake-verification-key-file s " +
        "--metadata-url https://example.com/p.json --mainnet --out-file p.cert",
      "needs --metadata-hash",
    ],
    ["latest query tip --mainnet --testnet-magic 2 --socket-path s", "--mainnet and --testnet-magic exclude each other"],
    ["latest query tip --testnet-magic 2 --socket-path", "--socket-path needs 1 argument(s)"],
    ["latest query tip --testnet-magic --socket-path s", "--testnet-magic needs 1 argument(s)"],
    ["latest query tip --testnet-magic 2 --socket-path s extra", "unexpected argument 'extra'"],
    ["latest node issue-op-cert … --kes-period 1", "'…' in place of options: write the full command"],
    ["latest query tip --testnet-magic preview --socket-path s", "--testnet-magic preview: NATURAL expected"],
    ["latest stake-address registration-certificate --stake-address x --key-reg-deposit-amt 2ada --out-file r", "NATURAL expected"],
  ])("refuses %s: %s", (line, problem) => {
    const problems = checkInvocationInAll([OLD!, NEW!], words(line));
    expect(problems.some((p) => p.includes(problem) && p.endsWith("(cardano-cli 11.0.0.0, 11.2.1.0)"))).toBe(true);
  });
});
