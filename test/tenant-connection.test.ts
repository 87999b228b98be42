import { Client } from 'pg';
import { MemberChangedError, TenantScope } from '../src/db/tenant-scope';
import { Role } from '../src/common/role';
import { startTestServer, TestAgency, TestServer } from './support/server';

/**
 * The request's connection (TenantScope): reads run outside transactions, on a connection whose
 * agency is set for the session in the round trip that re-reads the member; writes commit before
 * the response; a connection handed to anything but a scope acts for no agency.
 */
let t: TestServer;
let acme: TestAgency;
let rival: TestAgency;
let db: Client;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
  rival = await t.createAgency();
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

it('answers a read with the member check and the page, and no transaction around them', async () => {
  t.sql.reset();
  const res = await t.gql('{ clients(first: 5) { totalCount edges { node { name } } } }', {}, acme.token);
  expect(res.errors).toBeUndefined();
  const statements = t.sql.statements;
  expect(statements.some((s) => /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(s))).toBe(false);
  // The agency set and the member re-read in one statement, then the page with its count.
  expect(statements[0]).toMatch(/FROM app_enter\(\$1, \$2\)/);
  expect(t.sql.parameters[0]).toEqual([acme.agencyId, acme.memberId]);
  expect(statements).toHaveLength(2);
  expect(await openTransactions()).toBe(0);
});

it('sets the agency of an API key on a connection that last acted for another agency, and only then', async () => {
  const created = await t.gql<{ createApiKey: { secret: string } }, object>('mutation { createApiKey(name: "lister", scopes: [READ]) { secret } }', {}, acme.token);
  const { secret } = created.data!.createApiKey;
  await t.gql('{ clients(first: 1) { totalCount } }', {}, rival.token);
  t.sql.reset();
  const first = await t.gql<{ clients: { edges: Array<{ node: { name: string } }> } }, object>('{ clients(first: 5) { edges { node { name } } } }', {}, secret);
  expect(first.errors).toBeUndefined();
  expect(t.sql.statements.filter((s) => s.startsWith(`SELECT set_config('app.agency_id', $1, false)`))).toHaveLength(1);
  expect(t.sql.parameters[t.sql.statements.findIndex((s) => s.startsWith('SELECT set_config'))]).toEqual([acme.agencyId]);
  t.sql.reset();
  await t.gql('{ clients(first: 5) { edges { node { name } } } }', {}, secret);
  expect(t.sql.statements.filter((s) => s.startsWith('SELECT set_config'))).toHaveLength(0);
});

it('hands a connection a scope used to anything else with no agency set', async () => {
  const scope = await TenantScope.open(t.server.db, acme.agencyId, acme.memberId);
  const [{ pid, agency }] = await scope.manager.query(`SELECT pg_backend_pid() AS pid, current_setting('app.agency_id', true) AS agency`);
  expect(agency).toBe(acme.agencyId);
  await scope.close(true);
  // pg's pool hands out the connection released last: the same backend, reset to no agency.
  const [after] = await t.server.db.query(`SELECT pg_backend_pid() AS pid, current_setting('app.agency_id', true) AS agency`);
  expect(after.pid).toBe(pid);
  expect(after.agency).toBe('');
  // A scope for another agency on that connection acts for that agency only.
  const other = await TenantScope.open(t.server.db, rival.agencyId);
  const [again] = await other.manager.query(`SELECT pg_backend_pid() AS pid, current_setting('app.agency_id', true) AS agency`);
  await other.close(true);
  expect(again).toEqual({ pid, agency: rival.agencyId });
});

it('commits a write made while reading (an API key’s lastUsedAt) before the response', async () => {
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

it('keeps serving reads of a request after one of its statements failed', async () => {
  // A forged cursor is refused before SQL; a statement that fails in the database is needed:
  // a sibling field failing must not take the other one down (no aborted transaction between them).
  const scope = await TenantScope.open(t.server.db, acme.agencyId);
  await expect(scope.manager.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
  const [row] = await scope.manager.query('SELECT 41 + 1 AS n');
  await scope.close(true);
  expect(row.n).toBe(42);
});

describe('acting for a member this node has seen, before the database confirms them', () => {
  const identity = (agency: TestAgency, role: Role = Role.AGENCY_ADMIN) => ({ id: agency.memberId, agencyId: agency.agencyId, role, clientId: null, deactivatedAt: null });

  it('confirms the member it expected, answers the query sent with the re-read, and writes', async () => {
    const scope = await TenantScope.openSpeculative(t.server.db, identity(acme));
    // Sent at once, in the same write as the member re-read.
    const rows = await scope.manager.query(`SELECT current_setting('app.agency_id', true) AS agency`);
    expect(rows).toEqual([{ agency: acme.agencyId }]);
    expect(await scope.verification).toBe(true);
    expect(scope.member).toMatchObject({ id: acme.memberId, agencyId: acme.agencyId, role: 'AGENCY_ADMIN' });
    const written = await scope.write((em) => em.query(`SELECT 1 AS one`));
    expect(written).toEqual([{ one: 1 }]);
    await scope.close(true);
  });

  it('says so when the member is not the one expected, and writes nothing', async () => {
    const scope = await TenantScope.openSpeculative(t.server.db, identity(acme, Role.ANALYST));
    expect(await scope.verification).toBe(false);
    await expect(scope.write(async (em) => em.query(`UPDATE clients SET name = 'never' WHERE agency_id = $1`, [acme.agencyId]))).rejects.toBeInstanceOf(MemberChangedError);
    await scope.close(true);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM clients WHERE name = 'never'`);
    expect(rows[0].n).toBe(0);
  });

  it('runs a request again the usual way when the member changed since this node saw them', async () => {
    // Seen by this node: the next request acts at once, with one re-read.
    await t.gql('{ viewer { role } }', {}, acme.token);
    t.sql.reset();
    const seen = await t.gql<{ viewer: { role: string } }, object>('{ viewer { role } clients(first: 1) { totalCount } }', {}, acme.token);
    expect(seen.data!.viewer.role).toBe('AGENCY_ADMIN');
    expect(t.sql.statements.filter((s) => s.includes('app_enter('))).toHaveLength(1);
    // The member changes behind this node's back.
    await db.query(`UPDATE members SET role = 'ANALYST' WHERE id = $1`, [acme.memberId]);
    try {
      t.sql.reset();
      const changed = await t.gql<{ viewer: { role: string } }, object>('{ viewer { role } clients(first: 1) { totalCount } }', {}, acme.token);
      expect(changed.errors).toBeUndefined();
      expect(changed.data!.viewer.role).toBe('ANALYST');
      // The speculative run's re-read, then the usual one of the run that answered.
      expect(t.sql.statements.filter((s) => s.includes('app_enter('))).toHaveLength(2);
      const write = await t.gql('mutation { createClient(input: { name: "Analyst write" }) { id } }', {}, acme.token);
      expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      await db.query(`UPDATE members SET role = 'AGENCY_ADMIN' WHERE id = $1`, [acme.memberId]);
    }
  });
});
