import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second wall between agencies: row-level security on every tenant table. The API sets
 * `app.agency_id` at the start of each request's transaction; rows of any other agency are
 * invisible and cannot be written. It binds roles that neither own the tables nor are
 * superusers (see README, "Provisioning the database role"): the role `agency_graph_app`
 * gets the privileges here, and the API logs in as a member of it.
 */
export const APP_ROLE = 'agency_graph_app';

/** Every table with an agency_id column; the agencies table is scoped by its own id. */
export const TENANT_TABLES = [
  'members',
  'clients',
  'shops',
  'products',
  'creators',
  'campaigns',
  'campaign_products',
  'campaign_enrollments',
  'api_keys',
  'audit_log',
];

/** Row-level security and the app role's privileges for one table (later migrations reuse it). */
export async function isolateTenantTable(queryRunner: QueryRunner, table: string, column = 'agency_id'): Promise<void> {
  await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(
    `CREATE POLICY tenant_isolation ON "${table}" USING ("${column}" = app_current_agency()) WITH CHECK ("${column}" = app_current_agency())`,
  );
  await grantToAppRole(queryRunner, `GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO ${APP_ROLE}`);
}

export async function releaseTenantTable(queryRunner: QueryRunner, table: string): Promise<void> {
  await queryRunner.query(`DROP POLICY IF EXISTS tenant_isolation ON "${table}"`);
  await queryRunner.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
}

/** Runs a GRANT only where the app role exists (a migrator without CREATEROLE cannot make it). */
export async function grantToAppRole(queryRunner: QueryRunner, grant: string): Promise<void> {
  await queryRunner.query(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN ${grant}; END IF; END $$`);
}

export class RowLevelSecurity1795243000000 implements MigrationInterface {
  name = 'RowLevelSecurity1795243000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Roles are per cluster: another database (or a parallel test) may create it first.
    await queryRunner.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} NOLOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
      RAISE NOTICE 'role ${APP_ROLE} not created here: %', SQLERRM;
    END $$`);

    // Unset, or reset to '' after a transaction: no agency, so no rows.
    await queryRunner.query(`CREATE FUNCTION app_current_agency() RETURNS uuid LANGUAGE sql STABLE
      AS $$ SELECT NULLIF(current_setting('app.agency_id', true), '')::uuid $$`);

    // Before the agency is known (sign-in), only these may look across agencies, and they
    // return ids, never data.
    await queryRunner.query(`CREATE FUNCTION app_auth_member_owner(p_email text) RETURNS TABLE (id uuid, agency_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
      AS $$ SELECT m.id, m.agency_id FROM members m WHERE m.email = p_email $$`);
    await queryRunner.query(`CREATE FUNCTION app_auth_api_key_owner(p_prefix text) RETURNS TABLE (id uuid, agency_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
      AS $$ SELECT k.id, k.agency_id FROM api_keys k WHERE k.prefix = p_prefix $$`);
    await queryRunner.query(`CREATE FUNCTION app_agency_slugs_like(p_pattern text) RETURNS TABLE (slug text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
      AS $$ SELECT a.slug::text FROM agencies a WHERE a.slug LIKE p_pattern $$`);

    await queryRunner.query(`ALTER TABLE "agencies" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "agencies" USING ("id" = app_current_agency()) WITH CHECK ("id" = app_current_agency())`,
    );
    await grantToAppRole(queryRunner, `GRANT SELECT, INSERT, UPDATE ON "agencies" TO ${APP_ROLE}`);
    for (const table of TENANT_TABLES) await isolateTenantTable(queryRunner, table);

    await grantToAppRole(queryRunner, `GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    // The API checks for pending migrations at start and in /readyz.
    await grantToAppRole(queryRunner, `GRANT SELECT ON "migrations" TO ${APP_ROLE}`);
    await grantToAppRole(
      queryRunner,
      `GRANT EXECUTE ON FUNCTION app_current_agency(), app_auth_member_owner(text), app_auth_api_key_owner(text), app_agency_slugs_like(text) TO ${APP_ROLE}`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_TABLES].reverse()) await releaseTenantTable(queryRunner, table);
    await releaseTenantTable(queryRunner, 'agencies');
    await queryRunner.query(`DROP FUNCTION app_agency_slugs_like(text)`);
    await queryRunner.query(`DROP FUNCTION app_auth_api_key_owner(text)`);
    await queryRunner.query(`DROP FUNCTION app_auth_member_owner(text)`);
    await queryRunner.query(`DROP FUNCTION app_current_agency()`);
    // The role is per cluster and may serve other databases: it stays. Its privileges on the
    // tables go with the tables in earlier migrations' down steps.
  }
}
