import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795241307052 implements MigrationInterface {
    name = 'Foundation1795241307052'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "agencies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying NOT NULL, "slug" character varying NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_77c10291e442a33f0060b9cad0d" UNIQUE ("slug"), CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TYPE "public"."member_role" AS ENUM('AGENCY_ADMIN', 'SENIOR_ACCOUNT_MANAGER', 'ACCOUNT_MANAGER', 'ANALYST', 'CLIENT_VIEWER')`);
        await queryRunner.query(`CREATE TABLE "members" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "email" character varying NOT NULL, "name" character varying NOT NULL, "password_hash" character varying NOT NULL, "role" "public"."member_role" NOT NULL, "client_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_2714af51e3f7dd42cf66eeb08d6" UNIQUE ("email"), CONSTRAINT "PK_28b53062261b996d9c99fa12404" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3537f9512db9760abf4131920e" ON "members"  ("agency_id") `);
        await queryRunner.query(`CREATE TYPE "public"."client_status" AS ENUM('ONBOARDING', 'ACTIVE', 'PAUSED', 'CHURNED')`);
        await queryRunner.query(`CREATE TABLE "clients" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "name" character varying NOT NULL, "status" "public"."client_status" NOT NULL DEFAULT 'ONBOARDING', "account_manager_id" uuid, "monthly_gmv_target_minor" bigint, "monthly_gmv_target_currency" character(3), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f1ab7cf3a5714dbc6bb4e1c28a4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_14a831173ac2241ed5ee401314" ON "clients"  ("agency_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TYPE "public"."shop_status" AS ENUM('ACTIVE', 'SUSPENDED', 'CLOSED')`);
        await queryRunner.query(`CREATE TABLE "shops" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "client_id" uuid NOT NULL, "name" character varying NOT NULL, "external_id" character varying NOT NULL, "region" character(2) NOT NULL, "currency" character(3) NOT NULL, "time_zone" character varying NOT NULL, "status" "public"."shop_status" NOT NULL DEFAULT 'ACTIVE', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_shops_agency_external_id" UNIQUE ("agency_id", "external_id"), CONSTRAINT "PK_3c6aaa6607d287de99815e60b96" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0a3cdf79c11be2399901d7c431" ON "shops"  ("client_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "products" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "shop_id" uuid NOT NULL, "sku" character varying NOT NULL, "title" character varying NOT NULL, "currency" character(3) NOT NULL, "price_minor" bigint NOT NULL, "unit_cost_minor" bigint, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_products_shop_sku" UNIQUE ("shop_id", "sku"), CONSTRAINT "PK_0806c755e0aca124e67c0cf6d7d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_1224b49bd42a8d30112b262593" ON "products"  ("shop_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TYPE "public"."campaign_objective" AS ENUM('SALES', 'AWARENESS', 'LAUNCH')`);
        await queryRunner.query(`CREATE TYPE "public"."campaign_status" AS ENUM('DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELLED')`);
        await queryRunner.query(`CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "shop_id" uuid NOT NULL, "client_id" uuid NOT NULL, "name" character varying NOT NULL, "objective" "public"."campaign_objective" NOT NULL, "status" "public"."campaign_status" NOT NULL DEFAULT 'DRAFT', "start_date" date NOT NULL, "end_date" date, "currency" character(3) NOT NULL, "budget_minor" bigint, "commission_rate_bps" integer NOT NULL, "target_gmv_minor" bigint, "target_roas" double precision, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_a54ea4da494183837f1e4432bb" ON "campaigns"  ("agency_id", "created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_22f46e261e5fe5aca34273cddf" ON "campaigns"  ("shop_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "campaign_products" ("campaign_id" uuid NOT NULL, "product_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_41659413a6479b519b16e962871" PRIMARY KEY ("campaign_id", "product_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_aec92a5e22a89c9df02dc538aa" ON "campaign_products"  ("product_id") `);
        await queryRunner.query(`CREATE TABLE "creators" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "handle" character varying NOT NULL, "display_name" text, "follower_count" integer NOT NULL, "engagement_rate" double precision, "niches" text array NOT NULL DEFAULT '{}', "region" character(2), "email" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_creators_agency_handle" UNIQUE ("agency_id", "handle"), CONSTRAINT "PK_b27dd693f7df17bbfc21f00166a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_1898b4a38d67a25fb614429fe7" ON "creators"  ("agency_id", "follower_count", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_f4973c7bab84a042dc2f312626" ON "creators"  ("agency_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TYPE "public"."enrollment_status" AS ENUM('INVITED', 'ACCEPTED', 'SAMPLE_SHIPPED', 'SAMPLE_DELIVERED', 'CONTENT_IN_REVIEW', 'POSTED', 'DECLINED', 'REMOVED')`);
        await queryRunner.query(`CREATE TABLE "campaign_enrollments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "creator_id" uuid NOT NULL, "status" "public"."enrollment_status" NOT NULL DEFAULT 'INVITED', "commission_rate_bps" integer, "content_due_date" date, "sample_tracking_number" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_enrollments_campaign_creator" UNIQUE ("campaign_id", "creator_id"), CONSTRAINT "PK_8f729844fbf0d8b8488db2252d8" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_53c44519108cbc1c207901f2e5" ON "campaign_enrollments"  ("creator_id", "created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_4f61a67399ad4503e552f27580" ON "campaign_enrollments"  ("campaign_id", "created_at", "id") `);
        await queryRunner.query(`ALTER TABLE "members" ADD CONSTRAINT "FK_3537f9512db9760abf4131920e8" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "members" ADD CONSTRAINT "FK_0a57da3187cf1abfed95a164b21" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "clients" ADD CONSTRAINT "FK_0623d5fa95ce8dd22e8e9ac6772" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "clients" ADD CONSTRAINT "FK_64df175e6754c192c4fc97d8441" FOREIGN KEY ("account_manager_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "shops" ADD CONSTRAINT "FK_1c2415804ead2fae3e720fbf195" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "products" ADD CONSTRAINT "FK_9e952e93f369f16e27dd786c33f" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "campaigns" ADD CONSTRAINT "FK_5a7d42a42a444f3a85b43573504" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "campaign_products" ADD CONSTRAINT "FK_0194022b822e2565667255de00c" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "campaign_products" ADD CONSTRAINT "FK_aec92a5e22a89c9df02dc538aa1" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "FK_9c3fb4e3e45e87d4bc1bece1ac5" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "FK_3b2992f6ad8e3d44bd2993ffca9" FOREIGN KEY ("creator_id") REFERENCES "creators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "campaign_enrollments" DROP CONSTRAINT "FK_3b2992f6ad8e3d44bd2993ffca9"`);
        await queryRunner.query(`ALTER TABLE "campaign_enrollments" DROP CONSTRAINT "FK_9c3fb4e3e45e87d4bc1bece1ac5"`);
        await queryRunner.query(`ALTER TABLE "campaign_products" DROP CONSTRAINT "FK_aec92a5e22a89c9df02dc538aa1"`);
        await queryRunner.query(`ALTER TABLE "campaign_products" DROP CONSTRAINT "FK_0194022b822e2565667255de00c"`);
        await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_5a7d42a42a444f3a85b43573504"`);
        await queryRunner.query(`ALTER TABLE "products" DROP CONSTRAINT "FK_9e952e93f369f16e27dd786c33f"`);
        await queryRunner.query(`ALTER TABLE "shops" DROP CONSTRAINT "FK_1c2415804ead2fae3e720fbf195"`);
        await queryRunner.query(`ALTER TABLE "clients" DROP CONSTRAINT "FK_64df175e6754c192c4fc97d8441"`);
        await queryRunner.query(`ALTER TABLE "clients" DROP CONSTRAINT "FK_0623d5fa95ce8dd22e8e9ac6772"`);
        await queryRunner.query(`ALTER TABLE "members" DROP CONSTRAINT "FK_0a57da3187cf1abfed95a164b21"`);
        await queryRunner.query(`ALTER TABLE "members" DROP CONSTRAINT "FK_3537f9512db9760abf4131920e8"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4f61a67399ad4503e552f27580"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_53c44519108cbc1c207901f2e5"`);
        await queryRunner.query(`DROP TABLE "campaign_enrollments"`);
        await queryRunner.query(`DROP TYPE "public"."enrollment_status"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f4973c7bab84a042dc2f312626"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_1898b4a38d67a25fb614429fe7"`);
        await queryRunner.query(`DROP TABLE "creators"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_aec92a5e22a89c9df02dc538aa"`);
        await queryRunner.query(`DROP TABLE "campaign_products"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_22f46e261e5fe5aca34273cddf"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a54ea4da494183837f1e4432bb"`);
        await queryRunner.query(`DROP TABLE "campaigns"`);
        await queryRunner.query(`DROP TYPE "public"."campaign_status"`);
        await queryRunner.query(`DROP TYPE "public"."campaign_objective"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_1224b49bd42a8d30112b262593"`);
        await queryRunner.query(`DROP TABLE "products"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0a3cdf79c11be2399901d7c431"`);
        await queryRunner.query(`DROP TABLE "shops"`);
        await queryRunner.query(`DROP TYPE "public"."shop_status"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_14a831173ac2241ed5ee401314"`);
        await queryRunner.query(`DROP TABLE "clients"`);
        await queryRunner.query(`DROP TYPE "public"."client_status"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3537f9512db9760abf4131920e"`);
        await queryRunner.query(`DROP TABLE "members"`);
        await queryRunner.query(`DROP TYPE "public"."member_role"`);
        await queryRunner.query(`DROP TABLE "agencies"`);
    }

}
