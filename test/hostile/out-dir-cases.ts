/**
 * Hostile `--out` values, run through `npm run plan` exactly as an operator would, in a sandbox: a copy
 * of the repository (the working tree, or any commit) in a temporary folder, so that a kit that deletes
 * what `--out` names deletes only the copy. Each case lays out what must survive and checks it did.
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { checkOutDir } from "../../cli/plan/out-dir";
import { ConfigurationError } from "../../components/config/problems";
import { ROOT } from "../fixtures/paths";
import type { Outcome, Verdict } from "./judge";

const run = promisify(execFile);

export interface Sandbox {
  /** The box holding everything: repo/, home/, and the cases' own folders. */
  readonly box: string;
  /** The copy of the repository. */
  readonly repo: string;
}

/** Copies the working tree's tracked files (or `commit`'s tree) into a new sandbox, with node_modules linked. */
export function makeSandbox(commit?: string): Sandbox {
  const box = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "out-sandbox-")));
  const repo = path.join(box, "repo");
  fs.mkdirSync(repo);
  if (commit) {
    execFileSync("sh", ["-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "sh", ROOT, commit, repo]);
  } else {
    const files = execFileSync("git", ["-C", ROOT, "ls-files", "-z"], { encoding: "utf8" }).split("\0").filter((f) => f !== "" && fs.existsSync(path.join(ROOT, f)));
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(repo, file));
    }
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"));
  fs.mkdirSync(path.join(repo, ".git"));
  fs.writeFileSync(path.join(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
  fs.mkdirSync(path.join(box, "home", ".ssh"), { recursive: true });
  fs.writeFileSync(path.join(box, "home", ".ssh", "id_ed25519"), "a private key");
  return { box, repo };
}

export interface OutDirCase {
  readonly id: string;
  /** `--out` as typed; `{box}` and `{repo}` are replaced by the sandbox's paths. */
  readonly out: string;
  /** The folder the plan is run from (`{repo}` by default). */
  readonly cwd?: string;
  /** Lays out the case's folders before the run. */
  readonly setup?: (s: Sandbox) => void;
  readonly expect: "refuse" | "accept";
  /** Never run against a kit that may delete what --out names (it would reach outside the sandbox). */
  readonly unsafeToRunUnguarded?: boolean;
}

const write = (file: string, text = "x") => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

export const OUT_DIR_CASES: readonly OutDirCase[] = [
  { id: "out-dir: . (the repository)", out: ".", expect: "refuse" },
  { id: "out-dir: the repository by its absolute path", out: "{repo}", expect: "refuse" },
  { id: "out-dir: .. from stacks/ (the repository)", out: "..", cwd: "{repo}/stacks", expect: "refuse" },
  { id: "out-dir: stacks/.. (the repository)", out: "stacks/..", expect: "refuse" },
  { id: "out-dir: .. (the folder holding the repository)", out: "..", expect: "refuse" },
  { id: "out-dir: /", out: "/", expect: "refuse", unsafeToRunUnguarded: true },
  { id: "out-dir: a symbolic link to the repository", out: "{box}/link", setup: (s) => fs.symlinkSync(s.repo, path.join(s.box, "link")), expect: "refuse" },
  { id: "out-dir: a symbolic link to the folder holding the repository", out: "{box}/uplink", setup: (s) => fs.symlinkSync(s.box, path.join(s.box, "uplink")), expect: "refuse" },
  { id: "out-dir: stacks/ (the stack files)", out: "stacks", expect: "refuse" },
  { id: "out-dir: the home folder", out: "{box}/home", expect: "refuse" },
  { id: "out-dir: a folder of someone else's files outside the repository", out: "{box}/mine", setup: (s) => write(path.join(s.box, "mine", "thesis.tex")), expect: "refuse" },
  { id: "out-dir: a file", out: "README.md", expect: "refuse" },
  { id: "out-dir: inside .git", out: ".git/plans", expect: "refuse" },
  {
    id: "out-dir: a folder with a plan.md that is not the plan's",
    out: "{box}/notes",
    setup: (s) => write(path.join(s.box, "notes", "plan.md"), "# My plan for the week\n"),
    expect: "refuse",
  },
  {
    id: "out-dir: an earlier output beside which someone saved a file",
    out: "out/preview",
    setup: (s) => {
      for (const f of ["plan.md", "hosts.json", "hosts/core/topology.json"]) write(path.join(s.repo, "out", "preview", f), f === "plan.md" ? "# Plan of stack `preview`\n" : "{}");
      write(path.join(s.repo, "out", "preview", "review-notes.md"), "my notes");
    },
    expect: "refuse",
  },
  { id: "out-dir: a new folder", out: "{box}/new/plan", expect: "accept" },
  { id: "out-dir: an empty folder", out: "{box}/empty", setup: (s) => fs.mkdirSync(path.join(s.box, "empty")), expect: "accept" },
  {
    id: "out-dir: an earlier output of the plan (replaced)",
    out: "out/preview",
    setup: (s) => {
      for (const f of ["plan.md", "hosts.json", "hosts/core/topology.json", "hosts/relay-9/topology.json"]) {
        write(path.join(s.repo, "out", "preview", f), f === "plan.md" ? "# Plan of stack `preview`\n" : "{}");
      }
    },
    expect: "accept",
  },
];

/** Every file under `dir` (not following links), for before/after comparison; bounded. */
function files(dir: string, skip: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel))) {
      const child = path.join(rel, name);
      if (skip.has(child)) continue;
      const stat = fs.lstatSync(path.join(dir, child));
      out.push(child);
      if (stat.isDirectory() && out.length < 20000) visit(child);
    }
  };
  visit("");
  return out.sort();
}

export interface OutDirRun {
  /** Judge the kit at this commit (default: the working tree). */
  readonly commit?: string;
  /** Run in this sandbox (shared by the cases of one run: a kit that deletes nothing can share one). */
  readonly sandbox?: Sandbox;
  /**
   * Before running the CLI, ask this working tree's checkOutDir whether it refuses the folder, and do not
   * run a case it would not refuse: a broken guard must not get to delete anything real.
   */
  readonly guard: boolean;
}

/** Runs `npm run plan -- --stack preview --out <out>` in a fresh sandbox of `commit` (or the working tree). */
export async function judgeOutDir(c: OutDirCase, options: OutDirRun): Promise<Verdict> {
  if (!options.guard && c.unsafeToRunUnguarded) {
    return { id: c.id, area: "out-dir", outcome: "wrongly accepted", did: "accepted", why: ["not run: this kit deletes whatever --out names"], ms: 0, printed: "" };
  }
  const sandbox = options.sandbox ?? makeSandbox(options.commit);
  try {
    // A shared sandbox starts each case without an earlier case's output.
    fs.rmSync(path.join(sandbox.repo, "out"), { recursive: true, force: true });
    c.setup?.(sandbox);
    const fill = (text: string) => text.replace("{box}", sandbox.box).replace("{repo}", sandbox.repo);
    const out = fill(c.out);
    const cwd = fill(c.cwd ?? "{repo}");
    const produced = new Set(["repo/out", "repo/node_modules", "new", "empty"]);
    if (options.guard && c.expect === "refuse") {
      try {
        checkOutDir(out, cwd, sandbox.repo);
        return { id: c.id, area: "out-dir", outcome: "wrongly accepted", did: "accepted", why: ["checkOutDir accepts it (the CLI was not run)"], ms: 0, printed: "" };
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
      }
    }
    const before = files(sandbox.box, produced);
    const start = process.hrtime.bigint();
    let code = 0;
    let stderr = "";
    try {
      ({ stderr } = await run("/usr/bin/time", ["-f", "maxrss=%M cpu=%U+%S", path.join(sandbox.repo, "node_modules", ".bin", "tsx"), path.join(sandbox.repo, "cli", "plan.ts"), "--stack", "preview", "--out", out], {
        cwd,
        env: { ...process.env, HOME: path.join(sandbox.box, "home") },
        maxBuffer: 64 << 20,
        timeout: 60_000,
      }));
    } catch (error) {
      const e = error as { code?: number; stderr?: string };
      code = typeof e.code === "number" ? e.code : -1;
      stderr = e.stderr ?? "";
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const rss = Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? "0");
    const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
    const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : 0;
    const printed = stderr.replace(/maxrss=\d+ cpu=\S+\n?/, "");
    const lost = before.filter((f) => !files(sandbox.box, produced).includes(f) && !(c.expect === "accept" && f.startsWith(path.join("repo", "out"))));
    const why: string[] = [];
    let outcome: Outcome;
    if (c.expect === "refuse") {
      if (code === 0 || lost.length > 0) {
        outcome = "wrongly accepted";
        why.push(code === 0 ? "the plan wrote its output" : `exit ${code}`, ...(lost.length > 0 ? [`deleted ${lost.length} files, e.g. ${lost.slice(0, 3).join(", ")}`] : []));
      } else {
        if (code !== 1) why.push(`exit ${code}`);
        if (!printed.includes("--out")) why.push("does not name --out");
        if (/\n\s+at \S/.test(printed)) why.push("prints a stack trace");
        outcome = why.length === 0 ? "clean" : "crashed or unclear";
      }
    } else {
      if (code !== 0) why.push(`exit ${code}: ${printed.slice(0, 200)}`);
      if (lost.some((f) => !f.startsWith(path.join("repo", "out")))) why.push(`deleted ${lost.join(", ")}`);
      outcome = why.length === 0 ? "clean" : "crashed or unclear";
    }
    // CPU time, not wall time, is bounded: the machine is shared; a hang is cut by the 60 s timeout.
    if (cpuSeconds > 10 && c.expect === "refuse") why.push(`took ${cpuSeconds} s of CPU`);
    if (rss > 600 * 1024) why.push(`used ${Math.round(rss / 1024)} MiB`);
    if (why.length > 0 && outcome === "clean") outcome = "crashed or unclear";
    return {
      id: c.id,
      area: "out-dir",
      outcome,
      did: code === 0 ? "accepted" : code === 1 ? "refused" : "crashed",
      why,
      ms,
      printed: `${printed.slice(0, 400)} [max RSS ${Math.round(rss / 1024)} MiB, CPU ${cpuSeconds.toFixed(1)} s]`,
    };
  } finally {
    if (!options.sandbox) fs.rmSync(sandbox.box, { recursive: true, force: true });
  }
}
