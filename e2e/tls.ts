/**
 * The box's stand-in for the Internet's public certificate authorities: a CA made for this run (openssl)
 * and one server certificate it signs for every HTTPS name and address on the wire (the release
 * downloads, the Mithril aggregator, the operator's alert endpoints). A server trusts the CA the way a
 * provider's image trusts the public ones (the own servers' first boot adds it to the system's bundle: e2e/backends.ts), so
 * the kit's downloads, the signer's TLS through the proxy and Alertmanager's webhooks are verified as they
 * are in production, never with verification turned off.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { must } from "./network";

export interface BoxTls {
  /** The CA's certificate (PEM), for the servers' trust stores. */
  readonly caPem: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export async function makeBoxTls(dir: string, names: { readonly ips: readonly string[]; readonly dns: readonly string[] }): Promise<BoxTls> {
  const file = (name: string) => path.join(dir, name);
  const days = "2";
  await must(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.crt"),
    "-days", days, "-subj", "/CN=stakepool e2e box CA (test only)", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await must(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=stakepool e2e box services"]);
  const san = [...names.ips.map((ip) => `IP:${ip}`), ...names.dns.map((dns) => `DNS:${dns}`)].join(",");
  writeFileSync(file("server.ext"), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
  await must(["openssl", "x509", "-req", "-in", file("server.csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial", "-days", days, "-extfile", file("server.ext"), "-out", file("server.crt")]);
  return { caPem: readFileSync(file("ca.crt"), "utf8"), certFile: file("server.crt"), keyFile: file("server.key") };
}
