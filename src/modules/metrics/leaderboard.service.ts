import type { RequestContext } from '../../common/context';
import { DateRangeInput } from '../../common/date-range';
import { AppError } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { minorUnitDigits } from '../../common/money';
import { MAX_PAGE_SIZE } from '../../common/pagination';
import { Creator } from '../creator/creator.entity';
import { entityColumns, hydrate } from './hydrate';
import { CreatorRanking, LeaderboardMetric, MetricPoint, RollupSums, sumSelect, sumsFromRow } from './metrics.types';
import { MetricsService } from './metrics.service';

export interface LeaderboardArgs {
  range: DateRangeInput;
  metric: LeaderboardMetric;
  shopId: string | null;
  campaignId: string | null;
  currency: string | null;
  first: number;
}

/** What each metric ranks by, in SQL over the summed rollup columns (exact: numeric, not float). */
const ORDER_BY: Record<LeaderboardMetric, string> = {
  [LeaderboardMetric.GMV]: 'agg.sum_gmv_minor',
  [LeaderboardMetric.ORDERS]: 'agg.sum_orders',
  [LeaderboardMetric.VIEWS]: 'agg.sum_views',
  [LeaderboardMetric.COMMISSIONS]: 'agg.sum_commissions_minor',
  [LeaderboardMetric.ROAS]: 'agg.sum_gmv_minor / agg.sum_ad_spend_minor',
};

/**
 * One statement: the shops in question (the caller's, narrowed by shopId, the campaign's shop and
 * currency), their currencies (to refuse mixing them), the creators' rollups summed over the
 * range, ranked, with the creator rows themselves. Its first row always exists (the shops' facts),
 * so errors are told apart from an empty board.
 *   creator rollups:                dimension 'R', subject = creator id
 *   a campaign's creators:          dimension 'E', subject = '<campaign id>:<creator id>'
 */
export function leaderboardSql(metric: LeaderboardMetric, byCampaign: boolean, clientScoped: boolean, creatorColumns: string): string {
  const rows = byCampaign
    ? `r.dimension = 'E' AND r.subject_id LIKE $9::text`
    : `r.dimension = 'R'`;
  const creatorId = byCampaign ? `split_part(r.subject_id, ':', 2)` : 'r.subject_id';
  return `
WITH visible AS (
  SELECT s.id, s.currency FROM shops s WHERE s.agency_id = $1 AND ($2::uuid IS NULL OR s.client_id = $2::uuid)
),
campaign AS (
  SELECT c.shop_id FROM campaigns c WHERE c.agency_id = $1 AND c.id = $4::uuid AND ($2::uuid IS NULL OR c.client_id = $2::uuid)
),
scope AS (
  SELECT v.id, v.currency FROM visible v
  WHERE ($3::uuid IS NULL OR v.id = $3::uuid) AND ($4::uuid IS NULL OR v.id IN (SELECT shop_id FROM campaign))
    AND ($5::text IS NULL OR v.currency = $5::text)
),
info AS (
  SELECT (SELECT array_agg(DISTINCT currency ORDER BY currency) FROM scope) AS currencies,
         EXISTS (SELECT 1 FROM visible WHERE id = $3::uuid) AS shop_found,
         (SELECT shop_id FROM campaign) AS campaign_shop
),
agg AS (
  SELECT ${creatorId} AS creator_id, ${sumSelect('r')}
  FROM metric_rollups r
  WHERE r.agency_id = $1 AND r.shop_id IN (SELECT id FROM scope) AND ${rows} AND r.day BETWEEN $6::date AND $7::date
  GROUP BY 1
),
ranked AS (
  SELECT agg.*, ${creatorColumns},
         row_number() OVER (ORDER BY ${ORDER_BY[metric]} DESC, c.handle COLLATE "C") AS rank
  FROM agg JOIN creators c ON c.agency_id = $1 AND c.id = agg.creator_id::uuid
  WHERE ${metric === LeaderboardMetric.ROAS ? 'agg.sum_ad_spend_minor > 0' : 'TRUE'}
  ${
    // A client viewer sees the creators of their client's campaigns (as creator.entity.ts declares).
    clientScoped
      ? `AND c.id IN (SELECT e.creator_id FROM campaign_enrollments e JOIN campaigns cc ON cc.id = e.campaign_id WHERE cc.agency_id = $1 AND cc.client_id = $2::uuid)`
      : ''
  }
  ORDER BY rank LIMIT $8
)
SELECT info.*, ranked.* FROM info LEFT JOIN ranked ON TRUE ORDER BY ranked.rank`;
}

export class LeaderboardService {
  private readonly metrics = new MetricsService();

  async creatorLeaderboard(ctx: RequestContext, args: LeaderboardArgs): Promise<CreatorRanking[]> {
    this.metrics.checkRange(args.range);
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
      throw AppError.badField('first', `first must be from 1 to ${MAX_PAGE_SIZE}`);
    }
    const shopId = args.shopId ? decodeId('Shop', args.shopId, 'shopId') : null;
    const campaignId = args.campaignId ? decodeId('Campaign', args.campaignId, 'campaignId') : null;
    const sql = leaderboardSql(args.metric, campaignId !== null, ctx.clientScope !== null, entityColumns(ctx.em, Creator, 'c', 'creator_'));
    const rows: Array<Record<string, unknown>> = await ctx.em.query(sql, [
      ctx.agencyId,
      ctx.clientScope,
      shopId,
      campaignId,
      args.currency,
      args.range.from,
      args.range.to,
      args.first,
      ...(campaignId ? [`${campaignId}:%`] : []),
    ]);
    const info = rows[0];
    if (shopId && !info.shop_found) throw AppError.notFound('Shop', 'shopId');
    if (campaignId && !info.campaign_shop) throw AppError.notFound('Campaign', 'campaignId');
    if (shopId && campaignId && info.campaign_shop !== shopId) throw AppError.badField('campaignId', 'The campaign belongs to another shop');
    const currencies = (info.currencies as string[] | null) ?? [];
    if (!args.currency && currencies.length > 1) {
      throw AppError.badField('currency', `Money is never added across currencies and these shops use several (${currencies.join(', ')}): pass shopId or currency`);
    }
    const currency = args.currency ?? currencies[0];
    if (!currency) return []; // no shops at all: nobody to rank
    return rows
      .filter((row) => row.rank !== null)
      .map((row) => {
        const creator = hydrate(ctx.em, Creator, row, 'creator_');
        ctx.loaders.byId(Creator).prime(creator.id, creator);
        const sums = sumsFromRow(row);
        return Object.assign(new CreatorRanking(), {
          rank: Number(row.rank),
          creator,
          value: leaderboardValue(args.metric, sums, currency),
          metrics: new MetricPoint(args.range.from, currency, sums),
        });
      });
  }
}

/** Money in major units (123450 cents -> 1234.5), counts as they are, ROAS as the ratio. */
export function leaderboardValue(metric: LeaderboardMetric, sums: RollupSums, currency: string): number {
  const major = (minor: number) => minor / 10 ** minorUnitDigits(currency);
  switch (metric) {
    case LeaderboardMetric.GMV:
      return major(sums.gmv);
    case LeaderboardMetric.COMMISSIONS:
      return major(sums.commissions);
    case LeaderboardMetric.ORDERS:
      return sums.orders;
    case LeaderboardMetric.VIEWS:
      return sums.views;
    case LeaderboardMetric.ROAS:
      return sums.gmv / sums.adSpend;
  }
}
