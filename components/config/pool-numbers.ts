/**
 * The registration's numbers (stakepool:pledge, cost, margin) as cardano-cli reads them, and as a
 * person means them.
 *
 * - The cost is at least the network's minimum pool cost (checkPoolCost).
 * - Pledge and cost are whole lovelace (`--pool-pledge`, `--pool-cost` take a Natural: cardano-cli
 *   EraBased/Common/Option.hs pLovelace), at most the ADA supply; written without leading zeros, so that
 *   no reviewer reads 0100 as anything but one hundred.
 * - The margin is a fraction from 0 to 1 (`--pool-margin`, cardano-cli Parser.hs
 *   readRationalUnitInterval). The ledger stores it as a ratio of 64-bit numbers (UnitInterval), so a
 *   decimal has at most 19 digits after the point (10^19 < 2^64 < 10^20). The kit takes decimals only;
 *   a percentage, a decimal comma, a fraction or an exponent is refused with the decimal it means.
 */
import { z } from "zod";
import { adaText, MAX_LOVELACE_SUPPLY, MIN_POOL_COST } from "../networks/ledger-parameters";
import type { NetworkName } from "../networks/networks";
import type { Findings } from "./problems";

const MAX_MARGIN_DECIMALS = 19;

/** Why `text` is not a lovelace amount the kit registers; undefined when it is (or is empty: a placeholder). */
export function lovelaceError(text: string): string | undefined {
  if (text === "") return undefined;
  if (!/^\d+$/.test(text)) return `must be a whole number of lovelace, digits only (got ${JSON.stringify(text)}; 1 ADA is 1000000)`;
  if (text.length > 1 && text.startsWith("0")) return `must be written without leading zeros (got ${JSON.stringify(text)})`;
  if (BigInt(text) > MAX_LOVELACE_SUPPLY) {
    return `is ${adaText(BigInt(text))}, more than the ADA supply of ${adaText(MAX_LOVELACE_SUPPLY)} (${MAX_LOVELACE_SUPPLY} lovelace): no pool can pledge or charge it`;
  }
  return undefined;
}

/** The decimal a person probably meant by a margin written another way; undefined if none is obvious. */
export function marginMeant(text: string): string | undefined {
  const t = text.trim();
  const decimal = (n: number) => (Number.isFinite(n) && n >= 0 && n <= 1 ? String(Number(n.toPrecision(12))) : undefined);
  const percent = /^(\d+(?:[.,]\d+)?)\s*%$/.exec(t);
  if (percent) return decimal(Number(percent[1]!.replace(",", ".")) / 100);
  const fraction = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
  if (fraction && Number(fraction[2]) > 0) return decimal(Number(fraction[1]) / Number(fraction[2]));
  if (/^\d*[.,]\d+$/.test(t) || /^\d+(?:\.\d+)?e[-+]?\d+$/i.test(t)) return decimal(Number(t.replace(",", ".")));
  return undefined;
}

/** Why `text` is not a margin the kit registers; undefined when it is (or is empty: a placeholder). */
export function marginError(text: string): string | undefined {
  if (text === "") return undefined;
  const form = /^(0|1)(?:\.(\d+))?$/.exec(text);
  if (!form || (form[1] === "1" && /[1-9]/.test(form[2] ?? ""))) {
    const meant = marginMeant(text);
    return `must be a decimal fraction from 0 to 1, like 0.01 for 1% (got ${JSON.stringify(text)}${meant !== undefined && meant !== text ? `; did you mean ${meant}?` : ""})`;
  }
  if ((form[2] ?? "").length > MAX_MARGIN_DECIMALS) {
    return `has ${form[2]!.length} digits after the point; the ledger stores the margin as a ratio of 64-bit numbers, which holds at most ${MAX_MARGIN_DECIMALS}`;
  }
  return undefined;
}

/** The schema of stakepool:pledge and stakepool:cost. */
export function lovelaceSchema(): z.ZodType<string> {
  return z.string().superRefine((v, ctx) => {
    const error = lovelaceError(v);
    if (error) ctx.addIssue({ code: "custom", message: error });
  });
}

/** The schema of stakepool:margin. */
export function marginSchema(): z.ZodType<string> {
  return z.string().superRefine((v, ctx) => {
    const error = marginError(v);
    if (error) ctx.addIssue({ code: "custom", message: error });
  });
}

/**
 * Records a problem when the cost is below the network's minimum pool cost (ledger-parameters.ts), which
 * the ledger would refuse at registration.
 */
export function checkPoolCost(cost: string, network: NetworkName, setting: string, findings: Findings): void {
  if (cost === "" || lovelaceError(cost) !== undefined) return;
  const minimum = MIN_POOL_COST[network];
  if (BigInt(cost) < minimum) {
    findings.problem(
      setting,
      `is ${adaText(BigInt(cost))}, below ${network}'s minimum pool cost of ${adaText(minimum)} (${minimum} lovelace): the ledger refuses the registration`,
      `pulumi config set ${setting} ${minimum} (the current minimum: cardano-cli latest query protocol-parameters, field minPoolCost)`,
    );
  }
}
