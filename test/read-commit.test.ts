import { Client } from 'pg';
import { startTestServer, TestAgency, TestServer } from './support/server';

/**
 * A request's read transaction that only read commits as its response leaves, without holding
 * the response for the round trip (TenantScope.readOnly); one that wrote (an API key's
 * lastUsedAt) is committed before the response, like any write.
 */
let t: TestServer;
let acme: TestAgency;
let db: Client;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
  db = new Client({ connectionString: t.database.url });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.stop();
});

async function openTransactions(): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
  );
  return rows[0].n;
}

it('sends the COMMIT of a read before the response arrives, and the connection goes back idle', async () => {
  t.sql.reset();
  const res = await t.gql('{ clients(first: 5) { totalCount edges { node { name } } } }', {}, acme.token);
  expect(res.errors).toBeUndefined();
  const statements = t.sql.statements;
  expect(statements[0]).toMatch(/^START TRANSACTION/);
  expect(statements[statements.length - 1]).toBe('COMMIT');
  let open = await openTransactions();
  for (let i = 0; i < 20 && open > 0; i++) {
    await new Promise((r) => setTimeout(r, 25));
    open = await openTransactions();
  }
  expect(open).toBe(0);
});

it('commits a read transaction that wrote (an API key’s lastUsedAt) before the response', async () => {
  const created = await t.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }, object>(
    'mutation { createApiKey(name: "reader", scopes: [READ]) { secret apiKey { id } } }',
    {},
    acme.token,
  );
  expect(created.errors).toBeUndefined();
  const { secret } = created.data!.createApiKey;
  const res = await t.gql('{ clients(first: 1) { edges { node { id } } } }', {}, secret);
  expect(res.errors).toBeUndefined();
  // Read at once on another connection: the update is already committed.
  const { rows } = await db.query(`SELECT last_used_at FROM api_keys WHERE name = 'reader'`);
  expect(rows[0].last_used_at).toBeInstanceOf(Date);
});
