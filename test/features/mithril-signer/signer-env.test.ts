/**
 * The signer's environment, key by key, against the settings mithril-signer 2630.0 reads (the fixture
 * extracted from its configuration code) and Mithril's own per-network data (networks.json 2630.0).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { eraReaderSettings } from "../../../components/features/mithril-signer/era-reader";
import { SIGNER_STORES_DIR } from "../../../components/features/mithril-signer/paths";
import { checkEnvironmentValue, renderSignerEnvironment, signerEnvironment } from "../../../components/features/mithril-signer/signer-env";
import { NETWORK_NAMES, NETWORKS } from "../../../components/networks/networks";
import { CLI_BIN, DATA_MOUNT, DB_DIR, KES_KEY_FILE, OPCERT_FILE, SOCKET_PATH } from "../../../components/node/paths";
import { envLines, networksJson, signerConfiguration, signerInput } from "./input";

const upstream = signerConfiguration();
const byEnv = new Map(upstream.settings.map((s) => [s.env, s]));

describe("the signer's environment", () => {
  for (const network of NETWORK_NAMES) {
    const { model, input } = signerInput(network);
    const file = renderSignerEnvironment(input);
    const env = envLines(file);

    it(`(${network}) sets only settings mithril-signer ${upstream.source.tag} reads, and every one it requires`, () => {
      for (const key of env.keys()) expect(byEnv.has(key), `${key} is not a setting of the signer`).toBe(true);
      const required = upstream.settings.filter((s) => s.required).map((s) => s.env);
      expect(required.sort()).toEqual(["AGGREGATOR_ENDPOINT", "CARDANO_CLI_PATH", "CARDANO_NODE_SOCKET_PATH", "DATA_STORES_DIRECTORY", "DB_DIRECTORY", "NETWORK", "RUN_INTERVAL"]);
      for (const key of required) expect(env.get(key), key).toBeTruthy();
      // The file is exactly the rendered settings, sorted.
      expect([...env.keys()]).toEqual(Object.keys(signerEnvironment(input)).sort());
    });

    it(`(${network}) points at the network's aggregator and Mithril network as networks.json ${upstream.source.tag} lists them`, () => {
      const release = networksJson()[network]!["mithril-networks"].find((n) => NETWORKS[network].mithrilRelease in n)!;
      const entry = release[NETWORKS[network].mithrilRelease]!;
      expect(env.get("AGGREGATOR_ENDPOINT")).toBe(entry.aggregators[0]!.url);
      expect(env.get("ERA_READER_ADAPTER_TYPE")).toBe(entry["era-reader"]["adapter-type"]);
      expect(env.get("NETWORK")).toBe(network);
    });

    it(`(${network}) reads the era markers at the pinned address with the pinned key (the adapter's two fields)`, () => {
      const params = JSON.parse(env.get("ERA_READER_ADAPTER_PARAMS")!) as Record<string, string>;
      expect(Object.keys(params).sort()).toEqual(["address", "verification_key"]);
      expect(params).toEqual({ address: eraReaderSettings(NETWORKS[network]).address, verification_key: eraReaderSettings(NETWORKS[network]).verificationKey });
      expect(params.address).toMatch(network === "mainnet" ? /^addr1[02-9ac-hj-np-z]+$/ : /^addr_test1[02-9ac-hj-np-z]+$/);
      expect(params.verification_key).toMatch(/^[0-9a-f]+$/);
    });

    it(`(${network}) signs with the core's delivered KES key and certificate, on the node's socket and database`, () => {
      expect(env.get("KES_SECRET_KEY_PATH")).toBe(KES_KEY_FILE);
      expect(env.get("OPERATIONAL_CERTIFICATE_PATH")).toBe(OPCERT_FILE);
      expect(env.get("CARDANO_NODE_SOCKET_PATH")).toBe(SOCKET_PATH);
      expect(env.get("DB_DIRECTORY")).toBe(DB_DIR);
      expect(env.get("CARDANO_CLI_PATH")).toBe(CLI_BIN);
      expect(env.get("DATA_STORES_DIRECTORY")).toBe(SIGNER_STORES_DIR);
      expect(env.get("DATA_STORES_DIRECTORY")!.startsWith(`${DATA_MOUNT}/`)).toBe(true);
      // The party id comes from the certificate; the test-only party id is never set.
      expect(env.has("PARTY_ID")).toBe(false);
    });

    it(`(${network}) reaches the aggregator only through the first proxy relay`, () => {
      expect(env.get("RELAY_ENDPOINT")).toBe(`http://${model.relays[0]!.privateIp}:3132`);
    });

    it(`(${network}) serves its metrics on loopback only, never on every interface as upstream's default does`, () => {
      expect(byEnv.get("METRICS_SERVER_IP")!.default).toBe("0.0.0.0");
      expect(env.get("ENABLE_METRICS_SERVER")).toBe("true");
      expect(env.get("METRICS_SERVER_IP")).toBe("127.0.0.1");
      expect(env.get("METRICS_SERVER_PORT")).toBe("9090");
    });

    it(`(${network}) gives numbers and flags in the form the signer deserializes`, () => {
      for (const key of ["RUN_INTERVAL", "STORE_RETENTION_LIMIT", "METRICS_SERVER_PORT"]) expect(env.get(key), key).toMatch(/^[1-9][0-9]*$/);
      expect(Number(env.get("METRICS_SERVER_PORT"))).toBeLessThan(65536);
      expect(env.get("RUN_INTERVAL")).toBe("60000");
      expect(env.get("STORE_RETENTION_LIMIT")).toBe("5");
    });
  }

  it("leaves NETWORK_MAGIC unset: the signer takes the magic from the network's name, and the kit's magics are Mithril's", () => {
    // mithril-common 2630.0 src/entities/cardano_network.rs: MAINNET_MAGIC_ID, PREPROD_MAGIC_ID, PREVIEW_MAGIC_ID.
    expect({ mainnet: NETWORKS.mainnet.magic, preprod: NETWORKS.preprod.magic, preview: NETWORKS.preview.magic }).toEqual({ mainnet: 764824073, preprod: 1, preview: 2 });
    for (const network of NETWORK_NAMES) expect(envLines(renderSignerEnvironment(signerInput(network).input)).has("NETWORK_MAGIC")).toBe(false);
  });

  it("differs between networks only in the network's own settings", () => {
    const a = envLines(renderSignerEnvironment(signerInput("preprod").input));
    const b = envLines(renderSignerEnvironment(signerInput("preview").input));
    const differing = [...a.keys()].filter((k) => a.get(k) !== b.get(k)).sort();
    expect(differing).toEqual(["AGGREGATOR_ENDPOINT", "ERA_READER_ADAPTER_PARAMS", "NETWORK"]);
  });
});

describe("a value systemd reads as it is", () => {
  const hostile: Array<[string, string, RegExp]> = [
    ["quoted", '"x"', /quote/],
    ["single-quoted", "'x'", /quote/],
    ["backslash", "a\\nb", /backslash/],
    ["dollar", "${HOME}", /dollar/],
    ["newline", "a\nB=c", /line break/],
    ["carriage return", "a\rb", /line break/],
    ["leading blank", " x", /blanks/],
    ["trailing blank", "x\t", /blanks/],
    ["empty", "", /empty/],
  ];
  for (const [name, value, message] of hostile) {
    it(`refuses a ${name} value`, () => {
      expect(() => checkEnvironmentValue("SOME_KEY", value)).toThrow(message);
    });
  }

  it("refuses a bad name and accepts the JSON the era reader needs", () => {
    expect(() => checkEnvironmentValue("lower", "x")).toThrow(/name/);
    expect(() => checkEnvironmentValue("A=B", "x")).toThrow(/name/);
    expect(() => checkEnvironmentValue("P", '{"address":"addr1x","verification_key":"5b"}')).not.toThrow();
  });

  it("accepts exactly the strings with none of those characters (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (value) => {
        const safe = !/^["']/.test(value) && !/[\\$\r\n]/.test(value) && value.trim() === value;
        let accepted = true;
        try {
          checkEnvironmentValue("K", value);
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(safe);
      }),
    );
  });
});
