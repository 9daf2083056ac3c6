/**
 * The Pulumi CLI's handling of project config, as the plan models it (cli/plan/cli-config.ts), and the
 * plan's reader end to end: a stack file the CLI refuses is refused with the file and the key named.
 * Vectors marked "upstream" come from pulumi's tests (pkg/workspace/config_project_test.go).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyProjectConfig, programString, projectDefaultValue, readProjectConfig, readStackValues } from "../../cli/plan/cli-config";
import { resolvePlain } from "../../cli/plan/go-yaml";
import { loadStack, MAX_FILE_BYTES, readProject } from "../../cli/plan/stack-file";
import { ConfigurationError } from "../../components/config/problems";
import { WITHHELD_SECRET } from "../../components/config/withheld";
import { ROOT } from "../helpers/plan";

function validate(projectYaml: string, stackYaml: string, stack = "dev") {
  const project = readProjectConfig(projectYaml);
  return applyProjectConfig(stack, project, readStackValues(stackYaml, project.name).values, WITHHELD_SECRET);
}
const refusals = (projectYaml: string, stackYaml: string) => validate(projectYaml, stackYaml).refusals.map((r) => r.message);
const value = (projectYaml: string, stackYaml: string, key: string) => programString(validate(projectYaml, stackYaml).values.get(key)!, WITHHELD_SECRET);

describe("project config, as pulumi's own tests have it (upstream: pkg/workspace/config_project_test.go)", () => {
  it("TestStackConfigIsInheritedFromProjectConfig / TestLoadingStackConfigWithoutNamespacingTheProject", () => {
    const project = "name: test\nruntime: dotnet\nconfig:\n  instanceSize: t3.micro\n  instanceCount: 20\n  protect: true\n";
    expect(value(project, "config:\n  test:instanceSize: t4.large\n", "test:instanceSize")).toBe("t4.large");
    expect(value(project, "config:\n  instanceSize: t4.large\n", "test:instanceSize")).toBe("t4.large");
    expect(value(project, "config: {}\n", "test:instanceCount")).toBe("20");
    expect(value(project, "config: {}\n", "test:protect")).toBe("true");
  });

  it("TestUntypedProjectConfigValuesAreNotValidated", () => {
    expect(refusals("name: test\nruntime: dotnet\nconfig:\n  instanceSize: t3.micro\n  aws:region: us-west-1\n", "config:\n  test:instanceSize: 42\n  aws:region: 42\n")).toEqual([]);
  });

  it("TestStackConfigErrorsWhenStackValueIsNotCorrectlyTyped", () => {
    expect(refusals("name: test\nruntime: dotnet\nconfig:\n  values:\n    type: array\n    items:\n      type: string\n    default: [value]", "config:\n  test:values: someValue\n")).toEqual([
      "Stack 'dev' with configuration key 'values' must be of type 'array<string>'",
    ]);
  });

  it("TestStackConfigIntegerTypeIsCorrectlyValidated", () => {
    const project = "name: test\nruntime: dotnet\nconfig:\n  importantNumber:\n    type: integer\n";
    expect(refusals(project, "config:\n  test:importantNumber: 20\n")).toEqual([]);
    expect(refusals(project, "config:\n  test:importantNumber: hello\n")).toEqual(["Stack 'dev' with configuration key 'importantNumber' must be of type 'integer'"]);
  });

  it("TestStackConfigErrorsWhenMissing…StackValueForConfigTypeWithNoDefault", () => {
    const one = "name: test\nruntime: dotnet\nconfig:\n  values:\n    type: array\n    items:\n      type: string\n";
    expect(refusals(one, "")).toEqual(["Stack 'dev' is missing configuration value 'values'"]);
    const three = `${one}  hello:\n    type: string\n  world:\n    type: string\n`;
    expect(refusals(three, "")).toEqual(["Stack 'dev' is missing configuration values 'hello', 'values' and 'world'"]);
  });

  it("TestStackConfigSecretIsCorrectlyValidated", () => {
    const project = "name: test\nruntime: dotnet\nconfig:\n  importantNumber:\n    type: integer\n    secret: true\n";
    expect(refusals(project, "config:\n  test:importantNumber:\n    secure: djE6MjA=\n")).toEqual([]);
    expect(refusals(project, "config:\n  test:importantNumber: 20\n")).toEqual(["Stack 'dev' with configuration key 'importantNumber' must be encrypted as it's secret"]);
  });

  it("TestStackConfigUInt64", () => {
    expect(value("name: test\nruntime: dotnet", "config:\n  test:instanceSize: 18446744073709551615", "test:instanceSize")).toBe("18446744073709551615");
  });
});

describe("project config: the rules behind them (pulumi sdk/go/common/workspace/project.go, pkg/workspace/config.go)", () => {
  it("an integer is any text strconv.Atoi reads; a boolean only the text true or false; a string any scalar", () => {
    const project = "name: p\nconfig:\n  n:\n    type: integer\n    default: 1\n  b:\n    type: boolean\n    default: false\n  s:\n    type: string\n    default: x\n";
    for (const [n, ok] of [["'+7'", true], ["007", true], ["-0", true], ["1_000", true], ["'1_000'", false], ["' 7'", false], ["9223372036854775808", false], ["3.5", false]] as const) {
      expect(refusals(project, `config:\n  n: ${n}\n`).length === 0, n).toBe(ok);
    }
    for (const [b, ok] of [["True", true], ["'true'", true], ["yes", false], ["'TRUE'", false], ["0", false]] as const) {
      expect(refusals(project, `config:\n  b: ${b}\n`).length === 0, b).toBe(ok);
    }
    for (const [s, ok] of [["3", true], ["true", true], ["2015-01-01", true], ["~", true], ["[a]", false], ["{a: b}", false]] as const) {
      expect(refusals(project, `config:\n  s: ${s}\n`).length === 0, s).toBe(ok);
    }
  });

  it("a default becomes the stack's value as text (string, int, bool) or as JSON (createConfigValue)", () => {
    const cases: [string, string][] = [
      ["'2630.0'", "2630.0"],
      ["2630.0", "2630"],
      ["2.5", "2.5"],
      ["1e11", "100000000000"],
      ["0x10", "16"],
      ["True", "true"],
      ["[]", "[]"],
      ["[b, a]", '["b","a"]'],
      ["{z: 1, a: '&'}", '{"a":"\\u0026","z":1}'],
      ["2015-01-01", "2015-01-01T00:00:00Z"],
      ["12345678901234567890", "12345678901234567000"],
    ];
    for (const [yaml, text] of cases) expect(value(`name: p\nconfig:\n  k:\n    default: ${yaml}\n`, "", "p:k"), yaml).toBe(text);
    expect(programString(projectDefaultValue(resolvePlain("true")), "")).toBe("true");
  });

  it("a secret key with a default fails every stack that leaves it unset: the default is never encrypted (pulumi/pulumi#21865)", () => {
    expect(refusals("name: p\nconfig:\n  key:\n    type: string\n    default: ''\n    secret: true\n", "")).toEqual([
      "Stack 'dev' with configuration key 'key' must be encrypted as it's secret (the value is Pulumi.yaml's default, which the CLI never encrypts: a secret key must not have one, pulumi/pulumi#21865)",
    ]);
    // Without a type the CLI checks nothing (validateStackConfigValues checks explicitly typed keys only).
    expect(refusals("name: p\nconfig:\n  key:\n    default: ''\n    secret: true\n", "")).toEqual([]);
  });

  it("refuses a project the CLI refuses (Project.Validate and the project schema)", () => {
    const cases: [string, RegExp][] = [
      ["config:\n  a: 1\n", /missing a 'name'/],
      ["name: p\nconfig:\n  k:\n    type: number\n", /must be one of string, integer, boolean, array, object/],
      ["name: p\nconfig:\n  k:\n    type: array\n", /declares an array but does not specify the underlying type/],
      ["name: p\nconfig:\n  k:\n    type: integer\n    default: two\n", /default value specified for configuration key 'k' is not of the expected type 'integer'/],
      ["name: p\nconfig:\n  k:\n    type: string\n    defualt: x\n", /'defualt' not allowed/],
      ["name: p\nconfig:\n  k:\n    default: 1\n    value: 2\n", /cannot have both a 'default' and 'value'/],
      ["name: p\nconfig:\n  aws:region:\n    type: string\n", /not namespaced by the project and should not define a type/],
      ["name: p\nconfig:\n  k: 2.5\n", /must be a string, integer, boolean, array or a declaration/],
    ];
    for (const [text, message] of cases) expect(() => readProjectConfig(text), text).toThrow(message);
  });
});

/** A project folder with the kit's Pulumi.yaml and one stack file. */
function scratchProject(stack: string, text: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-yaml-"));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.mkdirSync(path.join(dir, "stacks"));
  fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), text);
  return dir;
}

const PREVIEW = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.preview.yaml"), "utf8");

function refusal(text: string | Buffer, overrides: Record<string, string> = {}): string {
  const dir = scratchProject("t", text);
  try {
    loadStack(readProject(dir), "t", overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error("the stack was not refused");
}

describe("the plan's reader of a stack file", () => {
  it("passes the red team's values as the CLI does", () => {
    const set = (lines: string) => {
      const dir = scratchProject("t", `${PREVIEW.replace(/^ {2}stakepool:relays: .*\n/m, "")}${lines}`);
      return loadStack(readProject(dir), "t").config.values;
    };
    expect(set("  stakepool:relays: 0x3\n")["stakepool:relays"]).toBe("3");
    expect(set("  stakepool:relays: 3.0\n")["stakepool:relays"]).toBe("3");
    expect(set("  stakepool:relays: 1e11\n")["stakepool:relays"]).toBe("100000000000");
    expect(set("  stakepool:relays: 2\n  stakepool:mithrilBootstrap: True\n")["stakepool:mithrilBootstrap"]).toBe("true");
    expect(set("  stakepool:relays: 2\n  stakepool:mithrilVersion: 2630.0\n")["stakepool:mithrilVersion"]).toBe("2630");
  });

  it("refuses what the CLI refuses, naming the file and the key, without a stack trace", () => {
    // The line a setting appended to the committed stack lands on.
    const APPENDED = PREVIEW.split("\n").length;
    for (const [lines, says] of [
      ["  stakepool:rootVolumeGiB: 2.5\n", "stacks/Pulumi.t.yaml: stakepool:rootVolumeGiB: the Pulumi CLI refuses it before the program runs: Stack 't' with configuration key 'rootVolumeGiB' must be of type 'integer'"],
      ["  stakepool:relays: 3\n", `stacks/Pulumi.t.yaml: is refused as YAML: line ${APPENDED}: mapping key "stakepool:relays" already defined at line 6`],
      ["  stakepool:ami: .inf\n", "stacks/Pulumi.t.yaml: stakepool:ami: the Pulumi CLI refuses it before the program runs: json: unsupported value: +Inf"],
      ["  stakepool:mithrilBootstrap: yes\n", "Stack 't' with configuration key 'mithrilBootstrap' must be of type 'boolean'"],
      ["  stakepool:ami: !!int x\n", `stacks/Pulumi.t.yaml: is refused as YAML: line ${APPENDED}: cannot decode !!str \`x\` as a !!int`],
    ] as const) {
      const message = refusal(`${PREVIEW}${lines}`);
      expect(message, lines).toContain(says);
      expect(message).toContain("Fix: ");
      expect(message).not.toMatch(/\n\s+at /);
    }
  });

  it("says what an integer setting reads as, and its range, when the CLI refuses its type", () => {
    const set = (line: string) => refusal(`${PREVIEW.replace(/^ {2}stakepool:relays: .*\n/m, "")}${line}`);
    expect(set("  stakepool:relays: 1e20\n")).toContain(
      `must be of type 'integer' (the value reads as "100000000000000000000"; stakepool:relays takes a whole number from 1 to 20)`,
    );
    expect(set("  stakepool:relays: 2.5\n")).toContain(`(the value reads as "2.5"; stakepool:relays takes a whole number from 1 to 20)`);
  });

  it("refuses an alias bomb quickly, and any file too large to be a stack file", () => {
    const names = "abcdefghi";
    let bomb = `${PREVIEW}  stakepool:peerSeed: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
    for (let i = 1; i < 9; i++) bomb += `  stakepool:x${i}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(", ")}]\n`;
    const started = Date.now();
    expect(refusal(bomb)).toContain("stacks/Pulumi.t.yaml: is refused as YAML: document contains excessive aliasing");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(refusal(`${PREVIEW}# ${"x".repeat(MAX_FILE_BYTES)}\n`)).toContain(`stacks/Pulumi.t.yaml: is larger than ${MAX_FILE_BYTES} bytes`);
    expect(refusal(Buffer.concat([Buffer.from(PREVIEW), Buffer.from([0xff, 0x0a])]))).toContain("stacks/Pulumi.t.yaml: is not UTF-8 text");
  });

  it("applies --config overrides as plain text, as pulumi preview -c does, before the CLI's checks", () => {
    const dir = scratchProject("t", PREVIEW);
    expect(loadStack(readProject(dir), "t", { relays: "3" }).config.values["stakepool:relays"]).toBe("3");
    expect(refusal(PREVIEW, { "stakepool:adminCidrs": '["198.51.100.7/32"]' })).toContain("must be of type 'array<string>'");
  });

  it("passes a key with no value as the empty string, with the CLI's warning", () => {
    const dir = scratchProject("t", `${PREVIEW}  stakepool:ami:\n`);
    const { config, warnings } = loadStack(readProject(dir), "t");
    expect(config.values["stakepool:ami"]).toBe("");
    expect(warnings.map((w) => w.setting)).toEqual(["stakepool:ami"]);
    expect(warnings[0]!.message).toContain("empty string");
  });

  it("warns that values from Pulumi ESC environments are out of its sight", () => {
    const dir = scratchProject("t", `environment:\n  - pool-env\n${PREVIEW}`);
    expect(loadStack(readProject(dir), "t").warnings.map((w) => w.message)).toEqual([expect.stringContaining("ESC environments")]);
  });

  it("withholds encrypted values and lists them as secret", () => {
    const dir = scratchProject("t", `${PREVIEW}  stakepool:kesSigningKey:\n    secure: v1:AAAA\n`);
    const { config } = loadStack(readProject(dir), "t");
    expect(config.values["stakepool:kesSigningKey"]).toBe(WITHHELD_SECRET);
    expect([...config.secretKeys]).toEqual(["stakepool:kesSigningKey"]);
  });
});
