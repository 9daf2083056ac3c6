/**
 * mithril-bootstrap.sh run for real with a stub mithril-client (shipped in a release tarball from a
 * loopback server): an empty data volume gets a certified database, a full one is never touched.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { mithrilKeys } from "../../components/node/mithril-keys";
import { DATA_MOUNT, DB_DIR, MITHRIL_INSTALL_ROOT } from "../../components/node/paths";
import { startLoopbackServer, type LoopbackServer } from "../helpers/http-server";
import { describeWith } from "../helpers/requirements";
import { createSandbox, mithrilTarball, mithrilTarballPath, readMithrilRecord, sha256, type Sandbox } from "./sandbox";

const VERSION = "2617.0";

describeWith({ root: true, tools: ["bash", "curl", "tar", "sha256sum", "flock", "runuser"] }, "the Mithril bootstrap", () => {
  let server: LoopbackServer;
  let box: Sandbox;
  let record: string;
  let tarball: Buffer;

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    // The database volume is a plain folder here: the mount itself is data-volume.sh's test.
    box = createSandbox({ server, network: "preprod", nodeUser: "nobody", env: { DATA_MOUNT_REQUIRED: "false" } });
    const records = box.at("records");
    mkdirSync(records);
    chmodSync(records, 0o777);
    record = path.join(records, "mithril-client.txt");
    tarball = mithrilTarball({ recordFile: record });
    server.route("GET", mithrilTarballPath(VERSION), { body: tarball });
  });
  afterEach(() => box.cleanup());

  const dbDir = () => box.at(DB_DIR);

  it("fills an empty database with --include-ancillary, the network's aggregator and the pinned keys, as the node user", async () => {
    const result = await box.run("mithril-bootstrap.sh", [VERSION, sha256(tarball)]);
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.code).toBe(0);

    const call = readMithrilRecord(record);
    expect(call.user).toBe("nobody");
    const downloadDir = call.args[call.args.indexOf("--download-dir") + 1]!;
    // v2 explicitly: the aggregators stopped certifying the v1 layout (Mithril 2630.0).
    // 2630.0: V2 is the default and only backend (mithril-client-cli commands/cardano_db/mod.rs CardanoDbCommandsBackend).
    expect(call.args).toEqual(["cardano-db", "download", "--include-ancillary", "--download-dir", downloadDir, "latest"]);
    // On the data volume itself, so that the database is renamed into place, never copied.
    expect(path.dirname(downloadDir)).toBe(box.at(DATA_MOUNT));
    const keys = mithrilKeys(box.model.network);
    expect(call.env).toEqual({
      AGGREGATOR_ENDPOINT: "https://aggregator.release-preprod.api.mithril.network/aggregator",
      GENESIS_VERIFICATION_KEY: keys.genesis,
      ANCILLARY_VERIFICATION_KEY: keys.ancillary,
    });

    expect(readFileSync(path.join(dbDir(), "immutable", "00000.chunk"), "utf8")).toBe("chunk\n");
    const nobody = Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }));
    expect(statSync(dbDir()).uid).toBe(nobody);
    expect(statSync(path.join(dbDir(), "ledger", "164")).uid).toBe(nobody);
    // Nothing left behind but the database.
    expect(readdirSync(box.at(DATA_MOUNT))).toEqual(["db"]);
  });

  it("takes the client's version and checksum from the delivered settings when not given", async () => {
    const result = await box.run("mithril-bootstrap.sh", [], { MITHRIL_VERSION: VERSION, MITHRIL_SHA256: sha256(tarball) });
    expect(result.code).toBe(0);
    expect(existsSync(path.join(dbDir(), "protocolMagicId"))).toBe(true);
  });

  it("uses a database that is already there as it is: no download, no client", async () => {
    mkdirSync(path.join(dbDir(), "immutable"), { recursive: true });
    writeFileSync(path.join(dbDir(), "immutable", "04242.chunk"), "mine\n");
    const before = server.requests.length;
    const result = await box.run("mithril-bootstrap.sh", [VERSION, sha256(tarball)]);
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(before);
    expect(existsSync(record)).toBe(false);
    expect(readdirSync(path.join(dbDir(), "immutable"))).toEqual(["04242.chunk"]);
  });

  it("refuses a client whose checksum does not match, and leaves the database empty", async () => {
    const result = await box.run("mithril-bootstrap.sh", [VERSION, sha256("something else")]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/checksum mismatch/);
    expect(existsSync(record)).toBe(false);
    expect(existsSync(dbDir())).toBe(false);
    expect(readdirSync(box.at(MITHRIL_INSTALL_ROOT))).toEqual([]);
  });

  it("leaves no half-restored database when the client fails", async () => {
    const failing = mithrilTarball({ recordFile: record, failWith: 3 });
    server.route("GET", mithrilTarballPath("2617.1"), { body: failing });
    const result = await box.run("mithril-bootstrap.sh", ["2617.1", sha256(failing)]);
    expect(result.code).not.toBe(0);
    expect(existsSync(record)).toBe(true);
    expect(existsSync(dbDir())).toBe(false);
    expect(readdirSync(box.at(DATA_MOUNT))).toEqual([]);
  });

  it("refuses to fill the root disk when the data volume is not mounted", async () => {
    const strict = createSandbox({ server, network: "preprod", nodeUser: "nobody" });
    try {
      const result = await strict.run("mithril-bootstrap.sh", [VERSION, sha256(tarball)]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/not mounted/);
      expect(existsSync(strict.at(DB_DIR))).toBe(false);
    } finally {
      strict.cleanup();
    }
  });
});
