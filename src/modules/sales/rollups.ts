import type { EntityManager } from 'typeorm';

/**
 * Daily rollups of the ledger (table metric_rollups), one row per (shop, dimension, subject, day):
 *   'S' the shop (subject ''), 'C' a campaign, 'R' a creator, 'P' a product, 'V' a video id,
 *   'E' a creator within a campaign (subject '<campaign id>:<creator id>', a campaign's leaderboard).
 * Requests read these rows; they never scan order_lines.
 *
 * An ingest recomputes the rollup rows of the days it touched, from the ledger, inside its own
 * transaction: whatever a changed line contributed before moves out and its new contribution moves
 * in, and distinct-order counts stay exact (an order counted once per bucket however many lines
 * it has — a delta cannot know whether another line of the same order is still in the bucket).
 * `npm run metrics:rebuild` runs the same statement over every day. A shop's ledger writes are
 * serialised by an advisory lock so two concurrent batches cannot each miss the other's lines.
 *
 * Column meanings (order lines that "count" are neither CANCELLED nor samples):
 *   gmv_minor, refunds_minor, units, commissions_minor, platform_fees_minor: sums over counting lines
 *   orders: distinct order ids among counting lines
 *   cogs_minor: Σ quantity × unit cost over counting lines whose product had a cost at ingest
 *   cogs_missing_units: Σ quantity over counting lines whose product had no cost
 *   sample_units, sample_cost_minor: non-cancelled sample lines (cost at the product's unit cost)
 *   views, likes, comments, shares, clicks, ad_spend_minor: daily_stats rows (a video's row counts
 *   for its video, creator, campaign and the shop; a campaign's row for the campaign and the shop)
 */

/** Serialises ledger writes of one shop until the transaction ends (re-entrant in a transaction). */
export async function lockShopLedger(manager: EntityManager, shopId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('ledger:' || $1::text, 0))`, [shopId]);
}

const RECOMPUTE_SQL = `
WITH shop AS (
  SELECT id, agency_id, currency FROM shops WHERE agency_id = $1 AND id = $2
),
lines AS (
  SELECT o.order_day AS day, o.product_id, o.creator_id, o.campaign_id, o.video_id, o.order_id, o.quantity,
         o.gmv_minor, o.refunded_minor, o.commission_minor, o.platform_fee_minor, o.unit_cost_minor,
         (o.status <> 'CANCELLED' AND NOT o.is_sample) AS counts,
         (o.status <> 'CANCELLED' AND o.is_sample) AS sample
  FROM order_lines o
  WHERE o.agency_id = $1 AND o.shop_id = $2 AND ($3::date[] IS NULL OR o.order_day = ANY($3::date[]))
),
keyed_lines AS (
  SELECT 'S' AS dimension, '' AS subject_id, l.* FROM lines l
  UNION ALL SELECT 'C', l.campaign_id::text, l.* FROM lines l WHERE l.campaign_id IS NOT NULL
  UNION ALL SELECT 'E', l.campaign_id::text || ':' || l.creator_id::text, l.* FROM lines l WHERE l.campaign_id IS NOT NULL AND l.creator_id IS NOT NULL
  UNION ALL SELECT 'R', l.creator_id::text, l.* FROM lines l WHERE l.creator_id IS NOT NULL
  UNION ALL SELECT 'P', l.product_id::text, l.* FROM lines l WHERE l.product_id IS NOT NULL
  UNION ALL SELECT 'V', l.video_id, l.* FROM lines l WHERE l.video_id IS NOT NULL
),
sales AS (
  SELECT dimension, subject_id, day,
    COALESCE(SUM(gmv_minor) FILTER (WHERE counts), 0) AS gmv_minor,
    COALESCE(SUM(refunded_minor) FILTER (WHERE counts), 0) AS refunds_minor,
    COUNT(DISTINCT order_id) FILTER (WHERE counts) AS orders,
    COALESCE(SUM(quantity) FILTER (WHERE counts), 0) AS units,
    COALESCE(SUM(commission_minor) FILTER (WHERE counts), 0) AS commissions_minor,
    COALESCE(SUM(platform_fee_minor) FILTER (WHERE counts), 0) AS platform_fees_minor,
    COALESCE(SUM(quantity * unit_cost_minor) FILTER (WHERE counts AND unit_cost_minor IS NOT NULL), 0) AS cogs_minor,
    COALESCE(SUM(quantity) FILTER (WHERE counts AND unit_cost_minor IS NULL), 0) AS cogs_missing_units,
    COALESCE(SUM(quantity) FILTER (WHERE sample), 0) AS sample_units,
    COALESCE(SUM(quantity * unit_cost_minor) FILTER (WHERE sample AND unit_cost_minor IS NOT NULL), 0) AS sample_cost_minor
  FROM keyed_lines GROUP BY dimension, subject_id, day
),
stat_rows AS (
  SELECT s.date AS day, s.video_id, s.campaign_id, s.creator_id, s.views, s.likes, s.comments, s.shares, s.clicks, s.ad_spend_minor
  FROM daily_stats s
  WHERE s.agency_id = $1 AND s.shop_id = $2 AND ($3::date[] IS NULL OR s.date = ANY($3::date[]))
),
keyed_stats AS (
  SELECT 'S' AS dimension, '' AS subject_id, s.* FROM stat_rows s
  UNION ALL SELECT 'C', s.campaign_id::text, s.* FROM stat_rows s WHERE s.campaign_id IS NOT NULL
  UNION ALL SELECT 'E', s.campaign_id::text || ':' || s.creator_id::text, s.* FROM stat_rows s WHERE s.campaign_id IS NOT NULL AND s.creator_id IS NOT NULL
  UNION ALL SELECT 'R', s.creator_id::text, s.* FROM stat_rows s WHERE s.creator_id IS NOT NULL
  UNION ALL SELECT 'V', s.video_id, s.* FROM stat_rows s WHERE s.video_id IS NOT NULL
),
stats AS (
  SELECT dimension, subject_id, day, SUM(views) AS views, SUM(likes) AS likes, SUM(comments) AS comments,
         SUM(shares) AS shares, SUM(clicks) AS clicks, SUM(ad_spend_minor) AS ad_spend_minor
  FROM keyed_stats GROUP BY dimension, subject_id, day
)
INSERT INTO metric_rollups (agency_id, shop_id, dimension, subject_id, day, currency,
  gmv_minor, refunds_minor, orders, units, commissions_minor, platform_fees_minor, cogs_minor, cogs_missing_units,
  sample_units, sample_cost_minor, views, likes, comments, shares, clicks, ad_spend_minor)
SELECT shop.agency_id, shop.id, COALESCE(a.dimension, b.dimension), COALESCE(a.subject_id, b.subject_id), COALESCE(a.day, b.day), shop.currency,
  COALESCE(a.gmv_minor, 0), COALESCE(a.refunds_minor, 0), COALESCE(a.orders, 0), COALESCE(a.units, 0),
  COALESCE(a.commissions_minor, 0), COALESCE(a.platform_fees_minor, 0), COALESCE(a.cogs_minor, 0), COALESCE(a.cogs_missing_units, 0),
  COALESCE(a.sample_units, 0), COALESCE(a.sample_cost_minor, 0),
  COALESCE(b.views, 0), COALESCE(b.likes, 0), COALESCE(b.comments, 0), COALESCE(b.shares, 0), COALESCE(b.clicks, 0), COALESCE(b.ad_spend_minor, 0)
FROM sales a FULL JOIN stats b ON a.dimension = b.dimension AND a.subject_id = b.subject_id AND a.day = b.day
CROSS JOIN shop
`;

/**
 * Recomputes one shop's rollup rows for the given days (calendar days in the shop's time zone,
 * 'YYYY-MM-DD'), or for every day when `days` is null, from order_lines and daily_stats. Runs
 * inside the caller's transaction; the caller holds lockShopLedger. Buckets with no data any
 * more disappear, so rollups always equal a fresh aggregation of the ledger.
 */
export async function recomputeRollups(manager: EntityManager, agencyId: string, shopId: string, days: readonly string[] | null): Promise<void> {
  if (days !== null && days.length === 0) return;
  const dayList = days === null ? null : [...new Set(days)];
  await manager.query(
    `DELETE FROM metric_rollups WHERE agency_id = $1 AND shop_id = $2 AND ($3::date[] IS NULL OR day = ANY($3::date[]))`,
    [agencyId, shopId, dayList],
  );
  await manager.query(RECOMPUTE_SQL, [agencyId, shopId, dayList]);
}
