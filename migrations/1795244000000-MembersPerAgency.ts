import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, grantToAppRole } from './1795243000000-RowLevelSecurity';

/**
 * E-mail addresses belong to people, and a person may be a member of several agencies (a
 * freelance account manager, a client's viewer). A member row stays per agency (its own role,
 * name and password), unique by (agency_id, email): adding a member whose address exists in
 * another agency neither fails nor reveals anything. Sign-in looks the address up across
 * agencies (IDX_members_email) through app_auth_member_candidates, which, like the function it
 * replaces, returns ids only: the password hashes are read in each agency's own scope.
 */
export class MembersPerAgency1795244000000 implements MigrationInterface {
  name = 'MembersPerAgency1795244000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "members" DROP CONSTRAINT "UQ_2714af51e3f7dd42cf66eeb08d6"`);
    await queryRunner.query(`CREATE INDEX "IDX_members_email" ON "members" ("email")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_members_agency_email" ON "members" ("agency_id", "email")`);

    // The old look-up assumed one row per address.
    await queryRunner.query(`DROP FUNCTION app_auth_member_owner(text)`);
    // The memberships of an address, optionally in one agency (its slug or id), active ones
    // first, then the oldest: a later membership elsewhere cannot push an older one out of the
    // first p_limit rows.
    await queryRunner.query(`CREATE FUNCTION app_auth_member_candidates(p_email text, p_agency text, p_limit integer)
      RETURNS TABLE (id uuid, agency_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
      AS $$ SELECT m.id, m.agency_id FROM members m JOIN agencies a ON a.id = m.agency_id
            WHERE m.email = p_email AND (p_agency IS NULL OR a.slug = p_agency OR a.id::text = p_agency)
            ORDER BY m.deactivated_at IS NOT NULL, m.created_at, m.id
            LIMIT LEAST(GREATEST(p_limit, 0), 20) $$`);
    await grantToAppRole(queryRunner, `GRANT EXECUTE ON FUNCTION app_auth_member_candidates(text, text, integer) TO ${APP_ROLE}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Going back to one address per database would have to drop memberships: refuse instead.
    await queryRunner.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM members GROUP BY email HAVING count(*) > 1) THEN
        RAISE EXCEPTION 'Cannot revert MembersPerAgency: some e-mail addresses belong to members of several agencies';
      END IF;
    END $$`);
    await queryRunner.query(`DROP FUNCTION app_auth_member_candidates(text, text, integer)`);
    await queryRunner.query(`CREATE FUNCTION app_auth_member_owner(p_email text) RETURNS TABLE (id uuid, agency_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
      AS $$ SELECT m.id, m.agency_id FROM members m WHERE m.email = p_email $$`);
    await grantToAppRole(queryRunner, `GRANT EXECUTE ON FUNCTION app_auth_member_owner(text) TO ${APP_ROLE}`);
    await queryRunner.query(`DROP INDEX "public"."UQ_members_agency_email"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_members_email"`);
    await queryRunner.query(`ALTER TABLE "members" ADD CONSTRAINT "UQ_2714af51e3f7dd42cf66eeb08d6" UNIQUE ("email")`);
  }
}
