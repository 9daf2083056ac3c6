/**
 * The delivery script is run for real: in a temporary root, with `sudo` and `cloud-init` replaced by
 * shims on PATH, fed the stdin the command would send. shellcheck checks it as the host's shell would.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryHash, deliveryScript, deliveryStdin, removalScript, type Delivery } from "../../components/delivery/bundle";
import { describeWith } from "../helpers/requirements";

const delivery: Delivery = {
  directories: [{ path: "/etc/cardano/keys", mode: "0700", owner: "root", group: "root" }],
  files: [
    { path: "/etc/cardano/topology.json", mode: "0644", owner: "root", group: "root", content: '{"localRoots": []}\n' },
    { path: "/etc/cardano/keys/kes.skey", mode: "0400", owner: "root", group: "root", content: "secret 'quoted' $(not run)\nline two" },
  ],
  apply: ['echo applied > "$R/applied"'],
  remove: ['rm -f "$R/etc/cardano/keys/kes.skey"'],
};

let work: string;
let bin: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "delivery-"));
  bin = path.join(work, "bin");
  fs.mkdirSync(bin);
  // sudo: drop -n and run the rest; cloud-init: report done at once.
  fs.writeFileSync(path.join(bin, "sudo"), '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "cloud-init"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function run(script: string, stdin: string, root: string) {
  return spawnSync("bash", ["-c", script], {
    input: stdin,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STAKEPOOL_ROOT: root },
    encoding: "utf8",
  });
}

describeWith({ tools: ["bash", "base64", "install"], root: true }, "a delivery run on a host", () => {
  it("installs each file byte for byte with its mode, then applies", () => {
    const root = fs.mkdtempSync(path.join(work, "root-"));
    const result = run(deliveryScript(delivery), deliveryStdin(delivery), root);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    for (const f of delivery.files) {
      expect(fs.readFileSync(path.join(root, f.path), "utf8")).toBe(f.content);
      expect((fs.statSync(path.join(root, f.path)).mode & 0o777).toString(8)).toBe(f.mode.slice(1));
      expect(fs.existsSync(path.join(root, `${f.path}.new`))).toBe(false);
    }
    expect((fs.statSync(path.join(root, "etc/cardano/keys")).mode & 0o777).toString(8)).toBe("700");
    expect(fs.readFileSync(path.join(root, "applied"), "utf8")).toBe("applied\n");
  });

  it("refuses a truncated stdin before touching any file", () => {
    const root = fs.mkdtempSync(path.join(work, "root-"));
    const result = run(deliveryScript(delivery), deliveryStdin(delivery).split("\n")[0] + "\n", root);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("expected 2 files on stdin, got 1");
    expect(fs.existsSync(path.join(root, "etc/cardano/topology.json"))).toBe(false);
  });

  it("runs the removal steps when the delivery is deleted", () => {
    const root = fs.mkdtempSync(path.join(work, "root-"));
    expect(run(deliveryScript(delivery), deliveryStdin(delivery), root).status).toBe(0);
    expect(run(removalScript(delivery)!, "", root).status).toBe(0);
    expect(fs.existsSync(path.join(root, "etc/cardano/keys/kes.skey"))).toBe(false);
    expect(fs.existsSync(path.join(root, "etc/cardano/topology.json"))).toBe(true);
  });
});

describeWith({ tools: ["shellcheck"] }, "the delivery scripts", () => {
  it("pass shellcheck", () => {
    for (const script of [deliveryScript(delivery), removalScript(delivery)!]) {
      const file = path.join(work, "script.sh");
      fs.writeFileSync(file, `#!/bin/bash\n${script}`);
      execFileSync("shellcheck", ["-s", "bash", file]);
    }
  });
});

describe("the delivery hash", () => {
  it("changes exactly when a delivered byte, path, mode or step changes", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const one = { ...delivery, files: [{ ...delivery.files[0]!, content: a }] };
        const two = { ...delivery, files: [{ ...delivery.files[0]!, content: b }] };
        expect(deliveryHash(one) === deliveryHash(two)).toBe(a === b);
        expect(deliveryScript(one) === deliveryScript(two)).toBe(a === b);
      }),
    );
    expect(deliveryHash({ ...delivery, apply: ["true"] })).not.toBe(deliveryHash(delivery));
    expect(deliveryHash({ ...delivery, files: [{ ...delivery.files[0]!, mode: "0600" }, delivery.files[1]!] })).not.toBe(deliveryHash(delivery));
  });

  it("keeps file contents out of the script (they travel on stdin)", () => {
    expect(deliveryScript(delivery)).not.toContain("secret");
    expect(deliveryScript(delivery)).not.toContain(Buffer.from(delivery.files[1]!.content).toString("base64"));
  });

  it("refuses paths and owners that could break out of the script", () => {
    const bad = (f: Partial<Delivery["files"][number]>) => () => deliveryScript({ ...delivery, files: [{ ...delivery.files[0]!, ...f }] });
    expect(bad({ path: "/etc/x; rm -rf /" })).toThrow(/unsafe/);
    expect(bad({ path: "/etc/../root/x" })).toThrow(/unsafe/);
    expect(bad({ owner: "root -o x" })).toThrow(/unsafe/);
    expect(bad({ mode: "777" })).toThrow(/unsafe/);
  });

  it("refuses a set folder that is not delivered, holds nothing, or names a file as the switch does", () => {
    const keys = (names: string[], sets = ["/etc/cardano/keys"]) => () =>
      deliveryScript({ ...delivery, files: names.map((n) => ({ ...delivery.files[1]!, path: `/etc/cardano/keys/${n}` })), sets });
    expect(keys(["kes.skey"])).not.toThrow();
    expect(keys(["kes.skey"], ["/etc/cardano/other"])).toThrow(/not a delivered directory/);
    expect(keys([], ["/etc/cardano/keys"])).toThrow(/holds no delivered file/);
    for (const name of ["current", "set.1", ".hidden"]) expect(keys([name])).toThrow(/unsafe set member/);
  });
});
