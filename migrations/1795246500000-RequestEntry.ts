import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantToAppRole } from './1795243000000-RowLevelSecurity';

/**
 * One prepared statement to start a signed-in request (TenantScope.open): sets the agency on the
 * connection for the session, then re-reads the member under that agency's row-level security.
 * A function, because within one plain statement PostgreSQL does not promise to run the
 * set_config before the members scan reads the setting. SECURITY INVOKER: it can do nothing the
 * caller could not.
 */
export class RequestEntry1795246500000 implements MigrationInterface {
  name = 'RequestEntry1795246500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION app_enter(p_agency uuid, p_member uuid)
      RETURNS TABLE (id uuid, agency_id uuid, role text, client_id uuid, deactivated_at timestamptz)
      LANGUAGE plpgsql VOLATILE
      AS $$
      BEGIN
        PERFORM set_config('app.agency_id', p_agency::text, false);
        RETURN QUERY SELECT m.id, m.agency_id, m.role::text, m.client_id, m.deactivated_at FROM public.members m WHERE m.id = p_member;
      END
      $$`);
    await grantToAppRole(queryRunner, `GRANT EXECUTE ON FUNCTION app_enter(uuid, uuid) TO agency_graph_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION app_enter(uuid, uuid)`);
  }
}
