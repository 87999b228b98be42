import { EntityManager } from 'typeorm';

/**
 * Sets the agency row-level security admits for the rest of the current transaction: for
 * commands that create an agency's first rows (agency:create, the demo data) outside a request.
 */
export async function actAsAgency(em: EntityManager, agencyId: string): Promise<void> {
  await em.query(`SELECT set_config('app.agency_id', $1, true)`, [agencyId]);
}
