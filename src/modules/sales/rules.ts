/**
 * The money rules of the sales ledger, written once. Metrics, profit, payouts and alerts call
 * these; none re-derives them. Amounts are integer minor units (bigint here, so a product of an
 * amount and a rate never loses a cent); rates people set are basis points (1500 = 15 %).
 */

export const BPS_DENOMINATOR = 10_000n;

/** a / b rounded half to even (banker's rounding), for a >= 0 and b > 0. */
export function divideHalfEven(a: bigint, b: bigint): bigint {
  if (a < 0n || b <= 0n) throw new RangeError(`divideHalfEven expects a >= 0 and b > 0, got ${a} / ${b}`);
  const quotient = a / b;
  const twiceRemainder = (a % b) * 2n;
  if (twiceRemainder > b) return quotient + 1n;
  if (twiceRemainder < b) return quotient;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

/** amount × rate in basis points, rounded half to even at the line. */
export function applyBps(amountMinor: bigint, rateBps: number): bigint {
  return divideHalfEven(amountMinor * BigInt(rateBps), BPS_DENOMINATOR);
}

/** What a line needs to say about itself for the rules below. */
export interface LineFacts {
  status: 'PLACED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'REFUNDED';
  isSample: boolean;
  /** The attributed creator; an unattributed line earns no commission. */
  creatorId: string | null;
  gmvMinor: bigint;
  refundedMinor: bigint;
}

/**
 * Whether a line counts toward GMV, orders, units, refunds, COGS, fees and commission: not
 * cancelled and not a free sample. (Sample lines count as sample cost only.)
 */
export function countsAsSale(line: Pick<LineFacts, 'status' | 'isSample'>): boolean {
  return line.status !== 'CANCELLED' && !line.isSample;
}

/** Net revenue of a line: GMV less what was refunded; zero for lines that are not sales. */
export function netRevenueMinor(line: LineFacts): bigint {
  return countsAsSale(line) ? line.gmvMinor - line.refundedMinor : 0n;
}

/** The rates a line's commission may come from, most specific first. */
export interface CommissionRateSources {
  /** The rate the platform reported for this affiliate line. */
  reportedBps?: number | null;
  /** The creator's enrollment override in the attributed campaign. */
  enrollmentBps?: number | null;
  /** The attributed campaign's default. */
  campaignBps?: number | null;
  /** The shop's default affiliate rate (Shop.defaultCommissionRateBps). */
  shopDefaultBps: number;
}

/** Rate = the line's reported rate, else the enrollment's, else the campaign's, else the shop's default. */
export function commissionRateBps(sources: CommissionRateSources): number {
  return sources.reportedBps ?? sources.enrollmentBps ?? sources.campaignBps ?? sources.shopDefaultBps;
}

/**
 * Affiliate commission of a line: round-half-even((GMV − refunded) × rate / 10,000). Cancelled
 * lines, samples and unattributed lines (no creator) earn nothing.
 */
export function lineCommissionMinor(line: LineFacts, rateBps: number): bigint {
  if (!countsAsSale(line) || line.creatorId === null) return 0n;
  return applyBps(line.gmvMinor - line.refundedMinor, rateBps);
}

/** The platform's fee on a line: round-half-even(net revenue × fee rate / 10,000). */
export function linePlatformFeeMinor(line: LineFacts, feeBps: number): bigint {
  return applyBps(netRevenueMinor(line), feeBps);
}

/** A ratio, or null when the denominator is zero (CTR, CVR, ROAS, margin). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** AOV = GMV / orders, rounded half to even to the minor unit; null without orders. */
export function aovMinor(gmvMinor: bigint, orders: number): bigint | null {
  return orders === 0 ? null : divideHalfEven(gmvMinor, BigInt(orders));
}
