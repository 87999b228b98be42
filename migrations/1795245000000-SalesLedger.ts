import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenantTable, releaseTenantTable } from './1795243000000-RowLevelSecurity';

/**
 * The sales ledger and what is derived from it (issue 9), and the content a creator posts
 * (issue 10 adds its workflow; the ledger needs the table to attribute by video id).
 *
 * - order_lines, daily_stats and shop_health are the raw facts, each upserted by its natural
 *   key. What a line contributes to money (commission, platform fee, COGS) is decided once at
 *   ingest and stored on the line, so rollups sum stored figures and a rebuild gives the same.
 * - metric_rollups holds one row per (shop, dimension, subject, day in the shop's time zone):
 *   dimension 'S' = the shop (subject ''), 'C' = a campaign, 'R' = a creator, 'P' = a product,
 *   'V' = a video id. Requests read these rows, never order_lines.
 * - agency_id leads every unique key and main index (see DESIGN: tenant first).
 */
export class SalesLedger1795245000000 implements MigrationInterface {
  name = 'SalesLedger1795245000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);

    // Settings people change per shop and per agency.
    await q(`ALTER TABLE "shops" ADD "default_commission_rate_bps" integer NOT NULL DEFAULT 1000`);
    await q(`ALTER TABLE "shops" ADD "platform_fee_bps" integer NOT NULL DEFAULT 800`);
    await q(`ALTER TABLE "agencies" ADD "settings" jsonb NOT NULL DEFAULT '{}'`);

    await q(`CREATE TYPE "public"."creator_tier" AS ENUM('STAR', 'RISING', 'CORE', 'NEW', 'DORMANT')`);
    await q(`ALTER TABLE "creators" ADD "tier" "public"."creator_tier" NOT NULL DEFAULT 'NEW'`);
    await q(`ALTER TABLE "creators" ADD "tier_gmv_minor" bigint NOT NULL DEFAULT 0`);
    await q(`ALTER TABLE "creators" ADD "tier_as_of" date`);
    await q(`CREATE INDEX "IDX_creators_agency_tier" ON "creators" ("agency_id", "tier")`);

    // Content: the minimal shape the contract fixes (issue 10 adds reviews, briefs, SLAs).
    // Order lines, daily stats, health snapshots: the ledger. Rollups: what requests read.
    await q(`CREATE TYPE "public"."content_format" AS ENUM('VIDEO', 'LIVE')`);
    await q(`CREATE TYPE "public"."content_status" AS ENUM('PLANNED', 'SUBMITTED', 'CHANGES_REQUESTED', 'APPROVED', 'LIVE', 'REMOVED')`);
    await q(`CREATE TABLE "content" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "shop_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "creator_id" uuid NOT NULL, "product_id" uuid, "format" "public"."content_format" NOT NULL DEFAULT 'VIDEO', "status" "public"."content_status" NOT NULL DEFAULT 'PLANNED', "revision" integer NOT NULL DEFAULT '1', "video_id" character varying, "url" text, "caption" text, "due_at" TIMESTAMP(3) WITH TIME ZONE, "posted_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a2083913f3647b44f205204e36" PRIMARY KEY ("id"))`);
    await q(`CREATE UNIQUE INDEX "UQ_content_agency_shop_video" ON "content" ("agency_id", "shop_id", "video_id") WHERE "video_id" IS NOT NULL`);
    await q(`CREATE INDEX "IDX_content_enrollment" ON "content" ("enrollment_id") `);
    await q(`CREATE INDEX "IDX_content_agency_creator" ON "content" ("agency_id", "creator_id", "created_at", "id") `);
    await q(`CREATE INDEX "IDX_content_agency_campaign" ON "content" ("agency_id", "campaign_id", "created_at", "id") `);
    await q(`CREATE TYPE "public"."order_content_type" AS ENUM('VIDEO', 'LIVE', 'SHOWCASE', 'OTHER')`);
    await q(`CREATE TYPE "public"."order_status" AS ENUM('PLACED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED')`);
    await q(`CREATE TABLE "order_lines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "shop_id" uuid NOT NULL, "external_id" character varying NOT NULL, "order_id" character varying NOT NULL, "product_id" uuid, "creator_id" uuid, "campaign_id" uuid, "content_id" uuid, "video_id" character varying, "content_type" "public"."order_content_type", "status" "public"."order_status" NOT NULL, "platform_status" character varying, "quantity" integer NOT NULL, "currency" character(3) NOT NULL, "gmv_minor" bigint NOT NULL, "refunded_minor" bigint NOT NULL DEFAULT '0', "is_sample" boolean NOT NULL DEFAULT false, "reported_commission_rate_bps" integer, "placed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "order_day" date NOT NULL, "commission_rate_bps" integer NOT NULL DEFAULT '0', "commission_minor" bigint NOT NULL DEFAULT '0', "platform_fee_bps" integer NOT NULL DEFAULT '0', "platform_fee_minor" bigint NOT NULL DEFAULT '0', "unit_cost_minor" bigint, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_order_lines_money" CHECK ("gmv_minor" >= 0 AND "refunded_minor" >= 0 AND "refunded_minor" <= "gmv_minor"), CONSTRAINT "CHK_order_lines_quantity" CHECK ("quantity" >= 1), CONSTRAINT "PK_627dcd7f1d707de4df241b2da6b" PRIMARY KEY ("id"))`);
    await q(`CREATE INDEX "IDX_order_lines_agency_campaign_day" ON "order_lines" ("agency_id", "campaign_id", "order_day") WHERE "campaign_id" IS NOT NULL`);
    await q(`CREATE INDEX "IDX_order_lines_agency_creator_day" ON "order_lines" ("agency_id", "creator_id", "order_day") WHERE "creator_id" IS NOT NULL`);
    await q(`CREATE INDEX "IDX_order_lines_agency_shop_order" ON "order_lines" ("agency_id", "shop_id", "order_id") `);
    await q(`CREATE INDEX "IDX_order_lines_agency_shop_placed" ON "order_lines" ("agency_id", "shop_id", "placed_at", "id") `);
    await q(`CREATE INDEX "IDX_order_lines_agency_shop_day" ON "order_lines" ("agency_id", "shop_id", "order_day") `);
    await q(`CREATE UNIQUE INDEX "UQ_order_lines_agency_shop_external" ON "order_lines" ("agency_id", "shop_id", "external_id") `);
    await q(`CREATE TABLE "daily_stats" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "shop_id" uuid NOT NULL, "date" date NOT NULL, "subject_key" character varying NOT NULL, "video_id" character varying, "campaign_id" uuid, "creator_id" uuid, "content_id" uuid, "views" bigint NOT NULL DEFAULT '0', "likes" bigint NOT NULL DEFAULT '0', "comments" bigint NOT NULL DEFAULT '0', "shares" bigint NOT NULL DEFAULT '0', "clicks" bigint NOT NULL DEFAULT '0', "ad_spend_minor" bigint NOT NULL DEFAULT '0', "currency" character(3) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d1830b57aa5fafc5cb26a09aa73" PRIMARY KEY ("id"))`);
    await q(`CREATE UNIQUE INDEX "UQ_daily_stats_agency_shop_date_subject" ON "daily_stats" ("agency_id", "shop_id", "date", "subject_key") `);
    await q(`CREATE TABLE "shop_health" ("agency_id" uuid NOT NULL, "shop_id" uuid NOT NULL, "date" date NOT NULL, "late_dispatch_rate" double precision, "valid_tracking_rate" double precision, "seller_fault_cancellation_rate" double precision, "on_time_delivery_rate" double precision, "refund_rate" double precision, "shop_performance_score" double precision, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7325a3ea1122e3b43a2d13fa19c" PRIMARY KEY ("agency_id", "shop_id", "date"))`);
    await q(`CREATE TABLE "metric_rollups" ("agency_id" uuid NOT NULL, "shop_id" uuid NOT NULL, "dimension" character(1) NOT NULL, "subject_id" character varying NOT NULL, "day" date NOT NULL, "currency" character(3) NOT NULL, "gmv_minor" bigint NOT NULL DEFAULT '0', "refunds_minor" bigint NOT NULL DEFAULT '0', "orders" integer NOT NULL DEFAULT '0', "units" integer NOT NULL DEFAULT '0', "commissions_minor" bigint NOT NULL DEFAULT '0', "platform_fees_minor" bigint NOT NULL DEFAULT '0', "cogs_minor" bigint NOT NULL DEFAULT '0', "cogs_missing_units" integer NOT NULL DEFAULT '0', "sample_units" integer NOT NULL DEFAULT '0', "sample_cost_minor" bigint NOT NULL DEFAULT '0', "views" bigint NOT NULL DEFAULT '0', "likes" bigint NOT NULL DEFAULT '0', "comments" bigint NOT NULL DEFAULT '0', "shares" bigint NOT NULL DEFAULT '0', "clicks" bigint NOT NULL DEFAULT '0', "ad_spend_minor" bigint NOT NULL DEFAULT '0', CONSTRAINT "CHK_metric_rollups_dimension" CHECK ("dimension" IN ('S', 'C', 'R', 'P', 'V')), CONSTRAINT "PK_7fc9c900ad69382c4c9516d887f" PRIMARY KEY ("agency_id", "shop_id", "dimension", "subject_id", "day"))`);
    await q(`CREATE INDEX "IDX_metric_rollups_agency_dimension_subject_day" ON "metric_rollups" ("agency_id", "dimension", "subject_id", "day") `);
    await q(`CREATE INDEX "IDX_metric_rollups_agency_dimension_day" ON "metric_rollups" ("agency_id", "dimension", "day") `);
    await q(`ALTER TABLE "content" ADD CONSTRAINT "FK_3461c08767c7b914df526397e34" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "content" ADD CONSTRAINT "FK_890dca12ecb1e4a2b6d65d34797" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "content" ADD CONSTRAINT "FK_60125e5f5de9f0dfb40ce046ceb" FOREIGN KEY ("enrollment_id") REFERENCES "campaign_enrollments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "content" ADD CONSTRAINT "FK_ac86c20ddc8831dd58e9a3beec3" FOREIGN KEY ("creator_id") REFERENCES "creators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "content" ADD CONSTRAINT "FK_15ce9c942397353a696237346f4" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "order_lines" ADD CONSTRAINT "FK_81284d6007f1b92d900d1ece238" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "order_lines" ADD CONSTRAINT "FK_c33a737fbeb5050911ca729aaed" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "order_lines" ADD CONSTRAINT "FK_6ef92661a1034d0fc9b8544e6b5" FOREIGN KEY ("creator_id") REFERENCES "creators"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "order_lines" ADD CONSTRAINT "FK_7b47d68df29ba71e56f9016e33a" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "order_lines" ADD CONSTRAINT "FK_242a2336271cffe6a0f197f1d3c" FOREIGN KEY ("content_id") REFERENCES "content"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "daily_stats" ADD CONSTRAINT "FK_868d54040a6fb9bf7e08535e667" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "daily_stats" ADD CONSTRAINT "FK_84747cb04286d7aaafa9fdbab2d" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "daily_stats" ADD CONSTRAINT "FK_b613da875c98511b3984b953f38" FOREIGN KEY ("creator_id") REFERENCES "creators"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "daily_stats" ADD CONSTRAINT "FK_3fc4bebbce3cb6fc5fe1eaba6ba" FOREIGN KEY ("content_id") REFERENCES "content"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "shop_health" ADD CONSTRAINT "FK_dd020ee3f4b589d2cf1e9eb6dc2" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "metric_rollups" ADD CONSTRAINT "FK_8489ef0144b3034a1d1c9777bad" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    for (const table of ['content', 'order_lines', 'daily_stats', 'shop_health', 'metric_rollups']) {
      await isolateTenantTable(queryRunner, table);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    for (const table of ['metric_rollups', 'shop_health', 'daily_stats', 'order_lines', 'content']) {
      await releaseTenantTable(queryRunner, table);
      await q(`DROP TABLE "${table}"`);
    }
    await q(`DROP TYPE "public"."order_content_type"`);
    await q(`DROP TYPE "public"."order_status"`);
    await q(`DROP TYPE "public"."content_format"`);
    await q(`DROP TYPE "public"."content_status"`);
    await q(`DROP INDEX "IDX_creators_agency_tier"`);
    await q(`ALTER TABLE "creators" DROP COLUMN "tier_as_of"`);
    await q(`ALTER TABLE "creators" DROP COLUMN "tier_gmv_minor"`);
    await q(`ALTER TABLE "creators" DROP COLUMN "tier"`);
    await q(`DROP TYPE "public"."creator_tier"`);
    await q(`ALTER TABLE "agencies" DROP COLUMN "settings"`);
    await q(`ALTER TABLE "shops" DROP COLUMN "platform_fee_bps"`);
    await q(`ALTER TABLE "shops" DROP COLUMN "default_commission_rate_bps"`);
  }
}
