/**
 * `--out` never deletes what the kit did not write: judged on real folders (a stand-in repository in a
 * temporary folder), whatever the spelling: `.`, `..`, `/`, a symbolic link, a folder with someone
 * else's files, an earlier plan's output.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkOutDir, isPlanFile, MARKER, manifestText, writePlanOutput } from "../../cli/plan/out-dir";
import { ConfigurationError } from "../../components/config/problems";
import { planCli, ROOT } from "../helpers/plan";

let box: string;
let repo: string;

/** Every file under `dir`, relative, sorted: what a test compares before and after. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const child = path.join(rel, name);
      const stat = fs.lstatSync(path.join(dir, child));
      out.push(stat.isDirectory() ? `${child}/` : child);
      if (stat.isDirectory() && !stat.isSymbolicLink()) visit(child);
    }
  };
  visit("");
  return out;
}

function write(file: string, content = "x"): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** The refusal's text, or undefined when the folder is accepted. */
function refusal(out: string, cwd = repo): string | undefined {
  try {
    checkOutDir(out, cwd, repo);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
}

const PLAN = new Map([
  ["plan.md", "# Plan of stack `preview`\n"],
  ["hosts.json", "[]\n"],
  ["hosts/core/topology.json", "{}\n"],
  ["hosts/relay-1/topology.json", "{}\n"],
  ["hosts/relay-2/topology.json", "{}\n"],
]);

beforeEach(() => {
  box = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "out-dir-")));
  repo = path.join(box, "repo");
  write(path.join(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
  write(path.join(repo, "stacks", "Pulumi.preview.yaml"), "config: {}\n");
  write(path.join(repo, "README.md"), "# kit\n");
});

afterEach(() => fs.rmSync(box, { recursive: true, force: true }));

describe("--out refuses", () => {
  it("the repository, whatever the spelling, and every folder that contains it", () => {
    const before = tree(box);
    fs.symlinkSync(repo, path.join(box, "link-to-repo"));
    fs.symlinkSync(box, path.join(repo, "stacks", "link-up"));
    for (const [out, cwd] of [
      [".", repo],
      ["..", path.join(repo, "stacks")],
      [repo, repo],
      [`${repo}/`, box],
      ["./stacks/..", repo],
      ["..", repo],
      ["/", repo],
      [path.join(box, "link-to-repo"), repo],
      ["stacks/link-up", repo],
    ] as const) {
      const message = refusal(out, cwd);
      expect(message, `${out} from ${cwd}`).toMatch(/the repository itself|contains the repository|filesystem root/);
      expect(message).toContain("--out");
      expect(message).not.toMatch(/\n\s+at /);
    }
    expect(tree(box).filter((f) => !f.includes("link"))).toEqual(before);
    // A home folder is someone else's files, however many.
    expect(refusal(os.homedir())).toMatch(/deletes nothing else/);
  });

  it("the repository's .git, and a file", () => {
    expect(refusal(".git/plans")).toMatch(/\.git/);
    expect(refusal("README.md")).toMatch(/is a file/);
  });

  it("a folder with someone else's files, inside the repository or outside", () => {
    expect(refusal("stacks")).toMatch(/did not write: "Pulumi\.preview\.yaml"/);
    const outside = path.join(box, "notes");
    write(path.join(outside, "todo.txt"));
    expect(refusal(outside)).toMatch(/outside the repository and not empty/);
    // A plan.md that is not the plan's does not make a folder an earlier plan.
    write(path.join(repo, "docs", "plan.md"), "# My own plan\n");
    expect(refusal("docs")).toMatch(/not an earlier plan/);
  });

  it("an earlier output that gained a file, lost its marker's trust, or holds a link", () => {
    const out = path.join(box, "plan");
    writePlanOutput(out, box, repo, PLAN);
    write(path.join(out, "hosts", "core", "notes.txt"));
    expect(refusal(out)).toMatch(/did not write: "hosts\/core\/notes\.txt"/);
    fs.rmSync(path.join(out, "hosts", "core", "notes.txt"));

    fs.appendFileSync(path.join(out, "plan.md"), "my review notes\n");
    expect(refusal(out)).toMatch(/plan\.md, changed since the plan wrote it/);
    fs.writeFileSync(path.join(out, "plan.md"), PLAN.get("plan.md")!);
    expect(refusal(out)).toBeUndefined();

    fs.rmSync(path.join(out, "hosts", "relay-2"), { recursive: true });
    fs.symlinkSync(repo, path.join(out, "hosts", "relay-2"));
    expect(refusal(out)).toMatch(/did not write: "hosts\/relay-2"/);
  });

  it("a marker that lists what the plan never writes", () => {
    const out = path.join(box, "forged");
    write(path.join(out, "important.db"), "data");
    write(path.join(out, MARKER), JSON.stringify({ files: { "../repo/README.md": "0".repeat(64) } }));
    expect(refusal(out)).toMatch(/lists "\.\.\/repo\/README\.md", which the plan never writes/);
    write(path.join(out, MARKER), "not json");
    expect(refusal(out)).toMatch(/not JSON/);
    expect(fs.readFileSync(path.join(out, "important.db"), "utf8")).toBe("data");
  });

  it("a huge folder quickly, without listing it", () => {
    const big = path.join(box, "big");
    fs.mkdirSync(big);
    for (let i = 0; i < 2100; i++) fs.writeFileSync(path.join(big, `f${i}`), "");
    write(path.join(big, MARKER), manifestText(PLAN));
    const start = Date.now();
    expect(refusal(big)).toMatch(/more than 2000 entries/);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe("--out accepts", () => {
  it("a new folder (made with its parents) and an empty one, inside the repository or outside", () => {
    for (const out of ["out/preview", path.join(box, "a", "b"), path.join(box, "empty")]) {
      if (out.endsWith("empty")) fs.mkdirSync(out);
      expect(refusal(out)).toBeUndefined();
      const dir = writePlanOutput(out, repo, repo, PLAN);
      expect(tree(dir)).toEqual([MARKER, "hosts/", "hosts/core/", "hosts/core/topology.json", "hosts/relay-1/", "hosts/relay-1/topology.json", "hosts/relay-2/", "hosts/relay-2/topology.json", "hosts.json", "plan.md"]);
    }
  });

  it("an earlier output, replacing exactly its files: a relay that is gone leaves no folder behind", () => {
    const out = path.join(box, "plan");
    writePlanOutput(out, box, repo, PLAN);
    const smaller = new Map([...PLAN].filter(([file]) => !file.startsWith("hosts/relay-2/")));
    smaller.set("plan.md", "# Plan of stack `preview`\nwith one relay\n");
    writePlanOutput(out, box, repo, smaller);
    expect(tree(out)).toEqual([MARKER, "hosts/", "hosts/core/", "hosts/core/topology.json", "hosts/relay-1/", "hosts/relay-1/topology.json", "hosts.json", "plan.md"]);
    expect(fs.readFileSync(path.join(out, "plan.md"), "utf8")).toContain("with one relay");
    // Through a symbolic link to it, too: the real folder is judged and written.
    fs.symlinkSync(out, path.join(box, "plan-link"));
    expect(writePlanOutput(path.join(box, "plan-link"), box, repo, PLAN)).toBe(out);
    expect(fs.lstatSync(path.join(box, "plan-link")).isSymbolicLink()).toBe(true);
  });

  it("an output written before the marker existed, inside the repository only", () => {
    const legacy = path.join(repo, "out", "preview");
    for (const [file, content] of PLAN) write(path.join(legacy, file), content);
    write(path.join(legacy, "hosts", "relay-3", "nftables.conf"));
    const dir = writePlanOutput("out/preview", repo, repo, PLAN);
    expect(tree(dir)).not.toContain("hosts/relay-3/");
    expect(tree(dir)).toContain(MARKER);
    const outside = path.join(box, "old-plan");
    for (const [file, content] of PLAN) write(path.join(outside, file), content);
    expect(refusal(outside)).toMatch(/outside the repository and not empty/);
  });

  it("only plain relative paths as plan files", () => {
    for (const ok of ["plan.md", "hosts/core/topology.json", "changes.md"]) expect(isPlanFile(ok), ok).toBe(true);
    for (const bad of ["../x", "/etc/passwd", "hosts/../../x", ".git/config", "a/b/c/d", "hosts//x", MARKER, "hosts/core/.hidden", "x y"]) {
      expect(isPlanFile(bad), bad).toBe(false);
    }
  });
});

describe("npm run plan --out", () => {
  it("refuses the repository and a link to it before the plan runs, and deletes nothing", async () => {
    const link = path.join(box, "kit");
    fs.symlinkSync(ROOT, link);
    // The same check in this process first: if it accepted the repository, the CLI would not be run.
    expect(() => checkOutDir(".", ROOT, ROOT)).toThrow(ConfigurationError);
    expect(() => checkOutDir(link, ROOT, ROOT)).toThrow(ConfigurationError);
    const files = fs.readdirSync(ROOT).sort();
    for (const out of [".", link, ROOT]) {
      const start = Date.now();
      const { code, stderr } = await planCli(["--stack", "preview", "--out", out]);
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(/--out ".*": is the repository itself/);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(Date.now() - start).toBeLessThan(10_000);
    }
    expect(fs.readdirSync(ROOT).sort()).toEqual(files);
  });

  it("refuses a folder of someone else's files and keeps them", async () => {
    const foreign = path.join(box, "mine");
    write(path.join(foreign, "keep.txt"), "mine");
    const { code, stderr } = await planCli(["--stack", "preview", "--out", foreign]);
    expect(code).toBe(1);
    expect(stderr).toContain("outside the repository and not empty");
    expect(fs.readFileSync(path.join(foreign, "keep.txt"), "utf8")).toBe("mine");
  });
});
