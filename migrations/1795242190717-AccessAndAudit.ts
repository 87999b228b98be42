import { MigrationInterface, QueryRunner } from "typeorm";

export class AccessAndAudit1795242190717 implements MigrationInterface {
    name = 'AccessAndAudit1795242190717'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "member_id" uuid, "api_key_id" uuid, "operation" character varying NOT NULL, "target_ids" text array NOT NULL DEFAULT '{}', "request_id" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_6f0bf1212f673d015b9e0f2389" ON "audit_log"  ("agency_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TYPE "public"."api_scope" AS ENUM('READ', 'WRITE', 'INGEST', 'ALERTS')`);
        await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "name" character varying NOT NULL, "scopes" "public"."api_scope" array NOT NULL, "prefix" character varying NOT NULL, "secret_hash" character varying NOT NULL, "created_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP(3) WITH TIME ZONE, "revoked_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "UQ_6f6105c8efe05b310d046cbdb3d" UNIQUE ("prefix"), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_03a2521323bd52f34bf349f234" ON "api_keys"  ("agency_id") `);
        await queryRunner.query(`ALTER TABLE "members" ADD "deactivated_at" TIMESTAMP(3) WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "audit_log" ADD CONSTRAINT "FK_436a432102e2abcf078372ff623" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_03a2521323bd52f34bf349f234a" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_03a2521323bd52f34bf349f234a"`);
        await queryRunner.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "FK_436a432102e2abcf078372ff623"`);
        await queryRunner.query(`ALTER TABLE "members" DROP COLUMN "deactivated_at"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_03a2521323bd52f34bf349f234"`);
        await queryRunner.query(`DROP TABLE "api_keys"`);
        await queryRunner.query(`DROP TYPE "public"."api_scope"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_6f0bf1212f673d015b9e0f2389"`);
        await queryRunner.query(`DROP TABLE "audit_log"`);
    }

}
