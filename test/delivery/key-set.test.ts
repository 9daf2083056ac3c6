/**
 * The hot keys' delivery, run for real (the keys feature's own step, the node user replaced by `nobody`)
 * in a temporary root with `sudo` and `cloud-init` shims: the three files form one set, switched by one
 * rename. Proven four ways: the layout, modes and owners after a delivery; a failure injected at every
 * single step of a delivery (the paths always name one whole set, the old or the new); a watcher reading
 * the keys while deliveries alternate (every set `current` names is whole); and a system-call trace of
 * the script (nothing created outside the target root, nothing under TMPDIR, every file created by a
 * process that first set umask 0377).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deliveryScript, deliveryStdin, removalScript, type Delivery } from "../../components/delivery/bundle";
import { KEYS_DIR, NODE_GROUP, NODE_USER } from "../../components/node/paths";
import { signingKeyConfig } from "../helpers/hot-keys";
import { stepOf, testPool } from "../helpers/model";
import { describeWith } from "../helpers/requirements";

const NAMES = ["kes.skey", "vrf.skey", "node.cert"] as const;

/** The keys feature's step as the program builds it, for a user that exists here. */
const realStep = stepOf(testPool("preview", signingKeyConfig()), "core", "keys")!;
const asNobody = (who: string, nobody: string) => (who === NODE_USER || who === NODE_GROUP ? nobody : who);
function keysDelivery(tag: string): Delivery {
  const d = realStep.delivery;
  return {
    ...d,
    directories: d.directories.map((x) => ({ ...x, owner: asNobody(x.owner, "nobody"), group: asNobody(x.group, "nogroup") })),
    // Each file ends with the set's tag, so a reader can tell which set a file came from.
    files: d.files.map((f) => ({ ...f, owner: asNobody(f.owner, "nobody"), group: asNobody(f.group, "nogroup"), content: `${f.content}\n${tag}` })),
    apply: ['echo applied >> "$R/applied"'],
  };
}
const A = keysDelivery("set-A");
const B = keysDelivery("set-B");

let work: string;
let bin: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "key-set-"));
  bin = path.join(work, "bin");
  fs.mkdirSync(bin);
  // sudo: drop -n, count the call, fail the FAIL_AT-th one (the injected failure), run the rest.
  fs.writeFileSync(
    path.join(bin, "sudo"),
    [
      "#!/bin/sh",
      '[ "$1" = -n ] && shift',
      'if [ -n "${SUDO_COUNT:-}" ]; then',
      '  n=$(( $(cat "$SUDO_COUNT" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$SUDO_COUNT"',
      '  if [ "$n" = "${FAIL_AT:-}" ]; then echo "injected failure at sudo call $n: $*" >&2; exit 1; fi',
      "fi",
      'exec "$@"',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(bin, "cloud-init"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The PATH of a server's root shell (Debian's and Ubuntu's default), without this machine's own additions. */
const SERVER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function env(root: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${bin}:${process.env.PATH}`, STAKEPOOL_ROOT: root, ...extra };
}

function run(delivery: Delivery, root: string, extra: Record<string, string> = {}) {
  return spawnSync("bash", ["-c", deliveryScript(delivery)], { input: deliveryStdin(delivery), env: env(root, extra), encoding: "utf8" });
}

const keysDir = (root: string) => path.join(root, KEYS_DIR);
const tagOf = (content: string) => /set-[AB]$/.exec(content)?.[0];

/** What the node would read now, path by path, and which set each file came from. */
function visible(root: string): (string | undefined)[] {
  return NAMES.map((n) => {
    try {
      return tagOf(fs.readFileSync(path.join(keysDir(root), n), "utf8"));
    } catch {
      return undefined;
    }
  });
}

function sets(root: string): string[] {
  return fs.readdirSync(keysDir(root)).filter((e) => e.startsWith("set.")).sort();
}

function freshRoot(): string {
  return fs.mkdtempSync(path.join(work, "root-"));
}

describeWith({ tools: ["bash", "base64", "install", "mktemp", "sync", "python3"], root: true }, "the hot keys delivered as one set", () => {
  it("are 0400 files of the node user in a 0500 set folder, which the node's paths reach through fixed links", () => {
    expect(realStep.delivery.sets).toEqual([KEYS_DIR]);
    const root = freshRoot();
    const result = run(A, root);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const dir = keysDir(root);
    const [set] = sets(root);
    expect(fs.readdirSync(dir).sort()).toEqual(["current", ...NAMES, set!].sort());
    expect(fs.readlinkSync(path.join(dir, "current"))).toBe(set);
    const stat = (p: string) => fs.lstatSync(p);
    expect((stat(dir).mode & 0o777).toString(8)).toBe("700");
    expect((stat(path.join(dir, set!)).mode & 0o777).toString(8)).toBe("500");
    expect(stat(path.join(dir, set!)).uid).toBe(65534);
    for (const [i, n] of NAMES.entries()) {
      expect(fs.readlinkSync(path.join(dir, n))).toBe(`current/${n}`);
      const file = stat(path.join(dir, set!, n));
      expect((file.mode & 0o777).toString(8)).toBe("400");
      expect([file.uid, file.gid]).toEqual([65534, 65534]);
      expect(fs.readFileSync(path.join(dir, n), "utf8")).toBe(A.files[i]!.content);
    }
    expect(fs.readFileSync(path.join(root, "applied"), "utf8")).toBe("applied\n");
  });

  it("replace the plain files an older kit wrote, and then switch to each new set, removing the old one", () => {
    const root = freshRoot();
    fs.mkdirSync(keysDir(root), { recursive: true, mode: 0o700 });
    for (const n of NAMES) fs.writeFileSync(path.join(keysDir(root), n), "old plain file set-A", { mode: 0o400 });
    expect(run(B, root).status).toBe(0);
    expect(visible(root)).toEqual(["set-B", "set-B", "set-B"]);
    for (const n of NAMES) expect(fs.lstatSync(path.join(keysDir(root), n)).isSymbolicLink()).toBe(true);
    const first = sets(root);
    expect(run(A, root).status).toBe(0);
    expect(visible(root)).toEqual(["set-A", "set-A", "set-A"]);
    expect(sets(root)).toHaveLength(1);
    expect(sets(root)).not.toEqual(first);
  });

  it("leave the paths naming one whole set, the old or the new, whichever step of a delivery fails", () => {
    const counter = path.join(work, "sudo-count");
    const root0 = freshRoot();
    expect(run(A, root0).status).toBe(0);
    fs.rmSync(counter, { force: true });
    expect(run(B, root0, { SUDO_COUNT: counter }).status).toBe(0);
    const steps = Number(fs.readFileSync(counter, "utf8"));
    expect(steps).toBeGreaterThan(20);
    const outcomes = new Map<string, number>();
    for (let failAt = 1; failAt <= steps; failAt++) {
      const root = freshRoot();
      expect(run(A, root).status).toBe(0);
      fs.rmSync(counter, { force: true });
      const failed = run(B, root, { SUDO_COUNT: counter, FAIL_AT: String(failAt) });
      const seen = visible(root);
      const label = `failure at sudo call ${failAt}: ${failed.stderr.trim()}`;
      expect(new Set(seen).size, `${label}: the node's paths read ${seen.join(", ")}`).toBe(1);
      expect(seen[0], label).toMatch(/^set-[AB]$/);
      // A delivery that reports success delivered (a failed probe, like a readlink, may be tolerated).
      if (failed.status === 0) expect(seen[0], label).toBe("set-B");
      // Never a set that `current` does not name, beyond the one it named before (removed by the next run).
      expect(sets(root).length, label).toBeLessThanOrEqual(2);
      expect(fs.readdirSync(keysDir(root)).filter((e) => e.endsWith(".new")), label).toEqual([]);
      outcomes.set(seen[0]!, (outcomes.get(seen[0]!) ?? 0) + 1);
      // The next delivery completes the switch and leaves only the new set.
      expect(run(B, root).status, label).toBe(0);
      expect(visible(root)).toEqual(["set-B", "set-B", "set-B"]);
      expect(sets(root)).toHaveLength(1);
    }
    process.stdout.write(`key set failure injection: ${steps} steps, the old set stayed whole ${outcomes.get("set-A")} times, the new set was whole ${outcomes.get("set-B")} times\n`);
    expect(outcomes.get("set-A")).toBeGreaterThan(0);
    expect(outcomes.get("set-B")).toBeGreaterThan(0);
  }, 300_000);

  it("never let a reader find a partial set while deliveries alternate", async () => {
    const root = freshRoot();
    expect(run(A, root).status).toBe(0);
    const stop = path.join(work, "stop-watcher");
    const report = path.join(work, "watcher.json");
    const watcher = spawn("python3", ["-c", WATCHER, keysDir(root), stop, report, ...NAMES], { stdio: "inherit" });
    for (let i = 0; i < 20; i++) {
      const next = i % 2 === 0 ? B : A;
      const result = await new Promise<number | null>((resolve) => {
        const child = spawn("bash", ["-c", deliveryScript(next)], { env: env(root), stdio: ["pipe", "ignore", "inherit"] });
        child.stdin.end(deliveryStdin(next));
        child.on("exit", resolve);
      });
      expect(result).toBe(0);
    }
    fs.writeFileSync(stop, "");
    await new Promise((resolve) => watcher.on("exit", resolve));
    const seen = JSON.parse(fs.readFileSync(report, "utf8")) as { reads: number; partial: string[]; missing: number; straddled: number };
    process.stdout.write(
      `key set watcher: ${seen.reads} reads during 20 switches; ${seen.partial.length} partial sets; ${seen.missing} paths missing; ` +
        `${seen.straddled} reads of the three paths one after another that began before a switch and ended after it\n`,
    );
    expect(seen.reads).toBeGreaterThan(100);
    expect(seen.partial).toEqual([]);
    expect(seen.missing).toBe(0);
  }, 120_000);

  it("remove every set and link when the keys leave the stack (the node then stops forging)", () => {
    const root = freshRoot();
    expect(run(A, root).status).toBe(0);
    const removal = spawnSync("bash", ["-c", removalScript(A)!], { env: env(root), encoding: "utf8" });
    expect(removal.status).toBe(0);
    expect(fs.readdirSync(keysDir(root))).toEqual([]);
  });
});

describeWith({ tools: ["bash", "base64", "install", "strace"], root: true }, "the key delivery on the disk", () => {
  it("creates nothing outside the keys' own folder tree, nothing under TMPDIR, and every file read-only from its first byte", () => {
    const root = freshRoot();
    expect(run(A, root).status).toBe(0); // the second delivery replaces a set, as a rotation does
    const tmp = fs.mkdtempSync(path.join(work, "tmpdir-"));
    const trace = path.join(work, "trace");
    const traced = spawnSync(
      "strace",
      ["-f", "-qq", "-e", "trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,symlink,symlinkat,link,linkat,umask", "-o", trace, "bash", "-c", deliveryScript(B)],
      // A server's PATH and an empty home: bash reads ~/.bashrc when its stdin is a socket (Node's stdio is a
      // socketpair), and a developer's ~/.bashrc (pyenv's rehash, say) would show up as files created.
      { input: deliveryStdin(B), env: env(root, { TMPDIR: tmp, TMP: tmp, TEMP: tmp, HOME: fs.mkdtempSync(path.join(work, "home-")), PATH: `${bin}:${SERVER_PATH}` }), encoding: "utf8" },
    );
    expect(traced.status).toBe(0);
    expect(fs.readdirSync(tmp)).toEqual([]);
    const lines = fs.readFileSync(trace, "utf8").split("\n");
    const created: { pid: string; path: string }[] = [];
    const umask = new Map<string, string>();
    for (const line of lines) {
      const m = /^(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+)/.exec(line);
      if (!m || Number(m[4]) < 0) continue;
      const [, pid, call, args] = m as unknown as [string, string, string, string];
      if (call === "umask") umask.set(pid, args);
      const strings = [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => s[1]!);
      if ((call === "open" || call === "openat") && /O_CREAT/.test(args)) created.push({ pid, path: strings[0]! });
      if (call === "creat" || call === "mkdir" || call === "mkdirat") created.push({ pid, path: strings[0]! });
      if (/^rename|^link/.test(call)) created.push({ pid, path: strings[strings.length - 1]! });
      if (/^symlink/.test(call)) created.push({ pid, path: strings[strings.length - 1]! });
    }
    const outside = created.filter((c) => !c.path.startsWith(`${root}/`) && c.path !== "/dev/null");
    expect(outside, JSON.stringify(outside)).toEqual([]);
    const keyFiles = created.filter((c) => /\/set\.[^/]+\/(kes\.skey|vrf\.skey|node\.cert)$/.test(c.path));
    expect(keyFiles).toHaveLength(3);
    for (const k of keyFiles) expect(umask.get(k.pid), k.path).toBe("0377");
    expect(deliveryScript(B)).not.toMatch(/mktemp(?! -d "\$R\/etc\/cardano\/keys\/)/);
  });
});

/** The watcher: reads the keys the way a checker would, in a tight loop, until told to stop. */
const WATCHER = String.raw`
import json, os, sys
keys, stop, report, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
reads, partial, missing, straddled = 0, [], 0, 0
def tag(path):
    with open(path) as f:
        return f.read().rsplit("\n", 1)[-1]
while not os.path.exists(stop):
    reads += 1
    # 1. The set current names, read inside that set: it must be whole, one tag.
    try:
        target = os.readlink(os.path.join(keys, "current"))
    except FileNotFoundError:
        missing += 1
        continue
    folder = os.path.join(keys, target)
    try:
        tags = [tag(os.path.join(folder, n)) for n in names]
        if len(set(tags)) != 1:
            partial.append(target + " " + ",".join(tags))
    except FileNotFoundError:
        if os.path.isdir(folder):  # a folder current named, without its files
            partial.append(target + " incomplete")
        # else: the old set was removed after a switch, between our readlink and our reads
    # 2. The node's three paths, one after another, as the node opens them.
    try:
        tags = [tag(os.path.join(keys, n)) for n in names]
        if len(set(tags)) != 1:
            straddled += 1
    except FileNotFoundError:
        missing += 1
json.dump({"reads": reads, "partial": partial, "missing": missing, "straddled": straddled}, open(report, "w"))
`;

