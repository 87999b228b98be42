import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollups of a creator within a campaign (dimension 'E', subject '<campaign id>:<creator id>'),
 * which a campaign's creator leaderboard reads. Rows already in the ledger get theirs here, with
 * the same sums as src/modules/sales/rollups.ts (written out: a migration does not follow later
 * changes of the app's code).
 */
export class CampaignCreatorRollups1795245500000 implements MigrationInterface {
  name = 'CampaignCreatorRollups1795245500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE "metric_rollups" DROP CONSTRAINT "CHK_metric_rollups_dimension"`);
    await q(`ALTER TABLE "metric_rollups" ADD CONSTRAINT "CHK_metric_rollups_dimension" CHECK ("dimension" IN ('S', 'C', 'R', 'P', 'V', 'E'))`);
    await q(`
      WITH sales AS (
        SELECT o.agency_id, o.shop_id, o.campaign_id::text || ':' || o.creator_id::text AS subject_id, o.order_day AS day,
          COALESCE(SUM(o.gmv_minor) FILTER (WHERE o.status <> 'CANCELLED' AND NOT o.is_sample), 0) AS gmv_minor,
          COALESCE(SUM(o.refunded_minor) FILTER (WHERE o.status <> 'CANCELLED' AND NOT o.is_sample), 0) AS refunds_minor,
          COUNT(DISTINCT o.order_id) FILTER (WHERE o.status <> 'CANCELLED' AND NOT o.is_sample) AS orders,
          COALESCE(SUM(o.quantity) FILTER (WHERE o.status <> 'CANCELLED' AND NOT o.is_sample), 0) AS units,
          COALESCE(SUM(o.commission_minor) FILTER (WHERE o.status <> 'CANCELLED' AND NOT o.is_sample), 0) AS commissions_minor,
          COALESCE(SUM(o.platform_fee_minor) FILTER (WHERE o.status <> 'CANCELLED' AND NOT o.is_sample), 0) AS platform_fees_minor,
          COALESCE(SUM(o.quantity * o.unit_cost_minor) FILTER (WHERE o.status <> 'CANCELLED' AND NOT o.is_sample AND o.unit_cost_minor IS NOT NULL), 0) AS cogs_minor,
          COALESCE(SUM(o.quantity) FILTER (WHERE o.status <> 'CANCELLED' AND NOT o.is_sample AND o.unit_cost_minor IS NULL), 0) AS cogs_missing_units,
          COALESCE(SUM(o.quantity) FILTER (WHERE o.status <> 'CANCELLED' AND o.is_sample), 0) AS sample_units,
          COALESCE(SUM(o.quantity * o.unit_cost_minor) FILTER (WHERE o.status <> 'CANCELLED' AND o.is_sample AND o.unit_cost_minor IS NOT NULL), 0) AS sample_cost_minor
        FROM order_lines o WHERE o.campaign_id IS NOT NULL AND o.creator_id IS NOT NULL
        GROUP BY 1, 2, 3, 4
      ),
      stats AS (
        SELECT s.agency_id, s.shop_id, s.campaign_id::text || ':' || s.creator_id::text AS subject_id, s.date AS day,
          SUM(s.views) AS views, SUM(s.likes) AS likes, SUM(s.comments) AS comments, SUM(s.shares) AS shares,
          SUM(s.clicks) AS clicks, SUM(s.ad_spend_minor) AS ad_spend_minor
        FROM daily_stats s WHERE s.campaign_id IS NOT NULL AND s.creator_id IS NOT NULL
        GROUP BY 1, 2, 3, 4
      )
      INSERT INTO metric_rollups (agency_id, shop_id, dimension, subject_id, day, currency,
        gmv_minor, refunds_minor, orders, units, commissions_minor, platform_fees_minor, cogs_minor, cogs_missing_units,
        sample_units, sample_cost_minor, views, likes, comments, shares, clicks, ad_spend_minor)
      SELECT sh.agency_id, sh.id, 'E', COALESCE(a.subject_id, b.subject_id), COALESCE(a.day, b.day), sh.currency,
        COALESCE(a.gmv_minor, 0), COALESCE(a.refunds_minor, 0), COALESCE(a.orders, 0), COALESCE(a.units, 0),
        COALESCE(a.commissions_minor, 0), COALESCE(a.platform_fees_minor, 0), COALESCE(a.cogs_minor, 0), COALESCE(a.cogs_missing_units, 0),
        COALESCE(a.sample_units, 0), COALESCE(a.sample_cost_minor, 0),
        COALESCE(b.views, 0), COALESCE(b.likes, 0), COALESCE(b.comments, 0), COALESCE(b.shares, 0), COALESCE(b.clicks, 0), COALESCE(b.ad_spend_minor, 0)
      FROM sales a FULL JOIN stats b ON a.shop_id = b.shop_id AND a.subject_id = b.subject_id AND a.day = b.day
      JOIN shops sh ON sh.id = COALESCE(a.shop_id, b.shop_id)
      ON CONFLICT DO NOTHING`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "metric_rollups" WHERE "dimension" = 'E'`);
    await queryRunner.query(`ALTER TABLE "metric_rollups" DROP CONSTRAINT "CHK_metric_rollups_dimension"`);
    await queryRunner.query(`ALTER TABLE "metric_rollups" ADD CONSTRAINT "CHK_metric_rollups_dimension" CHECK ("dimension" IN ('S', 'C', 'R', 'P', 'V'))`);
  }
}
