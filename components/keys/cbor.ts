/**
 * cbor-x, typed for this CommonJS project. cbor-x 1.6.8 is an ES module whose `exports` point CommonJS
 * type lookups at an `index.d.cts` it does not ship, so `import { decode } from "cbor-x"` fails the
 * type check (TS1479) although it runs. The types are taken from its ES module declarations and the
 * code from its CommonJS build (`dist/node.cjs`), which is what `import` would load at run time anyway.
 */
import type { decode as CborDecode } from "cbor-x" with { "resolution-mode": "import" };

// The one require in the kit, for the reason above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cborX = require("cbor-x") as { decode: typeof CborDecode };

/** Decodes exactly one CBOR item; throws on malformed, truncated or trailing data. */
export function decodeCbor(bytes: Uint8Array): unknown {
  return cborX.decode(bytes) as unknown;
}
