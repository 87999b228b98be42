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
    await q(`CREATE TABLE "enrollment_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "from_status" "public"."enrollment_status", "to_status" "public"."enrollment_status" NOT NULL, "member_id" uuid, "api_key_id" uuid, "operation" character varying, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_519643d967be3b94db78084a271" PRIMARY KEY ("id"))`);
    await q(`CREATE INDEX "IDX_enrollment_events_agency_enrollment" ON "enrollment_events"  ("agency_id", "enrollment_id", "created_at", "id") `);
    await q(`ALTER TABLE "content" ADD "submitted_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`ALTER TABLE "content" ADD "review_due_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`ALTER TABLE "content" ADD "review_overdue_notified_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`ALTER TABLE "content" ADD "post_overdue_notified_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`ALTER TABLE "content_reviews" ADD CONSTRAINT "FK_4a618430c2ef32e8e85456e1111" FOREIGN KEY ("content_id") REFERENCES "content"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "content_reviews" ADD CONSTRAINT "FK_7cf8d5000a34b597124d0e3ed72" FOREIGN KEY ("reviewer_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "enrollment_events" ADD CONSTRAINT "FK_6b60df2795613794ad85ca66d5d" FOREIGN KEY ("enrollment_id") REFERENCES "campaign_enrollments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "enrollment_events" ADD CONSTRAINT "FK_00eaeb9bb8979fdd42bb2605e69" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);

    for (const table of ['content_reviews', 'enrollment_events']) {
      await isolateTenantTable(queryRunner, table);
    }
    await q(`CREATE FUNCTION app_content_sweep_agencies() RETURNS TABLE (agency_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
      AS $$ SELECT DISTINCT c.agency_id FROM content c WHERE c.status NOT IN ('LIVE', 'REMOVED') $$`);
    await grantToAppRole(queryRunner, `GRANT EXECUTE ON FUNCTION app_content_sweep_agencies() TO agency_graph_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP FUNCTION app_content_sweep_agencies()`);
    for (const table of ['content_reviews', 'enrollment_events']) {
      await releaseTenantTable(queryRunner, table);
    }
    await q(`ALTER TABLE "enrollment_events" DROP CONSTRAINT "FK_00eaeb9bb8979fdd42bb2605e69"`);
    await q(`ALTER TABLE "enrollment_events" DROP CONSTRAINT "FK_6b60df2795613794ad85ca66d5d"`);
    await q(`ALTER TABLE "content_reviews" DROP CONSTRAINT "FK_7cf8d5000a34b597124d0e3ed72"`);
    await q(`ALTER TABLE "content_reviews" DROP CONSTRAINT "FK_4a618430c2ef32e8e85456e1111"`);
    await q(`ALTER TABLE "content" DROP COLUMN "post_overdue_notified_at"`);
    await q(`ALTER TABLE "content" DROP COLUMN "review_overdue_notified_at"`);
    await q(`ALTER TABLE "content" DROP COLUMN "review_due_at"`);
    await q(`ALTER TABLE "content" DROP COLUMN "submitted_at"`);
    await q(`DROP INDEX "public"."IDX_enrollment_events_agency_enrollment"`);
    await q(`DROP TABLE "enrollment_events"`);
    await q(`DROP INDEX "public"."IDX_content_reviews_agency_content"`);
    await q(`DROP TABLE "content_reviews"`);
  }
}
