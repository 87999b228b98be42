import { Client as PgClient } from 'pg';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

/**
 * A write the response reports is a write the database keeps: each mutation commits before its
 * result is resolved, so a later failure in the same request (a nested read that times out on a
 * lock, a sibling mutation's error) cannot roll it back.
 */
let t: TestServer;
let acme: TestAgency;

beforeAll(async () => {
  t = await startTestServer({ env: { STATEMENT_TIMEOUT_MS: '1000' } });
  acme = await t.createAgency();
});
afterAll(() => t.stop());

async function countClients(): Promise<{ names: string[]; audited: number }> {
  const res = await t.gql<{ clients: { edges: Array<{ node: { name: string } }> }; auditLog: { totalCount: number } }, object>(
    '{ clients(first: 100) { edges { node { name } } } auditLog(first: 1, filter: { operations: ["createClient"] }) { totalCount } }',
    {},
    acme.token,
  );
  expect(res.errors).toBeUndefined();
  return { names: res.data!.clients.edges.map((e) => e.node.name).sort(), audited: res.data!.auditLog.totalCount };
}

/** Holds an ACCESS EXCLUSIVE lock on `table` from a connection of its own until released. */
async function lockTable(table: string): Promise<{ release: () => Promise<void> }> {
  const pg = new PgClient({ connectionString: t.database.url });
  await pg.connect();
  await pg.query('BEGIN');
  await pg.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
  return {
    release: async () => {
      await pg.query('ROLLBACK');
      await pg.end();
    },
  };
}

describe('mutations commit on their own', () => {
  it('keeps every write when a nested read after one of them times out on a lock', async () => {
    const brand = await t.gql<{ createClient: { id: string } }, object>('mutation { createClient(input: { name: "Integrity Brand" }) { id } }', {}, acme.token);
    const before = await countClients();
    const lock = await lockTable('shops');
    let res;
    try {
      // The viewer's client.shops waits on the lock until the statement timeout (1 s) cancels it.
      res = await t.gql<{ first: { id: string }; second: { id: string; client: unknown }; third: { id: string } }, object>(
        `mutation {
          first: createClient(input: { name: "Integrity A" }) { id }
          second: createMember(input: { email: "viewer-${Date.now()}@example.com", name: "Viewer", role: CLIENT_VIEWER, clientId: "${brand.data!.createClient.id}", password: "a-long-enough-password" }) {
            id client { shops(first: 1) { totalCount } }
          }
          third: createClient(input: { name: "Integrity C" }) { id }
        }`,
        {},
        acme.token,
      );
    } finally {
      await lock.release();
    }
    // The nested read failed and says so; every mutation's own result is there…
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].path).toEqual(['second', 'client', 'shops']);
    expect(res.data?.second.client).toBeNull();
    expect(res.data?.first.id).toEqual(expect.any(String));
    expect(res.data?.second.id).toEqual(expect.any(String));
    expect(res.data?.third.id).toEqual(expect.any(String));
    // …and what the response reported is what the database holds, audit entries included.
    const after = await countClients();
    expect(after.names).toEqual([...before.names, 'Integrity A', 'Integrity C'].sort());
    expect(after.audited).toBe(before.audited + 2);
    const member = await t.gql<{ node: { id: string } | null }, object>(`{ node(id: "${res.data!.second.id}") { id } }`, {}, acme.token);
    expect(member.data?.node?.id).toBe(res.data!.second.id);
  });

  it('keeps the first write when a sibling mutation fails its own rules', async () => {
    const before = await countClients();
    const res = await t.gql<Record<string, { id: string } | null>, object>(
      `mutation {
        ok: createClient(input: { name: "Integrity D" }) { id }
        bad: updateClient(id: "${Buffer.from('Client:00000000-0000-0000-0000-000000000000').toString('base64url')}", input: { name: "x" }) { id }
      }`,
      {},
      acme.token,
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    // updateClient returns Client!, so GraphQL nulls the whole `data`; the committed write stays.
    const after = await countClients();
    expect(after.names).toEqual([...before.names, 'Integrity D'].sort());
    expect(after.audited).toBe(before.audited + 1);
  });
});
