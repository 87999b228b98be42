import type { EntityManager } from 'typeorm';
import { todayUtc } from '../../common/clock';
import type { RequestContext } from '../../common/context';
import { AgencySettingsValues, loadAgencySettings, onAgencySettingsChanged } from '../agency/agency-settings';
import { Creator, CreatorTier } from './creator.entity';

/**
 * Creator tiers (README "Creator tiers"), from the creator dimension of the daily rollups
 * (metric_rollups, dimension 'R', subject_id = creator id), as of a calendar day `today` (UTC):
 *
 *   NEW      added in the 30 days ending today, and no sales in the 30 days ending today;
 *   DORMANT  otherwise, no attributed sales in the 60 days ending today;
 *   STAR / RISING / CORE  otherwise, by attributed GMV of the 30 days ending today against the
 *            agency's thresholds for that currency; a creator selling in several currencies gets the
 *            best tier over them; GMV in a currency without thresholds counts as CORE.
 *
 * "Sales" are rollup days with orders or GMV (non-cancelled, non-sample lines). Rollup days are
 * calendar days of each shop's time zone.
 *
 * The stored columns (tier, tier_gmv_minor, tier_as_of) are the truth on read. They are kept
 * current by:
 *   - the ingest, which calls refreshCreatorTiers for the creators whose sales it touched, in its
 *     own transaction;
 *   - updateAgencySettings, which refreshes the whole agency (thresholds changed);
 *   - createCreator, which stores NEW as of today (a creator just added has no sales yet);
 *   - once per day and agency, the first read that needs a tier (Creator.tier, or the tiers
 *     filter) and finds a creator with tier_as_of before today (ensureTiersFresh). Time alone moves
 *     tiers (NEW turns DORMANT after 30 days, a STAR with no new sales falls), so some refresh per
 *     day is needed; doing it on the first read costs nothing on days nobody looks, needs no job
 *     runner (none exists yet; a nightly job can call refreshCreatorTiers the same way later), and
 *     after the first read of the day a node answers from an in-process note without any SQL.
 */

/** Days of the GMV window and of the dormancy window, both ending today (inclusive). */
export const TIER_GMV_WINDOW_DAYS = 30;
export const DORMANT_AFTER_DAYS = 60;
/** A creator added within this many days (ending today) and with no sales in them is NEW. */
export const NEW_CREATOR_DAYS = 30;

const REFRESH_SQL = `
WITH thresholds AS (
  SELECT * FROM unnest($4::text[], $5::bigint[], $6::bigint[]) AS t(currency, star_min, rising_min)
),
sales AS (
  SELECT r.subject_id AS creator_id, r.currency,
         COALESCE(SUM(r.gmv_minor) FILTER (WHERE r.day > $2::date - ${TIER_GMV_WINDOW_DAYS}), 0) AS gmv30,
         bool_or((r.orders > 0 OR r.gmv_minor > 0) AND r.day > $2::date - ${TIER_GMV_WINDOW_DAYS}) AS sold30,
         bool_or(r.orders > 0 OR r.gmv_minor > 0) AS sold60
  FROM metric_rollups r
  WHERE r.agency_id = $1 AND r.dimension = 'R'
    AND r.day > $2::date - ${DORMANT_AFTER_DAYS} AND r.day <= $2::date
    AND ($3::text[] IS NULL OR r.subject_id = ANY($3::text[]))
  GROUP BY r.subject_id, r.currency
),
ranked AS (
  SELECT s.*, CASE WHEN t.currency IS NULL THEN 1 WHEN s.gmv30 >= t.star_min THEN 3 WHEN s.gmv30 >= t.rising_min THEN 2 ELSE 1 END AS rank,
         bool_or(s.sold30) OVER (PARTITION BY s.creator_id) AS any_sold30,
         bool_or(s.sold60) OVER (PARTITION BY s.creator_id) AS any_sold60
  FROM sales s LEFT JOIN thresholds t ON t.currency = s.currency
),
best AS (
  SELECT DISTINCT ON (creator_id) creator_id, rank, gmv30, any_sold30, any_sold60
  FROM ranked ORDER BY creator_id, rank DESC, gmv30 DESC, currency
),
computed AS (
  SELECT c.id,
    CASE
      WHEN NOT COALESCE(b.any_sold30, false) AND (c.created_at AT TIME ZONE 'UTC')::date > $2::date - ${NEW_CREATOR_DAYS} THEN 'NEW'
      WHEN NOT COALESCE(b.any_sold60, false) THEN 'DORMANT'
      WHEN b.rank = 3 THEN 'STAR'
      WHEN b.rank = 2 THEN 'RISING'
      ELSE 'CORE'
    END::creator_tier AS tier,
    COALESCE(b.gmv30, 0) AS gmv30
  FROM creators c LEFT JOIN best b ON b.creator_id = c.id::text
  WHERE c.agency_id = $1 AND ($3::text[] IS NULL OR c.id::text = ANY($3::text[]))
)
UPDATE creators c SET tier = x.tier, tier_gmv_minor = x.gmv30, tier_as_of = $2::date
FROM computed x
WHERE c.id = x.id AND c.agency_id = $1`;

/**
 * Recomputes the stored tiers of an agency's creators (all of them, or `creatorIds`) as of
 * `today` ('YYYY-MM-DD'), in one set-based UPDATE from metric_rollups, inside the caller's
 * transaction. The ingest calls it for the creators it touched; pass `settings` when already read.
 */
export async function refreshCreatorTiers(
  manager: EntityManager,
  agencyId: string,
  today: string,
  creatorIds?: readonly string[],
  settings?: AgencySettingsValues,
): Promise<void> {
  if (creatorIds && creatorIds.length === 0) return;
  const thresholds = [...(settings ?? (await loadAgencySettings(manager, agencyId))).tierThresholds.values()];
  await manager.query(REFRESH_SQL, [
    agencyId,
    today,
    creatorIds ? [...new Set(creatorIds)] : null,
    thresholds.map((t) => t.currency),
    thresholds.map((t) => String(t.starMinGmvMinor)),
    thresholds.map((t) => String(t.risingMinGmvMinor)),
  ]);
}

// New thresholds move tiers at once, in the settings' own transaction.
onAgencySettingsChanged((em, agencyId, settings) => refreshCreatorTiers(em, agencyId, todayUtc(), undefined, settings));

/** Agencies this process has seen fully refreshed, and for which day: reads then need no SQL. */
const freshAgencies = new Map<string, string>();

/**
 * The once-a-day refresh, at the first read that needs tiers: true when this request refreshed
 * them (rows loaded before then carry old tiers). Runs on the request's connection (the
 * embedded database has one connection, so it cannot use another), in a transaction; one statement probes for a
 * stale creator and takes a transaction-scoped advisory lock, so of concurrent first readers one
 * refreshes and the others answer from the stored tiers. Memoised per request.
 */
export function ensureTiersFresh(ctx: RequestContext): Promise<boolean> {
  const today = todayUtc();
  const agencyId = ctx.agencyId;
  if (freshAgencies.get(agencyId) === today) return Promise.resolve(false);
  return ctx.loaders
    .get<string, boolean>('Creator.tiersFresh', async (days) => {
      // Nothing is written for a member the database has not confirmed yet (TenantScope.openSpeculative).
      const confirmed = await ctx.memberConfirmed();
      if (confirmed && !confirmed.same) return days.map(() => false);
      // Reads run outside transactions (TenantScope): the probe's advisory lock and the refresh
      // share one transaction on the request's connection, so the lock holds until it commits.
      return ctx.em.transaction(async (em) => {
        const [{ locked }]: Array<{ locked: boolean | null }> = await em.query(
          `SELECT CASE WHEN EXISTS (SELECT 1 FROM creators WHERE agency_id = $1 AND (tier_as_of IS NULL OR tier_as_of < $2::date))
                  THEN pg_try_advisory_xact_lock(hashtextextended('creator-tiers:' || $1::text, 0)) END AS locked`,
          [agencyId, today],
        );
        if (locked === null) {
          freshAgencies.set(agencyId, today);
          return days.map(() => false);
        }
        if (!locked) return days.map(() => false); // another request is refreshing right now
        await refreshCreatorTiers(em, agencyId, today);
        return days.map(() => true);
      });
    })
    .load(today);
}

/** Creator.tier: the stored tier, refreshed first when it is from an earlier day. */
export function tierOf(ctx: RequestContext, creator: Creator): CreatorTier | Promise<CreatorTier> {
  if (creator.tierAsOf !== null && creator.tierAsOf >= todayUtc()) return creator.tier;
  return refreshedTier(ctx, creator);
}

async function refreshedTier(ctx: RequestContext, creator: Creator): Promise<CreatorTier> {
  await ensureTiersFresh(ctx);
  const tier = await ctx.loaders
    .get<string, CreatorTier | null>('Creator.tier', async (ids) => {
      const rows: Array<{ id: string; tier: CreatorTier }> = await ctx.em.query('SELECT id, tier FROM creators WHERE agency_id = $1 AND id = ANY($2::uuid[])', [
        ctx.agencyId,
        ids,
      ]);
      const byId = new Map(rows.map((r) => [r.id, r.tier]));
      return ids.map((id) => byId.get(id) ?? null);
    })
    .load(creator.id);
  return tier ?? creator.tier;
}
