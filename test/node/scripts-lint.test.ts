/** The node scripts pass shellcheck (following their `source` of common.sh) and Python compiles. */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { KIT_SCRIPT_NAMES, SCRIPTS_DIR } from "../../components/node/scripts";
import { describeWith } from "../helpers/requirements";

const run = promisify(execFile);

async function outcome(command: string, args: readonly string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, [...args]);
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describeWith({ tools: ["shellcheck"] }, "shellcheck", () => {
  for (const name of KIT_SCRIPT_NAMES.filter((n) => n.endsWith(".sh"))) {
    it(`finds nothing in ${name}`, async () => {
      const result = await outcome("shellcheck", ["--external-sources", "--source-path=SCRIPTDIR", "--severity=style", path.join(SCRIPTS_DIR, name)]);
      expect(result.output).toBe("");
      expect(result.code).toBe(0);
    });
  }
});

describeWith({ tools: ["python3"] }, "the firewall's admin-network sync", () => {
  it("compiles", async () => {
    const file = path.resolve(__dirname, "../../components/firewall/scripts/admin-sync.py");
    const result = await outcome("python3", ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", file]);
    expect(result.code).toBe(0);
  });
});

describeWith({ tools: ["python3"] }, "node-config.py", () => {
  it("compiles", async () => {
    const result = await outcome("python3", ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", path.join(SCRIPTS_DIR, "node-config.py")]);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });
});
