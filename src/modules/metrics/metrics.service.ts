import DataLoader from 'dataloader';
import type { RequestContext } from '../../common/context';
import { todayIn } from '../../common/clock';
import { addDays, addMonths, checkDateRange, DateRangeInput, daysInRange, isoWeekday, MAX_RANGE_DAYS, previousRange, toUtc } from '../../common/date-range';
import { AppError, FieldErrorCollector } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { Campaign } from '../campaign/campaign.entity';
import { Creator } from '../creator/creator.entity';
import { Product } from '../product/product.entity';
import { RollupDimension } from '../sales/ledger.entities';
import { Shop } from '../shop/shop.entity';
import { addSums, Granularity, MetricPoint, MetricSeries, ProfitBreakdown, RollupSums, sumSelect, sumsFromRow, zeroSums } from './metrics.types';

/**
 * Series, totals and profit of one subject (a shop, product, campaign or creator), read from
 * metric_rollups only. Every field goes through a per-request DataLoader: a batch of subjects —
 * whatever their ranges and granularities — is one SQL statement that sums the rollup rows of
 * each subject per calendar bucket (date_trunc on the shop's calendar days), plus one group for
 * the period before the range; buckets with no rows are filled with zeros here.
 */

/** A bucket unit for date_trunc, or 'all' for one bucket over the whole range (profit). */
type Unit = 'day' | 'week' | 'month' | 'quarter' | 'all';

const UNIT_OF: Record<Granularity, Unit> = {
  [Granularity.DAY]: 'day',
  [Granularity.WEEK]: 'week',
  [Granularity.MONTH]: 'month',
  [Granularity.QUARTER]: 'quarter',
};

/** Whose rollup rows to sum, and in which currency the money is. */
export interface Subject {
  /** The shop the rows belong to; null: every shop the caller sees (a creator across shops). */
  shopId: string | null;
  dimension: RollupDimension;
  subjectId: string;
  /** Rows in this currency only (a creator's); for a shop-bound subject it is the shop's. */
  currency: string;
}

interface RollupKey extends Subject {
  from: string;
  to: string;
  /** First day of the previous period (= from when no previous period is wanted). */
  prevFrom: string;
  unit: Unit;
}

interface RollupResult {
  /** Bucket start -> sums of the days of the range inside that bucket. */
  buckets: Map<string, RollupSums>;
  previous: RollupSums;
}

const BUCKET_SQL = `CASE WHEN r.day < k.from_day THEN NULL
    WHEN k.unit = 'all' THEN k.from_day
    WHEN k.unit = 'day' THEN r.day
    ELSE date_trunc(k.unit, r.day::timestamp)::date END::text`;

/** Subjects of one shop each: the primary key (agency, shop, dimension, subject, day) serves the join. */
const SHOP_BOUND_SQL = `
WITH k AS (
  SELECT * FROM unnest($2::int[], $3::uuid[], $4::bpchar[], $5::text[], $6::date[], $7::date[], $8::date[], $9::text[])
    AS k(idx, shop_id, dimension, subject_id, from_day, to_day, prev_from, unit)
)
SELECT k.idx, ${BUCKET_SQL} AS bucket, ${sumSelect('r')}
FROM k JOIN metric_rollups r
  ON r.agency_id = $1 AND r.shop_id = k.shop_id AND r.dimension = k.dimension AND r.subject_id = k.subject_id
 AND r.day BETWEEN k.prev_from AND k.to_day
GROUP BY 1, 2`;

/**
 * Creators, in one currency, in one shop or across the shops the caller sees (a client viewer:
 * their client's shops only). Served by (agency, dimension, subject, day).
 */
const CREATOR_SQL = `
WITH k AS (
  SELECT * FROM unnest($2::int[], $3::uuid[], $4::bpchar[], $5::text[], $6::date[], $7::date[], $8::date[], $9::text[])
    AS k(idx, shop_id, currency, subject_id, from_day, to_day, prev_from, unit)
)
SELECT k.idx, ${BUCKET_SQL} AS bucket, ${sumSelect('r')}
FROM k JOIN metric_rollups r
  ON r.agency_id = $1 AND r.dimension = 'R' AND r.subject_id = k.subject_id
 AND r.day BETWEEN k.prev_from AND k.to_day AND r.currency = k.currency
 AND (k.shop_id IS NULL OR r.shop_id = k.shop_id)
 AND ($10::uuid IS NULL OR r.shop_id IN (SELECT s.id FROM shops s WHERE s.agency_id = $1 AND s.client_id = $10::uuid))
GROUP BY 1, 2`;

function collect(keys: readonly RollupKey[], rows: Array<Record<string, unknown>>): RollupResult[] {
  const results = keys.map<RollupResult>(() => ({ buckets: new Map(), previous: zeroSums() }));
  for (const row of rows) {
    const result = results[Number(row.idx)];
    const sums = sumsFromRow(row);
    if (row.bucket === null) addSums(result.previous, sums);
    else result.buckets.set(row.bucket as string, sums);
  }
  return results;
}

/** Keys compare by value (one subject asked twice in a request is read once). */
const byValue = { cacheKeyFn: (key: RollupKey) => JSON.stringify(key) } as unknown as DataLoader.Options<RollupKey, RollupResult>;

function rollupLoader(ctx: RequestContext): DataLoader<RollupKey, RollupResult> {
  return ctx.loaders.get<RollupKey, RollupResult>(
    'metrics:rollups',
    async (keys) => {
      const rows: Array<Record<string, unknown>> = await ctx.em.query(SHOP_BOUND_SQL, [
        ctx.agencyId,
        keys.map((_, i) => i),
        keys.map((k) => k.shopId),
        keys.map((k) => k.dimension),
        keys.map((k) => k.subjectId),
        keys.map((k) => k.from),
        keys.map((k) => k.to),
        keys.map((k) => k.prevFrom),
        keys.map((k) => k.unit),
      ]);
      return collect(keys, rows);
    },
    byValue,
  );
}

function creatorRollupLoader(ctx: RequestContext): DataLoader<RollupKey, RollupResult> {
  return ctx.loaders.get<RollupKey, RollupResult>(
    'metrics:creatorRollups',
    async (keys) => {
      const rows: Array<Record<string, unknown>> = await ctx.em.query(CREATOR_SQL, [
        ctx.agencyId,
        keys.map((_, i) => i),
        keys.map((k) => k.shopId),
        keys.map((k) => k.currency),
        keys.map((k) => k.subjectId),
        keys.map((k) => k.from),
        keys.map((k) => k.to),
        keys.map((k) => k.prevFrom),
        keys.map((k) => k.unit),
        ctx.clientScope,
      ]);
      return collect(keys, rows);
    },
    byValue,
  );
}

/** The calendar start of every bucket that meets the range, oldest first. */
export function bucketStarts(range: DateRangeInput, granularity: Granularity): string[] {
  const end = toUtc(range.to);
  const from = (first: string, next: (day: string) => string): string[] => {
    const starts: string[] = [];
    for (let day = first; toUtc(day) <= end; day = next(day)) starts.push(day);
    return starts;
  };
  switch (granularity) {
    case Granularity.DAY:
      return from(range.from, (day) => addDays(day, 1));
    case Granularity.WEEK:
      return from(addDays(range.from, 1 - isoWeekday(range.from)), (day) => addDays(day, 7));
    case Granularity.MONTH:
      return from(addMonths(range.from, 0), (day) => addMonths(day, 1));
    case Granularity.QUARTER: {
      const month = Number(range.from.slice(5, 7));
      return from(addMonths(`${range.from.slice(0, 4)}-01-01`, Math.floor((month - 1) / 3) * 3), (day) => addMonths(day, 3));
    }
  }
}

export class MetricsService {
  private load(ctx: RequestContext, key: RollupKey): Promise<RollupResult> {
    return (key.dimension === RollupDimension.CREATOR ? creatorRollupLoader(ctx) : rollupLoader(ctx)).load(key);
  }

  /** Every bucket of the range (zeros where nothing happened), the totals, and the previous period's totals. */
  async series(ctx: RequestContext, subject: Subject, range: DateRangeInput, granularity: Granularity): Promise<MetricSeries> {
    const previous = previousRange(range);
    const result = await this.load(ctx, { ...subject, from: range.from, to: range.to, prevFrom: previous.from, unit: UNIT_OF[granularity] });
    const totals = zeroSums();
    const points = bucketStarts(range, granularity).map((start) => {
      const sums = result.buckets.get(start) ?? zeroSums();
      addSums(totals, sums);
      return new MetricPoint(start, subject.currency, sums);
    });
    return Object.assign(new MetricSeries(), {
      granularity,
      points,
      totals: new MetricPoint(range.from, subject.currency, totals),
      previousTotals: new MetricPoint(previous.from, subject.currency, result.previous),
    });
  }

  /** Profit over the range: the same rollup rows summed into one bucket. */
  async profit(ctx: RequestContext, subject: Subject, range: DateRangeInput): Promise<ProfitBreakdown> {
    const result = await this.load(ctx, { ...subject, from: range.from, to: range.to, prevFrom: range.from, unit: 'all' });
    return new ProfitBreakdown(subject.currency, result.buckets.get(range.from) ?? zeroSums());
  }

  // --- subjects -------------------------------------------------------------------------------

  shopSubject(shop: Shop): Subject {
    return { shopId: shop.id, dimension: RollupDimension.SHOP, subjectId: '', currency: shop.currency };
  }

  productSubject(product: Product): Subject {
    return { shopId: product.shopId, dimension: RollupDimension.PRODUCT, subjectId: product.id, currency: product.currency };
  }

  campaignSubject(campaign: Campaign): Subject {
    return { shopId: campaign.shopId, dimension: RollupDimension.CAMPAIGN, subjectId: campaign.id, currency: campaign.currency };
  }

  /**
   * A creator's figures are kept per shop; across shops they may only be added up in one
   * currency. With `shopId` they are that shop's; with `currency` those of the caller's shops in
   * that currency; with neither, those of every shop the caller sees, when those shops share
   * one currency — otherwise BAD_USER_INPUT asks for one.
   */
  async creatorSubject(ctx: RequestContext, creator: Creator, shopIdArg: string | null, currencyArg: string | null): Promise<Subject> {
    const base = { dimension: RollupDimension.CREATOR, subjectId: creator.id };
    if (shopIdArg) {
      const shop = await ctx.loaders.byId(Shop).load(decodeId('Shop', shopIdArg, 'shopId'));
      if (!shop) throw AppError.notFound('Shop', 'shopId');
      if (currencyArg && currencyArg !== shop.currency) throw AppError.badField('currency', `The shop's currency is ${shop.currency}`);
      return { ...base, shopId: shop.id, currency: shop.currency };
    }
    return { ...base, shopId: null, currency: currencyArg ?? (await this.singleCurrency(ctx)) };
  }

  /** The one currency of the shops the caller sees; BAD_USER_INPUT (on `currency`) when there are several or none. */
  async singleCurrency(ctx: RequestContext): Promise<string> {
    const currencies = await this.visibleCurrencies(ctx);
    if (currencies.length === 1) return currencies[0];
    if (currencies.length === 0) throw AppError.badField('currency', 'There are no shops to take a currency from: pass currency');
    throw AppError.badField('currency', `Money is never added across currencies and these shops use several (${currencies.join(', ')}): pass shopId or currency`);
  }

  /** Distinct currencies of the shops the caller sees; once per request. */
  visibleCurrencies(ctx: RequestContext): Promise<string[]> {
    const loader = ctx.loaders.get<string, string[]>('metrics:visibleCurrencies', async (keys) => {
      const rows: Array<{ currency: string }> = await ctx.em.query(
        `SELECT DISTINCT currency FROM shops WHERE agency_id = $1 AND ($2::uuid IS NULL OR client_id = $2::uuid) ORDER BY currency`,
        [ctx.agencyId, ctx.clientScope],
      );
      return keys.map(() => rows.map((r) => r.currency));
    });
    return loader.load('all');
  }

  /** Validates a range argument (BAD_USER_INPUT on `range.to`). */
  checkRange(range: DateRangeInput): DateRangeInput {
    // The argument's own validation refuses these already; services called otherwise check again.
    const errors = new FieldErrorCollector();
    checkDateRange(range, 'range', errors);
    errors.throwIfAny();
    return range;
  }

  /** A campaign's range by default: its dates, up to today in the shop's time zone while it has no end. */
  async campaignRange(ctx: RequestContext, campaign: Campaign, range: DateRangeInput | null | undefined): Promise<DateRangeInput> {
    if (range) return this.checkRange(range);
    let to = campaign.endDate;
    if (!to) {
      const shop = await ctx.loaders.byId(Shop).load(campaign.shopId);
      const today = todayIn(shop?.timeZone ?? 'UTC');
      // A campaign that has not started yet covers its first day.
      to = today < campaign.startDate ? campaign.startDate : today;
    }
    // A campaign longer than a range may be covers its last MAX_RANGE_DAYS days.
    const from = daysInRange(campaign.startDate, to) > MAX_RANGE_DAYS ? addDays(to, 1 - MAX_RANGE_DAYS) : campaign.startDate;
    return { from, to };
  }
}
