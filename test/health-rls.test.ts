import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { setClock } from '../src/common/clock';
import {
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  HealthTestRecordDocument,
  HealthTestShopDocument,
  HealthTestUpdateSettingsDocument,
  TiersTestCreatorDocument,
} from './generated/graphql';
import { TEST_DATABASE_URL } from './support/database';
import { startTestServer, TestAgency, TestServer } from './support/server';

/**
 * Health, settings and the tier refresh behind the second wall: the API connected as a role that
 * owns no table (row-level security applies), as operators run it. The tier refresh writes from a
 * read request's transaction; it must work there too.
 */
const appRole = `agtest_${randomBytes(4).toString('hex')}`;
let owner: TestServer;
let api: TestServer;
let acme: TestAgency;

async function superuser(sql: string): Promise<void> {
  const client = new PgClient({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

beforeAll(async () => {
  setClock('2026-06-15T12:00:00Z');
  owner = await startTestServer();
  await superuser(`CREATE ROLE ${appRole} LOGIN IN ROLE agency_graph_app`);
  const url = new URL(owner.database.url);
  url.username = appRole;
  api = await startTestServer({ shareDatabaseOf: owner, env: { DATABASE_URL: url.toString() } });
  acme = await api.createAgency('Acme RLS health');
});

afterAll(async () => {
  setClock();
  await api?.stop();
  await owner?.stop();
  await superuser(`DROP ROLE IF EXISTS ${appRole}`);
});

it('records and reads health, updates settings and refreshes tiers as the app role', async () => {
  const clientId = (await api.ok(CreateClientDocument, { input: { name: 'Brand' } }, acme.token)).createClient.id;
  const { createShop } = await api.ok(
    CreateShopDocument,
    { input: { clientId, name: 'Shop', externalId: 'rls-1', region: 'US', currency: 'USD', timeZone: 'UTC' } },
    acme.token,
  );
  const { recordShopHealth } = await api.ok(HealthTestRecordDocument, { shopId: createShop.id, input: { date: '2026-06-01', lateDispatchRate: 0.05 } }, acme.token);
  expect(recordShopHealth.risks[0].level).toBe('BREACH');
  await api.ok(HealthTestUpdateSettingsDocument, { input: { healthThresholds: [{ metric: 'LATE_DISPATCH_RATE', threshold: 0.06 }] } }, acme.token);
  const { shop } = await api.ok(HealthTestShopDocument, { id: createShop.id, range: { from: '2026-06-01', to: '2026-06-30' } }, acme.token);
  expect(shop!.health!.risks[0].level).toBe('AT_RISK');

  const { createCreator } = await api.ok(CreateCreatorDocument, { input: { handle: 'rls_creator', followerCount: 1 } }, acme.token);
  const creatorId = Buffer.from(createCreator.id, 'base64url').toString().split(':')[1];
  await owner.server.db.query(`UPDATE creators SET created_at = '2025-01-01', tier_as_of = NULL WHERE id = $1`, [creatorId]);
  await owner.server.db.query(
    `INSERT INTO metric_rollups (agency_id, shop_id, dimension, subject_id, day, currency, gmv_minor, orders) VALUES ($1, $2, 'R', $3, '2026-06-14', 'USD', 1200000, 3)`,
    [acme.agencyId, Buffer.from(createShop.id, 'base64url').toString().split(':')[1], creatorId],
  );
  expect((await api.ok(TiersTestCreatorDocument, { id: createCreator.id }, acme.token)).creator!.tier).toBe('STAR');
  const [stored] = await owner.server.db.query(`SELECT tier, to_char(tier_as_of, 'YYYY-MM-DD') AS as_of FROM creators WHERE id = $1`, [creatorId]);
  expect(stored).toEqual({ tier: 'STAR', as_of: '2026-06-15' });
});
