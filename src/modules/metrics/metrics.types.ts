import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../../common/money';
import { MAX_RANGE_DAYS } from '../../common/date-range';
import { ListBound } from '../../common/limits';
import { ConnectionType } from '../../common/pagination';
import { LocalDate, SafeInt } from '../../common/scalars';
import { Creator } from '../creator/creator.entity';
import { Product } from '../product/product.entity';
import { aovMinor, ratio } from '../sales/rules';

export enum Granularity {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
}
registerEnumType(Granularity, {
  name: 'Granularity',
  description: "Calendar buckets in the shop's time zone: WEEK is ISO (Monday), MONTH and QUARTER start on the 1st.",
});

export enum LeaderboardMetric {
  GMV = 'GMV',
  ORDERS = 'ORDERS',
  VIEWS = 'VIEWS',
  ROAS = 'ROAS',
  COMMISSIONS = 'COMMISSIONS',
}
registerEnumType(LeaderboardMetric, { name: 'LeaderboardMetric' });

/** Sums of metric_rollups columns over some days (see sales/rollups.ts for what each one holds). */
export interface RollupSums {
  gmv: number;
  refunds: number;
  orders: number;
  units: number;
  commissions: number;
  platformFees: number;
  cogs: number;
  cogsMissingUnits: number;
  sampleUnits: number;
  sampleCost: number;
  views: number;
  likes: number;
  comments: number;
  shares: number;
  clicks: number;
  adSpend: number;
}

export const SUM_COLUMNS: ReadonlyArray<[keyof RollupSums, string]> = [
  ['gmv', 'gmv_minor'],
  ['refunds', 'refunds_minor'],
  ['orders', 'orders'],
  ['units', 'units'],
  ['commissions', 'commissions_minor'],
  ['platformFees', 'platform_fees_minor'],
  ['cogs', 'cogs_minor'],
  ['cogsMissingUnits', 'cogs_missing_units'],
  ['sampleUnits', 'sample_units'],
  ['sampleCost', 'sample_cost_minor'],
  ['views', 'views'],
  ['likes', 'likes'],
  ['comments', 'comments'],
  ['shares', 'shares'],
  ['clicks', 'clicks'],
  ['adSpend', 'ad_spend_minor'],
];

export function zeroSums(): RollupSums {
  return Object.fromEntries(SUM_COLUMNS.map(([key]) => [key, 0])) as unknown as RollupSums;
}

export function addSums(into: RollupSums, more: RollupSums): RollupSums {
  for (const [key] of SUM_COLUMNS) into[key] += more[key];
  return into;
}

/** A SQL sum (numeric or bigint, as text) as an exact JavaScript integer. */
export function exactInteger(value: unknown): number {
  const n = Number(value ?? 0);
  if (!Number.isSafeInteger(n)) throw new Error(`sum ${String(value)} exceeds the safe integer range`);
  return n;
}

/** Reads the `sum_<column>` fields of a result row. */
export function sumsFromRow(row: Record<string, unknown>, prefix = 'sum_'): RollupSums {
  return Object.fromEntries(SUM_COLUMNS.map(([key, column]) => [key, exactInteger(row[`${prefix}${column}`])])) as unknown as RollupSums;
}

/** `SUM(r.<column>) AS sum_<column>, …` for every rollup column. */
export function sumSelect(alias: string): string {
  return SUM_COLUMNS.map(([, column]) => `SUM(${alias}.${column}) AS sum_${column}`).join(', ');
}

@ObjectType({ description: 'The figures of one bucket (or of a whole range) for one subject, in one currency. Definitions: README "Metric definitions".' })
export class MetricPoint {
  constructor(
    periodStart: string,
    readonly currency: string,
    readonly sums: RollupSums,
  ) {
    this.periodStart = periodStart;
  }

  @Field(() => LocalDate, { description: "First day of the bucket (its calendar start, even when the range cuts it)." })
  periodStart: string;

  @Field(() => Money, { description: 'Line GMV of lines neither cancelled nor samples (refunds not deducted).' })
  get gmv(): Money {
    return new Money(this.sums.gmv, this.currency);
  }

  @Field(() => Int, { description: 'Distinct platform orders among those lines.' })
  get orders(): number {
    return this.sums.orders;
  }

  @Field(() => Int)
  get units(): number {
    return this.sums.units;
  }

  @Field(() => Money, { description: "Refunded amounts of those lines, counted on the line's order day." })
  get refunds(): Money {
    return new Money(this.sums.refunds, this.currency);
  }

  @Field(() => SafeInt)
  get views(): number {
    return this.sums.views;
  }

  @Field(() => SafeInt)
  get clicks(): number {
    return this.sums.clicks;
  }

  @Field(() => SafeInt)
  get likes(): number {
    return this.sums.likes;
  }

  @Field(() => SafeInt)
  get comments(): number {
    return this.sums.comments;
  }

  @Field(() => SafeInt)
  get shares(): number {
    return this.sums.shares;
  }

  @Field(() => Money)
  get adSpend(): Money {
    return new Money(this.sums.adSpend, this.currency);
  }

  @Field(() => Money, { description: 'Affiliate commissions of the attributed lines.' })
  get commissions(): Money {
    return new Money(this.sums.commissions, this.currency);
  }

  @Field(() => Money, { nullable: true, description: 'GMV / orders, rounded half to even to the minor unit; null without orders.' })
  get aov(): Money | null {
    const aov = aovMinor(BigInt(this.sums.gmv), this.sums.orders);
    return aov === null ? null : new Money(Number(aov), this.currency);
  }

  @Field(() => Float, { nullable: true, description: 'clicks / views; null without views.' })
  get ctr(): number | null {
    return ratio(this.sums.clicks, this.sums.views);
  }

  @Field(() => Float, { nullable: true, description: 'orders / clicks; null without clicks.' })
  get cvr(): number | null {
    return ratio(this.sums.orders, this.sums.clicks);
  }

  @Field(() => Float, { nullable: true, description: 'GMV / ad spend; null without ad spend.' })
  get roas(): number | null {
    return ratio(this.sums.gmv, this.sums.adSpend);
  }
}

@ObjectType()
export class MetricSeries {
  @Field(() => Granularity)
  granularity: Granularity;

  @Field(() => [MetricPoint], { description: 'Every bucket of the range, oldest first, zeros where nothing happened.' })
  @ListBound(MAX_RANGE_DAYS)
  points: MetricPoint[];

  @Field(() => MetricPoint, { description: 'The whole range (periodStart = range.from).' })
  totals: MetricPoint;

  @Field(() => MetricPoint, { nullable: true, description: 'The same totals over the equal-length period just before the range.' })
  previousTotals: MetricPoint | null;
}

@ObjectType({ description: 'What sales earned after every cost, over a range, in one currency. Definitions: README "Metric definitions".' })
export class ProfitBreakdown {
  constructor(
    readonly currency: string,
    readonly sums: RollupSums,
  ) {}

  private money(amountMinor: number): Money {
    return new Money(amountMinor, this.currency);
  }

  @Field(() => Money)
  get gmv(): Money {
    return this.money(this.sums.gmv);
  }

  @Field(() => Money)
  get refunds(): Money {
    return this.money(this.sums.refunds);
  }

  get netRevenueMinor(): number {
    return this.sums.gmv - this.sums.refunds;
  }

  @Field(() => Money, { description: 'GMV − refunds.' })
  get netRevenue(): Money {
    return this.money(this.netRevenueMinor);
  }

  @Field(() => Money, { description: "Units × the product's unit cost at ingest, over lines whose product has a cost." })
  get cogs(): Money {
    return this.money(this.sums.cogs);
  }

  @Field(() => Int, { description: 'Units sold of products without a unit cost: not in cogs (reported, not guessed).' })
  get cogsMissingUnits(): number {
    return this.sums.cogsMissingUnits;
  }

  @Field(() => Money, { description: "The platform's fee: Σ per line round-half-even(net revenue × the shop's fee rate)." })
  get platformFees(): Money {
    return this.money(this.sums.platformFees);
  }

  @Field(() => Money)
  get affiliateCommissions(): Money {
    return this.money(this.sums.commissions);
  }

  @Field(() => Money, { description: "Ad spend from daily stats (a creator's: their videos' only; a product has none)." })
  get adSpend(): Money {
    return this.money(this.sums.adSpend);
  }

  @Field(() => Money, { description: 'Free samples at unit cost; kept apart from cogs and subtracted from net profit.' })
  get sampleCost(): Money {
    return this.money(this.sums.sampleCost);
  }

  @Field(() => Int, { description: 'Units of free sample lines (not cancelled).' })
  get sampleUnits(): number {
    return this.sums.sampleUnits;
  }

  get netProfitMinor(): number {
    const s = this.sums;
    return this.netRevenueMinor - s.cogs - s.platformFees - s.commissions - s.adSpend - s.sampleCost;
  }

  @Field(() => Money, { description: 'netRevenue − cogs − platformFees − affiliateCommissions − adSpend − sampleCost (may be negative).' })
  get netProfit(): Money {
    return this.money(this.netProfitMinor);
  }

  @Field(() => Float, { nullable: true, description: 'netProfit / netRevenue; null without net revenue.' })
  get margin(): number | null {
    return ratio(this.netProfitMinor, this.netRevenueMinor);
  }
}

@ObjectType()
export class ProductProfit {
  @Field(() => Product)
  product: Product;

  @Field(() => Int)
  units: number;

  @Field(() => ProfitBreakdown)
  profit: ProfitBreakdown;
}

export const ProductProfitConnection = ConnectionType(ProductProfit);

@ObjectType()
export class CreatorRanking {
  @Field(() => Int, { description: '1, 2, 3 …: ties broken by handle ascending, so no two creators share a rank.' })
  rank: number;

  @Field(() => Creator)
  creator: Creator;

  @Field(() => Float, { description: 'Money metrics in major units (1234.5), counts as counts, ROAS as the ratio.' })
  value: number;

  @Field(() => MetricPoint, { description: "The creator's figures over the whole range (periodStart = range.from)." })
  metrics: MetricPoint;
}
