import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { commissionRateBps, lineCommissionMinor, linePlatformFeeMinor, type LineFacts } from './rules';
import { Random } from '../../common/seeded-random';
import { lockShopLedger, recomputeRollups } from './rollups';
import { todayUtc } from '../../common/clock';
import { addDays } from '../../common/date-range';
import { refreshCreatorTiers } from '../creator/tiers';

/**
 * Realistic sales for an agency that already has shops, products, creators, campaigns and
 * enrollments: the demo agency's last 90 days and `npm run seed:large`'s million order lines.
 * Deterministic (seeded), long-tailed (a few creators drive most sales), seasonal (weekends and
 * November peak), with multi-line orders, per-unit lines, cancellations, full and partial
 * refunds, free samples, unattributed shop sales, daily video and campaign stats, and a health
 * snapshot per shop per day. Lines get what the ingest would store (the same rules.ts), and the
 * rollups are recomputed from them at the end.
 */
export interface SyntheticSalesOptions {
  /** First and last calendar day (inclusive), 'YYYY-MM-DD'. */
  from: string;
  to: string;
  /** About how many orders (each of one to three lines). */
  orders: number;
  seed: number;
  onProgress?: (ordersDone: number, ordersTotal: number, stage: string) => void;
}

interface ShopRow { id: string; currency: string; time_zone: string; default_commission_rate_bps: number; platform_fee_bps: number }
interface ProductRow { id: string; shop_id: string; price_minor: string; unit_cost_minor: string | null }
interface CampaignRow { id: string; shop_id: string; start_date: string; end_date: string | null; commission_rate_bps: number; product_ids: string[] | null }
interface EnrollmentRow { campaign_id: string; creator_id: string; commission_rate_bps: number | null }

/** Picks by cumulative weights with a binary search: O(log n) per draw over a million draws. */
class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  private total = 0;
  constructor(private readonly items: T[], weight: (item: T, index: number) => number) {
    items.forEach((item, i) => this.cumulative.push((this.total += weight(item, i))));
  }
  get size(): number {
    return this.items.length;
  }
  pick(rng: Random): T {
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

const DAY_MS = 86_400_000;
const CHUNK = 5_000;

interface PendingLine {
  shop: ShopRow;
  externalId: string;
  orderId: string;
  productId: string;
  creatorId: string | null;
  campaignId: string | null;
  videoId: string | null;
  contentType: string | null;
  status: LineFacts['status'];
  quantity: number;
  gmvMinor: bigint;
  refundedMinor: bigint;
  isSample: boolean;
  localTime: string;
  day: string;
  commissionRateBps: number;
  commissionMinor: bigint;
  platformFeeMinor: bigint;
  unitCostMinor: string | null;
}

export async function generateSyntheticSales(em: EntityManager, agencyId: string, options: SyntheticSalesOptions): Promise<{ lines: number; orders: number }> {
  const rng = new Random(options.seed);
  const shops: ShopRow[] = await em.query(
    `SELECT id, currency, time_zone, default_commission_rate_bps, platform_fee_bps FROM shops WHERE agency_id = $1 AND status <> 'CLOSED' ORDER BY created_at, external_id`,
    [agencyId],
  );
  if (shops.length === 0) return { lines: 0, orders: 0 };
  const products: ProductRow[] = await em.query(`SELECT id, shop_id, price_minor, unit_cost_minor FROM products WHERE agency_id = $1 ORDER BY created_at, id`, [agencyId]);
  const campaigns: CampaignRow[] = await em.query(
    `SELECT c.id, c.shop_id, c.start_date::text, c.end_date::text, c.commission_rate_bps,
            (SELECT array_agg(cp.product_id ORDER BY cp.product_id) FROM campaign_products cp WHERE cp.campaign_id = c.id) AS product_ids
     FROM campaigns c WHERE c.agency_id = $1 AND c.status NOT IN ('DRAFT', 'CANCELLED') ORDER BY c.start_date, c.id`,
    [agencyId],
  );
  const enrollments: EnrollmentRow[] = await em.query(
    `SELECT campaign_id, creator_id, commission_rate_bps FROM campaign_enrollments
     WHERE agency_id = $1 AND status NOT IN ('INVITED', 'DECLINED', 'REMOVED') ORDER BY created_at, id`,
    [agencyId],
  );

  const productsByShop = groupBy(products, (p) => p.shop_id);
  const productById = new Map(products.map((p) => [p.id, p]));
  const enrollmentsByCampaign = groupBy(enrollments, (e) => e.campaign_id);
  // A long tail: the creator ranked k sells in proportion to 1 / k^1.2 (stable rank per creator).
  const creatorIds = [...new Set(enrollments.map((e) => e.creator_id))].sort();
  const creatorRank = new Map(creatorIds.map((id, i) => [id, 1 + ((i * 7919) % Math.max(1, creatorIds.length))]));
  const creatorVideos = new Map(creatorIds.map((id) => [id, [rng.digits(19), rng.digits(19), rng.digits(19)]]));

  const days: string[] = [];
  for (let d = options.from; d <= options.to; d = addDays(d, 1)) days.push(d);
  // Weekends sell more; November (the holiday peak) most; sales grow over the period.
  const dayPicker = new WeightedPicker(days, (day, i) => {
    const date = new Date(`${day}T00:00:00Z`);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? 1.3 : 1;
    const november = date.getUTCMonth() === 10 ? 1.6 : 1;
    return weekend * november * (0.6 + (0.8 * i) / days.length);
  });
  const shopPicker = new WeightedPicker(shops, (_, i) => 1 / (i + 1));
  const today = options.to;

  const campaignsOn = (shopId: string, day: string) =>
    campaigns.filter((c) => c.shop_id === shopId && c.start_date <= day && (c.end_date === null || c.end_date >= day));
  const enrollmentPickers = new Map<string, WeightedPicker<EnrollmentRow>>();
  const enrollmentPicker = (campaignId: string) => {
    let picker = enrollmentPickers.get(campaignId);
    if (!picker) enrollmentPickers.set(campaignId, (picker = new WeightedPicker(enrollmentsByCampaign.get(campaignId) ?? [], (e) => 1 / creatorRank.get(e.creator_id)! ** 1.2)));
    return picker;
  };

  const touched = new Map<string, Set<string>>();
  let pending: PendingLine[] = [];
  let lineCount = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await insertLines(em, agencyId, pending);
    lineCount += pending.length;
    pending = [];
  };

  for (let n = 0; n < options.orders; n++) {
    const day = dayPicker.pick(rng);
    const shop = shopPicker.pick(rng);
    const shopProducts = productsByShop.get(shop.id);
    if (!shopProducts?.length) continue;
    const active = campaignsOn(shop.id, day);
    let campaign: CampaignRow | null = null;
    let enrollment: EnrollmentRow | null = null;
    if (active.length > 0 && rng.next() < 0.8) {
      campaign = rng.pick(active);
      const picker = enrollmentPicker(campaign.id);
      enrollment = picker.size > 0 ? picker.pick(rng) : null;
      if (!enrollment) campaign = null;
    }
    const age = (Date.parse(today) - Date.parse(day)) / DAY_MS;
    const orderId = rng.digits(18);
    const localTime = `${day} ${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
    const isSample = enrollment !== null && rng.next() < 0.01;
    const orderStatus = pickStatus(rng, age);
    const contentType = enrollment ? (rng.next() < 0.7 ? 'VIDEO' : rng.next() < 0.5 ? 'LIVE' : 'SHOWCASE') : null;
    const videoId = enrollment && contentType === 'VIDEO' ? rng.pick(creatorVideos.get(enrollment.creator_id)!) : null;
    const lineCountInOrder = isSample ? 1 : rng.next() < 0.85 ? 1 : rng.int(2, 3);
    for (let l = 0; l < lineCountInOrder; l++) {
      const campaignProducts = campaign?.product_ids?.map((id) => productById.get(id)!).filter(Boolean) ?? [];
      const product = campaignProducts.length > 0 && rng.next() < 0.85 ? rng.pick(campaignProducts) : rng.pick(shopProducts);
      // Some exports send one line per unit: 10 % of multi-unit purchases arrive split.
      const units = rng.next() < 0.8 ? 1 : rng.int(2, 4);
      const perUnit = units > 1 && rng.next() < 0.1;
      for (let u = 0; u < (perUnit ? units : 1); u++) {
        const quantity = perUnit ? 1 : units;
        const gmvMinor = isSample ? 0n : BigInt(product.price_minor) * BigInt(quantity);
        let status = orderStatus;
        let refundedMinor = 0n;
        if (status === 'REFUNDED') refundedMinor = gmvMinor;
        else if (status === 'DELIVERED' && !isSample && rng.next() < 0.03) refundedMinor = gmvMinor / 2n; // partial refund
        if (isSample && status === 'REFUNDED') status = 'DELIVERED';
        const facts: LineFacts = { status, isSample, creatorId: enrollment?.creator_id ?? null, gmvMinor, refundedMinor };
        const rate = commissionRateBps({ enrollmentBps: enrollment?.commission_rate_bps, campaignBps: campaign?.commission_rate_bps, shopDefaultBps: shop.default_commission_rate_bps });
        pending.push({
          shop,
          externalId: rng.digits(19),
          orderId,
          productId: product.id,
          creatorId: enrollment?.creator_id ?? null,
          campaignId: campaign?.id ?? null,
          videoId,
          contentType,
          status,
          quantity,
          gmvMinor,
          refundedMinor,
          isSample,
          localTime,
          day,
          commissionRateBps: facts.creatorId ? rate : 0,
          commissionMinor: lineCommissionMinor(facts, rate),
          platformFeeMinor: linePlatformFeeMinor(facts, shop.platform_fee_bps),
          unitCostMinor: product.unit_cost_minor,
        });
      }
    }
    let shopDays = touched.get(shop.id);
    if (!shopDays) touched.set(shop.id, (shopDays = new Set()));
    shopDays.add(day);
    if (pending.length >= CHUNK) {
      await flush();
      options.onProgress?.(n + 1, options.orders, 'orders');
    }
  }
  await flush();
  options.onProgress?.(options.orders, options.orders, 'orders');

  await insertStats(em, agencyId, options);
  options.onProgress?.(options.orders, options.orders, 'stats and health');
  for (const shop of shops) {
    await lockShopLedger(em, shop.id);
    await recomputeRollups(em, agencyId, shop.id, null);
  }
  await refreshCreatorTiers(em, agencyId, todayUtc());
  options.onProgress?.(options.orders, options.orders, 'rollups');
  return { lines: lineCount, orders: options.orders };
}

/** Older orders have settled: delivered, a few cancelled or refunded; recent ones are still moving. */
function pickStatus(rng: Random, ageDays: number): LineFacts['status'] {
  const r = rng.next();
  if (r < 0.05) return 'CANCELLED';
  if (ageDays > 10) return r < 0.09 ? 'REFUNDED' : 'DELIVERED';
  if (ageDays > 3) return r < 0.6 ? 'SHIPPED' : 'DELIVERED';
  return r < 0.7 ? 'PLACED' : 'SHIPPED';
}

async function insertLines(em: EntityManager, agencyId: string, lines: PendingLine[]): Promise<void> {
  const col = <T>(f: (l: PendingLine) => T) => lines.map(f);
  // placed_at: the local wall-clock time in the shop's zone; order_day: that local day.
  await em.query(
    `INSERT INTO order_lines (id, agency_id, shop_id, external_id, order_id, product_id, creator_id, campaign_id, video_id, content_type,
       status, quantity, currency, gmv_minor, refunded_minor, is_sample, placed_at, order_day,
       commission_rate_bps, commission_minor, platform_fee_bps, platform_fee_minor, unit_cost_minor)
     SELECT t.id, $1, t.shop_id, t.external_id, t.order_id, t.product_id, t.creator_id, t.campaign_id, t.video_id, t.content_type::order_content_type,
       t.status::order_status, t.quantity, s.currency, t.gmv_minor, t.refunded_minor, t.is_sample, (t.local_time::timestamp AT TIME ZONE s.time_zone),
       ((t.local_time::timestamp AT TIME ZONE s.time_zone) AT TIME ZONE s.time_zone)::date,
       t.commission_rate_bps, t.commission_minor, s.platform_fee_bps, t.platform_fee_minor, t.unit_cost_minor
     FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::text[],
                 $12::int[], $13::bigint[], $14::bigint[], $15::bool[], $16::text[], $17::int[], $18::bigint[], $19::bigint[], $20::bigint[])
       AS t(id, shop_id, external_id, order_id, product_id, creator_id, campaign_id, video_id, content_type, status,
            quantity, gmv_minor, refunded_minor, is_sample, local_time, commission_rate_bps, commission_minor, platform_fee_minor, unit_cost_minor)
     JOIN shops s ON s.id = t.shop_id
     ON CONFLICT DO NOTHING`,
    [
      agencyId,
      col(() => randomUUID()),
      col((l) => l.shop.id),
      col((l) => l.externalId),
      col((l) => l.orderId),
      col((l) => l.productId),
      col((l) => l.creatorId),
      col((l) => l.campaignId),
      col((l) => l.videoId),
      col((l) => l.contentType),
      col((l) => l.status),
      col((l) => l.quantity),
      col((l) => l.gmvMinor.toString()),
      col((l) => l.refundedMinor.toString()),
      col((l) => l.isSample),
      col((l) => l.localTime),
      col((l) => l.commissionRateBps),
      col((l) => l.commissionMinor.toString()),
      col((l) => l.platformFeeMinor.toString()),
      col((l) => l.unitCostMinor),
    ],
  );
}

/**
 * Daily stats derived from the lines (so views, clicks and orders tell one story): a row per video
 * per day it sold, and ad spend per active campaign per day; one health snapshot per shop per day.
 * Pseudo-random figures come from hashes of the keys, so reruns agree.
 */
async function insertStats(em: EntityManager, agencyId: string, options: SyntheticSalesOptions): Promise<void> {
  const h = (expr: string, mod: number) => `(abs(hashtext(${expr})) % ${mod})`;
  await em.query(
    `INSERT INTO daily_stats (agency_id, shop_id, date, subject_key, video_id, campaign_id, creator_id, views, likes, comments, shares, clicks, ad_spend_minor, currency)
     SELECT o.agency_id, o.shop_id, o.order_day, 'video:' || o.video_id, o.video_id, min(o.campaign_id::text)::uuid, min(o.creator_id::text)::uuid,
            v.views, v.views / 12, v.views / 150, v.views / 90, v.clicks, 0, min(o.currency)
     FROM order_lines o
     CROSS JOIN LATERAL (SELECT (400 + ${h("o.video_id || o.order_day::text", 2500)}) * 10 AS views,
                                (400 + ${h("o.video_id || o.order_day::text", 2500)}) * (2 + ${h("o.order_day::text || o.video_id", 5)}) / 10 AS clicks) v
     WHERE o.agency_id = $1 AND o.video_id IS NOT NULL AND o.order_day BETWEEN $2 AND $3
     GROUP BY o.agency_id, o.shop_id, o.order_day, o.video_id, v.views, v.clicks
     ON CONFLICT DO NOTHING`,
    [agencyId, options.from, options.to],
  );
  await em.query(
    `INSERT INTO daily_stats (agency_id, shop_id, date, subject_key, campaign_id, views, clicks, ad_spend_minor, currency)
     SELECT c.agency_id, c.shop_id, d::date, 'campaign:' || c.id, c.id,
            1000 + ${h("c.id::text || d::text", 20000)}, 20 + ${h("d::text || c.id::text", 400)}, 2000 + ${h("c.id::text || d::text || 'ads'", 30000)}, s.currency
     FROM campaigns c JOIN shops s ON s.id = c.shop_id
     CROSS JOIN generate_series(GREATEST(c.start_date, $2::date), LEAST(COALESCE(c.end_date, $3::date), $3::date), interval '1 day') d
     WHERE c.agency_id = $1 AND c.status NOT IN ('DRAFT', 'CANCELLED')
     ON CONFLICT DO NOTHING`,
    [agencyId, options.from, options.to],
  );
  // Health: mostly inside TikTok Shop's standards, with a bad stretch now and then.
  await em.query(
    `INSERT INTO shop_health (agency_id, shop_id, date, late_dispatch_rate, valid_tracking_rate, seller_fault_cancellation_rate,
                              on_time_delivery_rate, refund_rate, shop_performance_score)
     SELECT s.agency_id, s.id, d::date,
            round((0.005 + ${h("s.id::text || d::text || 'ldr'", 45)} / 1000.0)::numeric, 4),
            round((0.93 + ${h("s.id::text || d::text || 'vtr'", 70)} / 1000.0)::numeric, 4),
            round((0.002 + ${h("s.id::text || d::text || 'sfc'", 30)} / 1000.0)::numeric, 4),
            round((0.78 + ${h("s.id::text || d::text || 'otd'", 200)} / 1000.0)::numeric, 4),
            round((0.01 + ${h("s.id::text || d::text || 'rr'", 60)} / 1000.0)::numeric, 4),
            round((3.2 + ${h("s.id::text || d::text || 'sps'", 18)} / 10.0)::numeric, 1)
     FROM shops s CROSS JOIN generate_series($2::date, $3::date, interval '1 day') d
     WHERE s.agency_id = $1 AND s.status <> 'CLOSED'
     ON CONFLICT DO NOTHING`,
    [agencyId, options.from, options.to],
  );
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
