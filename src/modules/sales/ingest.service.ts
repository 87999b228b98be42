import { EntityManager } from 'typeorm';
import { currentTime, todayIn, todayUtc } from '../../common/clock';
import { findOwned, RequestContext } from '../../common/context';
import { AppError, FieldErrors } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { validateInput } from '../../common/validation';
import { normalizeHandle } from '../creator/creator.service';
import { refreshCreatorTiers } from '../creator/tiers';
import { Shop } from '../shop/shop.entity';
import { OrderContentType, OrderStatus } from './ledger.entities';
import { DailyStatInput, IngestError, IngestErrorCode as Code, IngestResult, MAX_INGEST_BATCH, OrderInput } from './order.inputs';
import { mapPlatformStatus, normalizePlatformStatus } from './platform-status';
import { lockShopLedger, recomputeRollups } from './rollups';
import { commissionRateBps, lineCommissionMinor, linePlatformFeeMinor, LineFacts } from './rules';

/** A placedAt up to this far ahead of the server's clock is clock skew, not the future. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Thrown inside the row checks: the row is rejected with this code and message. */
class Rejection {
  constructor(
    readonly code: Code,
    readonly message: string,
  ) {}
}

/** The first class-validator problem of each row, by row index ("orders.3.gmv.amount: …"). */
function problemsByRow(fields: FieldErrors, arg: string): Map<number, string> {
  const byRow = new Map<number, string>();
  for (const [path, messages] of Object.entries(fields)) {
    const match = new RegExp(`^${arg}\\.(\\d+)\\.(.*)$`).exec(path);
    if (!match) continue;
    const index = Number(match[1]);
    if (!byRow.has(index)) byRow.set(index, `${match[2]}: ${messages[0]}`);
  }
  return byRow;
}

function trimmedOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** An order line that passed the checks that need no lookups, with its normalised values. */
interface Candidate {
  index: number;
  externalId: string;
  orderId: string;
  sku: string | null;
  handle: string | null;
  videoId: string | null;
  campaignId: string | null;
  status: OrderStatus;
  platformStatus: string | null;
  quantity: number;
  gmvMinor: bigint;
  refundedMinor: bigint;
  isSample: boolean;
  reportedBps: number | null;
  placedAt: Date;
  contentType: OrderContentType | null;
}

/** A candidate after attribution, as it is written. */
interface ResolvedLine extends Candidate {
  productId: string | null;
  unitCostMinor: string | null;
  creatorId: string | null;
  contentId: string | null;
  attributedCampaignId: string | null;
  orderDay: string;
  commissionRateBps: number;
  commissionMinor: bigint;
  platformFeeMinor: bigint;
}

/**
 * The creator's campaign for a line (the issue's settled precedence): the explicit or content
 * campaign when there is one, with the creator's enrollment there for its rate; otherwise the
 * creator's enrollment (ACCEPTED or later, not DECLINED or REMOVED) in a campaign of the shop that
 * is not DRAFT or CANCELLED, covers the order day and promotes the product or no product list;
 * the latest started wins (then the latest created). Also the order day in the shop's time zone.
 */
const ATTRIBUTION_SQL = `
SELECT t.i, (t.placed_at AT TIME ZONE $3)::date::text AS order_day, a.campaign_id, a.campaign_rate, a.enrollment_rate
FROM unnest($4::int[], $5::uuid[], $6::uuid[], $7::timestamptz[], $8::uuid[]) AS t(i, creator_id, product_id, placed_at, campaign_id)
LEFT JOIN LATERAL (
  SELECT c.id AS campaign_id, c.commission_rate_bps AS campaign_rate, e.commission_rate_bps AS enrollment_rate
  FROM campaigns c
  LEFT JOIN campaign_enrollments e ON e.campaign_id = c.id AND e.creator_id = t.creator_id
  WHERE t.campaign_id IS NOT NULL AND c.id = t.campaign_id AND c.agency_id = $1
  UNION ALL
  (SELECT c.id, c.commission_rate_bps, e.commission_rate_bps
   FROM campaign_enrollments e
   JOIN campaigns c ON c.id = e.campaign_id
   WHERE t.campaign_id IS NULL AND t.creator_id IS NOT NULL
     AND e.agency_id = $1 AND e.creator_id = t.creator_id
     AND e.status NOT IN ('INVITED', 'DECLINED', 'REMOVED')
     AND c.shop_id = $2 AND c.status NOT IN ('DRAFT', 'CANCELLED')
     AND c.start_date <= (t.placed_at AT TIME ZONE $3)::date
     AND (c.end_date IS NULL OR c.end_date >= (t.placed_at AT TIME ZONE $3)::date)
     AND (NOT EXISTS (SELECT 1 FROM campaign_products cp WHERE cp.campaign_id = c.id)
          OR EXISTS (SELECT 1 FROM campaign_products cp WHERE cp.campaign_id = c.id AND cp.product_id = t.product_id))
   ORDER BY c.start_date DESC, c.created_at DESC, c.id DESC
   LIMIT 1)
) a ON true`;

/** Columns an ingest writes and compares: a retried identical line changes none of them. */
const ORDER_COLUMNS: Array<[string, string]> = [
  ['external_id', 'text'],
  ['order_id', 'text'],
  ['product_id', 'uuid'],
  ['creator_id', 'uuid'],
  ['campaign_id', 'uuid'],
  ['content_id', 'uuid'],
  ['video_id', 'text'],
  ['content_type', 'order_content_type'],
  ['status', 'order_status'],
  ['platform_status', 'text'],
  ['quantity', 'int'],
  ['gmv_minor', 'bigint'],
  ['refunded_minor', 'bigint'],
  ['is_sample', 'bool'],
  ['reported_commission_rate_bps', 'int'],
  ['placed_at', 'timestamptz'],
  ['order_day', 'date'],
  ['commission_rate_bps', 'int'],
  ['commission_minor', 'bigint'],
  ['platform_fee_bps', 'int'],
  ['platform_fee_minor', 'bigint'],
  ['unit_cost_minor', 'bigint'],
];

/**
 * One statement for the whole batch: insert new lines, update changed ones (only when a column
 * differs, so identical retries are untouched and counted unchanged), and report each written
 * line with the day (and creator) it had before, so the rollups of both days are recomputed.
 */
function upsertOrdersSql(): string {
  const names = ORDER_COLUMNS.map(([name]) => name);
  const unnest = ORDER_COLUMNS.map(([, type], i) => `$${i + 4}::${type}[]`).join(', ');
  const compared = names.filter((n) => n !== 'external_id');
  return `
WITH incoming AS (
  SELECT * FROM unnest(${unnest}) AS t(${names.join(', ')})
),
old AS (
  SELECT o.external_id, o.order_day, o.creator_id FROM order_lines o
  WHERE o.agency_id = $1 AND o.shop_id = $2 AND o.external_id = ANY($4::text[])
),
written AS (
  INSERT INTO order_lines (agency_id, shop_id, currency, ${names.join(', ')})
  SELECT $1, $2, $3, ${names.map((n) => `t.${n}`).join(', ')} FROM incoming t
  ON CONFLICT (agency_id, shop_id, external_id) DO UPDATE SET
    ${compared.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}, currency = EXCLUDED.currency, updated_at = now()
  WHERE (${compared.map((n) => `order_lines.${n}`).join(', ')}) IS DISTINCT FROM (${compared.map((n) => `EXCLUDED.${n}`).join(', ')})
  RETURNING external_id, order_day, creator_id, (xmax = 0) AS inserted
)
SELECT w.external_id, w.order_day::text AS order_day, w.creator_id, w.inserted, old.order_day::text AS old_day, old.creator_id AS old_creator_id
FROM written w LEFT JOIN old ON old.external_id = w.external_id`;
}

const UPSERT_ORDERS_SQL = upsertOrdersSql();

const UPSERT_STATS_SQL = `
WITH incoming AS (
  SELECT * FROM unnest($4::date[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[],
                       $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[])
    AS t(date, subject_key, video_id, campaign_id, creator_id, content_id, views, likes, comments, shares, clicks, ad_spend_minor)
),
written AS (
  INSERT INTO daily_stats (agency_id, shop_id, currency, date, subject_key, video_id, campaign_id, creator_id, content_id,
                           views, likes, comments, shares, clicks, ad_spend_minor)
  SELECT $1, $2, $3, t.* FROM incoming t
  ON CONFLICT (agency_id, shop_id, date, subject_key) DO UPDATE SET
    video_id = EXCLUDED.video_id, campaign_id = EXCLUDED.campaign_id, creator_id = EXCLUDED.creator_id,
    content_id = EXCLUDED.content_id, views = EXCLUDED.views, likes = EXCLUDED.likes, comments = EXCLUDED.comments,
    shares = EXCLUDED.shares, clicks = EXCLUDED.clicks, ad_spend_minor = EXCLUDED.ad_spend_minor,
    currency = EXCLUDED.currency, updated_at = now()
  WHERE (daily_stats.video_id, daily_stats.campaign_id, daily_stats.creator_id, daily_stats.content_id, daily_stats.views,
         daily_stats.likes, daily_stats.comments, daily_stats.shares, daily_stats.clicks, daily_stats.ad_spend_minor, daily_stats.currency)
    IS DISTINCT FROM (EXCLUDED.video_id, EXCLUDED.campaign_id, EXCLUDED.creator_id, EXCLUDED.content_id, EXCLUDED.views,
         EXCLUDED.likes, EXCLUDED.comments, EXCLUDED.shares, EXCLUDED.clicks, EXCLUDED.ad_spend_minor, EXCLUDED.currency)
  RETURNING date::text AS date, (xmax = 0) AS inserted
)
SELECT * FROM written`;

/**
 * Sales data in: order lines and daily stats, upserted by their natural keys, one transaction per
 * batch. Every bad row is rejected on its own (index, externalId, code, message) and the good rows
 * commit; the shop's rollups of every touched day are recomputed in the same transaction.
 * Set-based: a fixed number of statements per batch, whatever its size.
 */
export class IngestService {
  async ingestOrders(ctx: RequestContext, shopGlobalId: string, orders: OrderInput[]): Promise<IngestResult> {
    if (orders.length > MAX_INGEST_BATCH) throw AppError.badField('orders', `at most ${MAX_INGEST_BATCH} lines per call`);
    const shopId = decodeId('Shop', shopGlobalId, 'shopId');
    // Class rules per row (and decimal amounts turned into minor units): rejections, not a 400.
    const invalid = problemsByRow((await validateInput(orders, 'orders')).fields, 'orders');
    const result = new IngestResult();
    const touchedCreators = new Set<string>();

    await ctx.transaction(async (em) => {
      const shop = await findOwned(ctx, em, Shop, shopId, 'shopId');
      await lockShopLedger(em, shop.id);
      const reject = (index: number, rejection: Rejection) =>
        result.rejected.push(new IngestError(index, trimmedOrNull(orders[index].externalId), rejection.code, rejection.message));

      const candidates: Candidate[] = [];
      const firstIndexOf = new Map<string, number>();
      const latest = currentTime().getTime() + FUTURE_TOLERANCE_MS;
      orders.forEach((input, index) => {
        try {
          candidates.push(this.checkOrder(input, index, shop, invalid, firstIndexOf, latest));
        } catch (err) {
          if (err instanceof Rejection) reject(index, err);
          else throw err;
        }
      });

      const resolved = await this.resolveOrders(ctx, em, shop, candidates, reject);
      if (resolved.length > 0) {
        const rows: Array<{ external_id: string; order_day: string; creator_id: string | null; inserted: boolean; old_day: string | null; old_creator_id: string | null }> =
          await em.query(UPSERT_ORDERS_SQL, [ctx.agencyId, shop.id, shop.currency, ...this.orderColumns(resolved, shop)]);
        const days = new Set<string>();
        for (const row of rows) {
          if (row.inserted) result.inserted++;
          else result.updated++;
          days.add(row.order_day);
          if (row.old_day) days.add(row.old_day);
          if (row.creator_id) touchedCreators.add(row.creator_id);
          if (row.old_creator_id) touchedCreators.add(row.old_creator_id);
        }
        result.unchanged = resolved.length - rows.length;
        await recomputeRollups(em, ctx.agencyId, shop.id, [...days]);
        // Tiers read the creator rollups: the creators whose sales moved (before or after) get theirs now.
        await refreshCreatorTiers(em, ctx.agencyId, todayUtc(), [...touchedCreators]);
      }
      result.rejected.sort((a, b) => a.index - b.index);
      return result;
    });
    return result;
  }

  /** The checks a line passes on its own, first failure wins; returns its normalised values. */
  private checkOrder(
    input: OrderInput,
    index: number,
    shop: Shop,
    invalid: Map<number, string>,
    firstIndexOf: Map<string, number>,
    latestPlacedAt: number,
  ): Candidate {
    const problem = invalid.get(index);
    if (problem) throw new Rejection(Code.INVALID_VALUE, problem);
    const externalId = trimmedOrNull(input.externalId);
    if (!externalId) throw new Rejection(Code.INVALID_VALUE, 'externalId must not be blank');
    const earlier = firstIndexOf.get(externalId);
    if (earlier !== undefined) throw new Rejection(Code.INVALID_VALUE, `externalId ${externalId} is also at index ${earlier} of this batch`);
    firstIndexOf.set(externalId, index);

    let status = input.status ?? null;
    const platformStatus = trimmedOrNull(input.platformStatus);
    if (!status) {
      if (!platformStatus) throw new Rejection(Code.INVALID_VALUE, 'give status or platformStatus');
      const mapped = mapPlatformStatus(platformStatus);
      if (mapped === undefined) throw new Rejection(Code.INVALID_VALUE, `unknown platformStatus ${normalizePlatformStatus(platformStatus)}`);
      if (mapped === null) throw new Rejection(Code.NOT_A_SALE, `${normalizePlatformStatus(platformStatus)}: an unpaid order is not a sale`);
      status = mapped;
    }
    if (!Number.isInteger(input.quantity) || input.quantity < 1) throw new Rejection(Code.INVALID_QUANTITY, `quantity must be at least 1, got ${input.quantity}`);
    if (input.gmv.currency !== shop.currency) {
      throw new Rejection(Code.CURRENCY_MISMATCH, `gmv is in ${input.gmv.currency}; the shop sells in ${shop.currency}`);
    }
    if (input.refundedAmount && input.refundedAmount.currency !== shop.currency) {
      throw new Rejection(Code.CURRENCY_MISMATCH, `refundedAmount is in ${input.refundedAmount.currency}; the shop sells in ${shop.currency}`);
    }
    const gmvMinor = BigInt(input.gmv.amountMinor);
    // A REFUNDED line that does not say how much was refunded was refunded in full.
    const refundedMinor = input.refundedAmount ? BigInt(input.refundedAmount.amountMinor) : status === OrderStatus.REFUNDED ? gmvMinor : 0n;
    if (refundedMinor > gmvMinor) throw new Rejection(Code.REFUND_EXCEEDS_GMV, `refundedAmount ${refundedMinor} is more than the gmv ${gmvMinor} (minor units)`);
    const placedAt = input.placedAt;
    if (!(placedAt instanceof Date) || Number.isNaN(placedAt.getTime())) throw new Rejection(Code.INVALID_VALUE, 'placedAt must be an instant');
    if (placedAt.getTime() > latestPlacedAt) throw new Rejection(Code.FUTURE_DATE, `placedAt ${placedAt.toISOString()} is in the future`);
    const reportedBps = input.commissionRateBps ?? null;
    if (reportedBps !== null && (!Number.isInteger(reportedBps) || reportedBps < 0 || reportedBps > 10000)) {
      throw new Rejection(Code.INVALID_VALUE, `commissionRateBps must be from 0 to 10000, got ${reportedBps}`);
    }
    let campaignId: string | null = null;
    if (input.campaignId) {
      try {
        campaignId = decodeId('Campaign', input.campaignId, 'campaignId');
      } catch {
        throw new Rejection(Code.INVALID_VALUE, 'campaignId is not a Campaign id');
      }
    }
    const handle = trimmedOrNull(input.creatorHandle);
    return {
      index,
      externalId,
      orderId: trimmedOrNull(input.orderId) ?? externalId,
      sku: trimmedOrNull(input.productSku),
      handle: handle === null ? null : normalizeHandle(handle),
      videoId: trimmedOrNull(input.videoId),
      campaignId,
      status,
      platformStatus,
      quantity: input.quantity,
      gmvMinor,
      refundedMinor,
      isSample: input.isSample ?? false,
      reportedBps,
      placedAt,
      contentType: input.contentType ?? null,
    };
  }

  /**
   * Products, creators, content, campaigns: one statement each for the whole batch; then the
   * attribution and order day of every line in one more. Lines naming something unknown are
   * rejected; the rest get their commission and fee from rules.ts.
   */
  private async resolveOrders(
    ctx: RequestContext,
    em: EntityManager,
    shop: Shop,
    candidates: Candidate[],
    reject: (index: number, rejection: Rejection) => void,
  ): Promise<ResolvedLine[]> {
    if (candidates.length === 0) return [];
    const agencyId = ctx.agencyId;
    const distinct = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))];
    const skus = distinct(candidates.map((c) => c.sku));
    const handles = distinct(candidates.map((c) => c.handle));
    const videos = distinct(candidates.map((c) => c.videoId));
    const campaignIds = distinct(candidates.map((c) => c.campaignId));

    const [products, creators, contents, campaigns] = await Promise.all([
      skus.length
        ? (em.query(`SELECT id, sku, unit_cost_minor FROM products WHERE agency_id = $1 AND shop_id = $2 AND sku = ANY($3::text[])`, [agencyId, shop.id, skus]) as Promise<
            Array<{ id: string; sku: string; unit_cost_minor: string | null }>
          >)
        : [],
      handles.length
        ? (em.query(`SELECT id, handle FROM creators WHERE agency_id = $1 AND handle = ANY($2::text[])`, [agencyId, handles]) as Promise<Array<{ id: string; handle: string }>>)
        : [],
      videos.length
        ? (em.query(`SELECT id, video_id, campaign_id, creator_id FROM content WHERE agency_id = $1 AND shop_id = $2 AND video_id = ANY($3::text[])`, [
            agencyId,
            shop.id,
            videos,
          ]) as Promise<Array<{ id: string; video_id: string; campaign_id: string; creator_id: string }>>)
        : [],
      campaignIds.length
        ? (em.query(`SELECT id FROM campaigns WHERE agency_id = $1 AND shop_id = $2 AND id = ANY($3::uuid[])`, [agencyId, shop.id, campaignIds]) as Promise<Array<{ id: string }>>)
        : [],
    ]);
    const productBySku = new Map(products.map((p) => [p.sku, p]));
    const creatorByHandle = new Map(creators.map((c) => [c.handle, c.id]));
    const contentByVideo = new Map(contents.map((c) => [c.video_id, c]));
    const knownCampaigns = new Set(campaigns.map((c) => c.id));

    type Attributed = Candidate & { product: { id: string; unit_cost_minor: string | null } | null; creatorId: string | null; contentId: string | null; knownCampaignId: string | null };
    const attributed: Attributed[] = [];
    for (const c of candidates) {
      const product = c.sku === null ? null : (productBySku.get(c.sku) ?? undefined);
      if (product === undefined) {
        reject(c.index, new Rejection(Code.UNKNOWN_PRODUCT, `no product with SKU ${c.sku} in this shop`));
        continue;
      }
      const creatorId = c.handle === null ? null : (creatorByHandle.get(c.handle) ?? undefined);
      if (creatorId === undefined) {
        reject(c.index, new Rejection(Code.UNKNOWN_CREATOR, `no creator with handle @${c.handle}`));
        continue;
      }
      if (c.campaignId !== null && !knownCampaigns.has(c.campaignId)) {
        reject(c.index, new Rejection(Code.UNKNOWN_CAMPAIGN, 'no such campaign in this shop'));
        continue;
      }
      const content = c.videoId === null ? undefined : contentByVideo.get(c.videoId);
      attributed.push({
        ...c,
        product,
        // The handle names the creator; without one, the content's creator made the sale.
        creatorId: creatorId ?? content?.creator_id ?? null,
        contentId: content?.id ?? null,
        // An explicit campaign first, else the content's.
        knownCampaignId: c.campaignId ?? content?.campaign_id ?? null,
      });
    }
    if (attributed.length === 0) return [];

    const attribution: Array<{ i: number; order_day: string; campaign_id: string | null; campaign_rate: number | null; enrollment_rate: number | null }> = await em.query(
      ATTRIBUTION_SQL,
      [
        agencyId,
        shop.id,
        shop.timeZone,
        attributed.map((_, i) => i),
        attributed.map((a) => a.creatorId),
        attributed.map((a) => a.product?.id ?? null),
        attributed.map((a) => a.placedAt.toISOString()),
        attributed.map((a) => a.knownCampaignId),
      ],
    );
    return attribution.map((row) => {
      const a = attributed[row.i];
      const rate = commissionRateBps({
        reportedBps: a.reportedBps,
        enrollmentBps: row.enrollment_rate,
        campaignBps: row.campaign_rate,
        shopDefaultBps: shop.defaultCommissionRateBps,
      });
      const facts: LineFacts = { status: a.status, isSample: a.isSample, creatorId: a.creatorId, gmvMinor: a.gmvMinor, refundedMinor: a.refundedMinor };
      return {
        ...a,
        productId: a.product?.id ?? null,
        unitCostMinor: a.product?.unit_cost_minor ?? null,
        attributedCampaignId: row.campaign_id,
        orderDay: row.order_day,
        commissionRateBps: rate,
        commissionMinor: lineCommissionMinor(facts, rate),
        platformFeeMinor: linePlatformFeeMinor(facts, shop.platformFeeBps),
      };
    });
  }

  /** The batch as one array per column, in ORDER_COLUMNS order. */
  private orderColumns(lines: ResolvedLine[], shop: Shop): unknown[][] {
    const values: Record<string, (l: ResolvedLine) => unknown> = {
      external_id: (l) => l.externalId,
      order_id: (l) => l.orderId,
      product_id: (l) => l.productId,
      creator_id: (l) => l.creatorId,
      campaign_id: (l) => l.attributedCampaignId,
      content_id: (l) => l.contentId,
      video_id: (l) => l.videoId,
      content_type: (l) => l.contentType,
      status: (l) => l.status,
      platform_status: (l) => l.platformStatus,
      quantity: (l) => l.quantity,
      gmv_minor: (l) => l.gmvMinor.toString(),
      refunded_minor: (l) => l.refundedMinor.toString(),
      is_sample: (l) => l.isSample,
      reported_commission_rate_bps: (l) => l.reportedBps,
      placed_at: (l) => l.placedAt.toISOString(),
      order_day: (l) => l.orderDay,
      commission_rate_bps: (l) => l.commissionRateBps,
      commission_minor: (l) => l.commissionMinor.toString(),
      platform_fee_bps: () => shop.platformFeeBps,
      platform_fee_minor: (l) => l.platformFeeMinor.toString(),
      unit_cost_minor: (l) => l.unitCostMinor,
    };
    return ORDER_COLUMNS.map(([name]) => lines.map(values[name]));
  }

  async ingestDailyStats(ctx: RequestContext, shopGlobalId: string, stats: DailyStatInput[]): Promise<IngestResult> {
    if (stats.length > MAX_INGEST_BATCH) throw AppError.badField('stats', `at most ${MAX_INGEST_BATCH} rows per call`);
    const shopId = decodeId('Shop', shopGlobalId, 'shopId');
    const invalid = problemsByRow((await validateInput(stats, 'stats')).fields, 'stats');
    const result = new IngestResult();

    await ctx.transaction(async (em) => {
      const shop = await findOwned(ctx, em, Shop, shopId, 'shopId');
      await lockShopLedger(em, shop.id);
      const subjectOf = (s: DailyStatInput) => (s.videoId?.trim() ? `video:${s.videoId.trim()}` : s.campaignId ? `campaign:${s.campaignId}` : null);
      const reject = (index: number, code: Code, message: string) => result.rejected.push(new IngestError(index, subjectOf(stats[index]), code, message));
      const today = todayIn(shop.timeZone);

      interface StatRow {
        index: number;
        date: string;
        videoId: string | null;
        campaignId: string | null;
        handle: string | null;
        counts: number[];
        adSpendMinor: number;
      }
      const rows: StatRow[] = [];
      const seen = new Map<string, number>();
      stats.forEach((s, index) => {
        const problem = invalid.get(index);
        if (problem) return reject(index, Code.INVALID_VALUE, problem);
        const videoId = trimmedOrNull(s.videoId);
        const hasCampaign = !!s.campaignId;
        if ((videoId === null) === !hasCampaign) return reject(index, Code.INVALID_VALUE, 'give videoId or campaignId, not both');
        let campaignId: string | null = null;
        if (hasCampaign) {
          try {
            campaignId = decodeId('Campaign', s.campaignId!, 'campaignId');
          } catch {
            return reject(index, Code.INVALID_VALUE, 'campaignId is not a Campaign id');
          }
        }
        const handle = trimmedOrNull(s.creatorHandle);
        if (handle && !videoId) return reject(index, Code.INVALID_VALUE, "creatorHandle names a video's creator: give it with videoId");
        const counts = [s.views, s.likes, s.comments, s.shares, s.clicks].map((n) => n ?? 0);
        if (counts.some((n) => !Number.isSafeInteger(n) || n < 0)) return reject(index, Code.INVALID_VALUE, 'counts must be whole numbers, 0 or more');
        if (s.adSpend && s.adSpend.currency !== shop.currency) {
          return reject(index, Code.CURRENCY_MISMATCH, `adSpend is in ${s.adSpend.currency}; the shop is in ${shop.currency}`);
        }
        if (s.date > today) return reject(index, Code.FUTURE_DATE, `${s.date} is after today (${today}) in the shop's time zone`);
        const key = `${s.date}|${videoId ? `video:${videoId}` : `campaign:${campaignId}`}`;
        const earlier = seen.get(key);
        if (earlier !== undefined) return reject(index, Code.INVALID_VALUE, `the same date and subject as index ${earlier}`);
        seen.set(key, index);
        rows.push({ index, date: s.date, videoId, campaignId, handle: handle ? normalizeHandle(handle) : null, counts, adSpendMinor: s.adSpend?.amountMinor ?? 0 });
      });

      const agencyId = ctx.agencyId;
      const distinct = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))];
      const handles = distinct(rows.map((r) => r.handle));
      const videos = distinct(rows.map((r) => r.videoId));
      const campaignIds = distinct(rows.map((r) => r.campaignId));
      const [creators, contents, campaigns] = await Promise.all([
        handles.length
          ? (em.query(`SELECT id, handle FROM creators WHERE agency_id = $1 AND handle = ANY($2::text[])`, [agencyId, handles]) as Promise<Array<{ id: string; handle: string }>>)
          : [],
        videos.length
          ? (em.query(`SELECT id, video_id, campaign_id, creator_id FROM content WHERE agency_id = $1 AND shop_id = $2 AND video_id = ANY($3::text[])`, [
              agencyId,
              shop.id,
              videos,
            ]) as Promise<Array<{ id: string; video_id: string; campaign_id: string; creator_id: string }>>)
          : [],
        campaignIds.length
          ? (em.query(`SELECT id FROM campaigns WHERE agency_id = $1 AND shop_id = $2 AND id = ANY($3::uuid[])`, [agencyId, shop.id, campaignIds]) as Promise<
              Array<{ id: string }>
            >)
          : [],
      ]);
      const creatorByHandle = new Map(creators.map((c) => [c.handle, c.id]));
      const contentByVideo = new Map(contents.map((c) => [c.video_id, c]));
      const knownCampaigns = new Set(campaigns.map((c) => c.id));

      const good: Array<StatRow & { subjectKey: string; creatorId: string | null; contentId: string | null; statCampaignId: string | null }> = [];
      for (const r of rows) {
        if (r.campaignId !== null) {
          if (!knownCampaigns.has(r.campaignId)) {
            reject(r.index, Code.UNKNOWN_CAMPAIGN, 'no such campaign in this shop');
            continue;
          }
          good.push({ ...r, subjectKey: `campaign:${r.campaignId}`, creatorId: null, contentId: null, statCampaignId: r.campaignId });
          continue;
        }
        const creatorId = r.handle === null ? null : (creatorByHandle.get(r.handle) ?? undefined);
        if (creatorId === undefined) {
          reject(r.index, Code.UNKNOWN_CREATOR, `no creator with handle @${r.handle}`);
          continue;
        }
        // A video's stats count for its content's creator and campaign when the content exists.
        const content = contentByVideo.get(r.videoId!);
        good.push({
          ...r,
          subjectKey: `video:${r.videoId}`,
          creatorId: content?.creator_id ?? creatorId,
          contentId: content?.id ?? null,
          statCampaignId: content?.campaign_id ?? null,
        });
      }

      if (good.length > 0) {
        const written: Array<{ date: string; inserted: boolean }> = await em.query(UPSERT_STATS_SQL, [
          agencyId,
          shop.id,
          shop.currency,
          good.map((g) => g.date),
          good.map((g) => g.subjectKey),
          good.map((g) => g.videoId),
          good.map((g) => g.statCampaignId),
          good.map((g) => g.creatorId),
          good.map((g) => g.contentId),
          ...[0, 1, 2, 3, 4].map((k) => good.map((g) => g.counts[k])),
          good.map((g) => g.adSpendMinor),
        ]);
        for (const row of written) {
          if (row.inserted) result.inserted++;
          else result.updated++;
        }
        result.unchanged = good.length - written.length;
        // A stat row's date is part of its key: an update never moves it to another day.
        await recomputeRollups(em, agencyId, shop.id, [...new Set(written.map((w) => w.date))]);
      }
      result.rejected.sort((a, b) => a.index - b.index);
      return result;
    });
    return result;
  }
}
