import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantToAppRole, isolateTenantTable, releaseTenantTable } from './1795243000000-RowLevelSecurity';

/**
 * The creator workflow (issue 10): content reviews with their QA checks, every enrollment move
 * with who and when, SLA columns on content, briefs, samples, outreach, creator notes and tags.
 * Every new table is tenant-isolated (row-level security), agency_id first in its keys.
 * app_content_sweep_agencies() lists, across agencies, the ids of agencies with open content: the
 * overdue sweep then works one agency at a time inside that agency's tenant setting.
 */
export class ContentWorkflow1795246000000 implements MigrationInterface {
  name = 'ContentWorkflow1795246000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`CREATE TABLE "content_reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "content_id" uuid NOT NULL, "revision" integer NOT NULL, "decision" "public"."content_status" NOT NULL, "notes" text, "internal_notes" text, "reviewer_id" uuid, "checks" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5116678c7f41c2f4c4e02e2a128" PRIMARY KEY ("id"))`);
    await q(`CREATE INDEX "IDX_content_reviews_agency_content" ON "content_reviews"  ("agency_id", "content_id", "created_at", "id") `);
    await q(`CREATE TABLE "campaign_briefs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "version" integer NOT NULL, "key_messages" text array NOT NULL DEFAULT '{}', "dos" text array NOT NULL DEFAULT '{}', "donts" text array NOT NULL DEFAULT '{}', "required_hashtags" text array NOT NULL DEFAULT '{}', "disclosure" character varying NOT NULL DEFAULT '#ad', "product_links" text array NOT NULL DEFAULT '{}', "content_due_days" integer, "created_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_35d1be2417ac6a07c0d911c887b" PRIMARY KEY ("id"))`);
    await q(`CREATE UNIQUE INDEX "UQ_campaign_briefs_agency_campaign_version" ON "campaign_briefs"  ("agency_id", "campaign_id", "version") `);
    await q(`CREATE TABLE "samples" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "creator_id" uuid NOT NULL, "product_id" uuid, "quantity" integer NOT NULL, "cost_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "carrier" character varying, "tracking_number" character varying, "shipped_at" TIMESTAMP(3) WITH TIME ZONE, "delivered_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d68b5b3bd25a6851b033fb63444" PRIMARY KEY ("id"))`);
    await q(`CREATE INDEX "IDX_samples_agency_creator" ON "samples"  ("agency_id", "creator_id") `);
    await q(`CREATE INDEX "IDX_samples_agency_campaign_shipped" ON "samples"  ("agency_id", "campaign_id", "shipped_at") `);
    await q(`CREATE INDEX "IDX_samples_agency_enrollment" ON "samples"  ("agency_id", "enrollment_id", "created_at", "id") `);
    await q(`CREATE TYPE "public"."outreach_channel" AS ENUM('EMAIL', 'TIKTOK_DM', 'WHATSAPP', 'OTHER')`);
    await q(`CREATE TABLE "outreach_templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "name" character varying NOT NULL, "channel" "public"."outreach_channel" NOT NULL, "subject" text, "body" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f961ed1e13e7657beb8de24ae66" PRIMARY KEY ("id"))`);
    await q(`CREATE INDEX "IDX_outreach_templates_agency" ON "outreach_templates"  ("agency_id", "created_at", "id") `);
    await q(`CREATE TYPE "public"."outreach_reply_status" AS ENUM('NO_REPLY', 'INTERESTED', 'NOT_INTERESTED', 'OTHER')`);
    await q(`CREATE TABLE "outreach_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "creator_id" uuid NOT NULL, "campaign_id" uuid, "enrollment_id" uuid, "template_id" uuid, "channel" "public"."outreach_channel" NOT NULL, "subject" text, "message" text NOT NULL, "sent_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "sent_by_id" uuid, "reply_status" "public"."outreach_reply_status" NOT NULL DEFAULT 'NO_REPLY', "replied_at" TIMESTAMP(3) WITH TIME ZONE, "reply_note" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4a76743d2cc1d4680ce43b73bc3" PRIMARY KEY ("id"))`);
    await q(`CREATE INDEX "IDX_outreach_messages_agency_campaign" ON "outreach_messages"  ("agency_id", "campaign_id", "created_at", "id") `);
    await q(`CREATE INDEX "IDX_outreach_messages_agency_creator" ON "outreach_messages"  ("agency_id", "creator_id", "created_at", "id") `);
    await q(`CREATE TABLE "creator_notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "creator_id" uuid NOT NULL, "author_id" uuid, "body" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9a87d5d4eebf42a105c1fe460c7" PRIMARY KEY ("id"))`);
    await q(`CREATE INDEX "IDX_creator_notes_agency_creator" ON "creator_notes"  ("agency_id", "creator_id", "created_at", "id") `);
    await q(`CREATE TABLE "enrollment_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "from_status" "public"."enrollment_status", "to_status" "public"."enrollment_status" NOT NULL, "member_id" uuid, "api_key_id" uuid, "operation" character varying, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_519643d967be3b94db78084a271" PRIMARY KEY ("id"))`);
    await q(`CREATE INDEX "IDX_enrollment_events_agency_enrollment" ON "enrollment_events"  ("agency_id", "enrollment_id", "created_at", "id") `);
    await q(`ALTER TABLE "creators" ADD "tags" text array NOT NULL DEFAULT '{}'`);
    await q(`ALTER TABLE "campaign_enrollments" ADD "brief_version" integer`);
    await q(`ALTER TABLE "content" ADD "submitted_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`ALTER TABLE "content" ADD "review_due_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`ALTER TABLE "content" ADD "review_overdue_notified_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`ALTER TABLE "content" ADD "post_overdue_notified_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`ALTER TABLE "content_reviews" ADD CONSTRAINT "FK_4a618430c2ef32e8e85456e1111" FOREIGN KEY ("content_id") REFERENCES "content"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "content_reviews" ADD CONSTRAINT "FK_7cf8d5000a34b597124d0e3ed72" FOREIGN KEY ("reviewer_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "campaign_briefs" ADD CONSTRAINT "FK_5133d0309281b3f659a607cbd44" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "samples" ADD CONSTRAINT "FK_c7778a0f5958d949243a879c416" FOREIGN KEY ("enrollment_id") REFERENCES "campaign_enrollments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "samples" ADD CONSTRAINT "FK_a9b49d4a5d0194b938f1e3881d0" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "outreach_messages" ADD CONSTRAINT "FK_f348a3f71392872aa77b5a6fd3c" FOREIGN KEY ("creator_id") REFERENCES "creators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "outreach_messages" ADD CONSTRAINT "FK_4227c2fa1fa5ff759d0aea8afd5" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "outreach_messages" ADD CONSTRAINT "FK_31f5ae06f916c37ae1900403ba3" FOREIGN KEY ("enrollment_id") REFERENCES "campaign_enrollments"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "outreach_messages" ADD CONSTRAINT "FK_79d501292508d18fdececd36979" FOREIGN KEY ("template_id") REFERENCES "outreach_templates"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "outreach_messages" ADD CONSTRAINT "FK_b749d2fcf70b70776c5fc03a58a" FOREIGN KEY ("sent_by_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "creator_notes" ADD CONSTRAINT "FK_88206948bdf6c88e382a7966334" FOREIGN KEY ("creator_id") REFERENCES "creators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "creator_notes" ADD CONSTRAINT "FK_d806e4aaf2e6ce70f9cb7310de5" FOREIGN KEY ("author_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "enrollment_events" ADD CONSTRAINT "FK_6b60df2795613794ad85ca66d5d" FOREIGN KEY ("enrollment_id") REFERENCES "campaign_enrollments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "enrollment_events" ADD CONSTRAINT "FK_00eaeb9bb8979fdd42bb2605e69" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);

    for (const table of ['content_reviews', 'campaign_briefs', 'samples', 'outreach_templates', 'outreach_messages', 'creator_notes', 'enrollment_events']) {
      await isolateTenantTable(queryRunner, table);
    }
    // Enrollments made before their moves were recorded start their history where they stand.
    await q(`INSERT INTO "enrollment_events" ("agency_id", "enrollment_id", "from_status", "to_status", "operation", "created_at")
      SELECT "agency_id", "id", NULL, "status", 'migration', "created_at" FROM "campaign_enrollments"`);
    await q(`CREATE FUNCTION app_content_sweep_agencies() RETURNS TABLE (agency_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
      AS $$ SELECT DISTINCT c.agency_id FROM content c WHERE c.status NOT IN ('LIVE', 'REMOVED') $$`);
    await grantToAppRole(queryRunner, `GRANT EXECUTE ON FUNCTION app_content_sweep_agencies() TO agency_graph_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP FUNCTION app_content_sweep_agencies()`);
    for (const table of ['content_reviews', 'campaign_briefs', 'samples', 'outreach_templates', 'outreach_messages', 'creator_notes', 'enrollment_events']) {
      await releaseTenantTable(queryRunner, table);
    }
    await q(`ALTER TABLE "enrollment_events" DROP CONSTRAINT "FK_00eaeb9bb8979fdd42bb2605e69"`);
    await q(`ALTER TABLE "enrollment_events" DROP CONSTRAINT "FK_6b60df2795613794ad85ca66d5d"`);
    await q(`ALTER TABLE "creator_notes" DROP CONSTRAINT "FK_d806e4aaf2e6ce70f9cb7310de5"`);
    await q(`ALTER TABLE "creator_notes" DROP CONSTRAINT "FK_88206948bdf6c88e382a7966334"`);
    await q(`ALTER TABLE "outreach_messages" DROP CONSTRAINT "FK_b749d2fcf70b70776c5fc03a58a"`);
    await q(`ALTER TABLE "outreach_messages" DROP CONSTRAINT "FK_79d501292508d18fdececd36979"`);
    await q(`ALTER TABLE "outreach_messages" DROP CONSTRAINT "FK_31f5ae06f916c37ae1900403ba3"`);
    await q(`ALTER TABLE "outreach_messages" DROP CONSTRAINT "FK_4227c2fa1fa5ff759d0aea8afd5"`);
    await q(`ALTER TABLE "outreach_messages" DROP CONSTRAINT "FK_f348a3f71392872aa77b5a6fd3c"`);
    await q(`ALTER TABLE "samples" DROP CONSTRAINT "FK_a9b49d4a5d0194b938f1e3881d0"`);
    await q(`ALTER TABLE "samples" DROP CONSTRAINT "FK_c7778a0f5958d949243a879c416"`);
    await q(`ALTER TABLE "campaign_briefs" DROP CONSTRAINT "FK_5133d0309281b3f659a607cbd44"`);
    await q(`ALTER TABLE "content_reviews" DROP CONSTRAINT "FK_7cf8d5000a34b597124d0e3ed72"`);
    await q(`ALTER TABLE "content_reviews" DROP CONSTRAINT "FK_4a618430c2ef32e8e85456e1111"`);
    await q(`ALTER TABLE "content" DROP COLUMN "post_overdue_notified_at"`);
    await q(`ALTER TABLE "content" DROP COLUMN "review_overdue_notified_at"`);
    await q(`ALTER TABLE "content" DROP COLUMN "review_due_at"`);
    await q(`ALTER TABLE "content" DROP COLUMN "submitted_at"`);
    await q(`ALTER TABLE "campaign_enrollments" DROP COLUMN "brief_version"`);
    await q(`ALTER TABLE "creators" DROP COLUMN "tags"`);
    await q(`DROP INDEX "public"."IDX_enrollment_events_agency_enrollment"`);
    await q(`DROP TABLE "enrollment_events"`);
    await q(`DROP INDEX "public"."IDX_creator_notes_agency_creator"`);
    await q(`DROP TABLE "creator_notes"`);
    await q(`DROP INDEX "public"."IDX_outreach_messages_agency_creator"`);
    await q(`DROP INDEX "public"."IDX_outreach_messages_agency_campaign"`);
    await q(`DROP TABLE "outreach_messages"`);
    await q(`DROP TYPE "public"."outreach_reply_status"`);
    await q(`DROP INDEX "public"."IDX_outreach_templates_agency"`);
    await q(`DROP TABLE "outreach_templates"`);
    await q(`DROP TYPE "public"."outreach_channel"`);
    await q(`DROP INDEX "public"."IDX_samples_agency_enrollment"`);
    await q(`DROP INDEX "public"."IDX_samples_agency_campaign_shipped"`);
    await q(`DROP INDEX "public"."IDX_samples_agency_creator"`);
    await q(`DROP TABLE "samples"`);
    await q(`DROP INDEX "public"."UQ_campaign_briefs_agency_campaign_version"`);
    await q(`DROP TABLE "campaign_briefs"`);
    await q(`DROP INDEX "public"."IDX_content_reviews_agency_content"`);
    await q(`DROP TABLE "content_reviews"`);
  }
}
