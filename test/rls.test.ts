import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { createAgencyCommand } from '../src/cli/agency-create';
import { loadConfig } from '../src/config';
import { AccessTestCreateMemberDocument, ClientsDocument, CreateApiKeyDocument, CreateClientDocument, LoginDocument, NodeDocument } from './generated/graphql';
import { sweepOverdueContent } from '../src/modules/content/content.service';
import { TEST_DATABASE_URL } from './support/database';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

/**
 * The second wall: row-level security. The API logs in as a role that owns no table and is
 * no superuser (a member of agency_graph_app, as the README tells operators to provision),
 * so PostgreSQL itself hides every row whose agency_id is not the request's.
 */
const appRole = `agtest_${randomBytes(4).toString('hex')}`;
let owner: TestServer; // migrates and owns the tables, as a deploy would
let api: TestServer; // the API node, connected as the app role
let acme: TestAgency;
let rival: TestAgency;
let appUrl: string;

async function asAppRole<T>(work: (c: PgClient) => Promise<T>): Promise<T> {
  const client = new PgClient({ connectionString: appUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function superuser(sql: string): Promise<void> {
  const client = new PgClient({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

beforeAll(async () => {
  owner = await startTestServer();
  await superuser(`CREATE ROLE ${appRole} LOGIN IN ROLE agency_graph_app`);
  const url = new URL(owner.database.url);
  url.username = appRole;
  appUrl = url.toString();
  api = await startTestServer({ shareDatabaseOf: owner, env: { DATABASE_URL: appUrl } });
  acme = await api.createAgency('Acme RLS');
  rival = await api.createAgency('Rival RLS');
  await api.ok(CreateClientDocument, { input: { name: 'Acme Brand' } }, acme.token);
  await api.ok(CreateClientDocument, { input: { name: 'Rival Brand' } }, rival.token);
});

afterAll(async () => {
  await api?.stop();
  await owner?.stop();
  await superuser(`DROP ROLE IF EXISTS ${appRole}`);
});

describe('row-level security', () => {
  it('runs the API as a role that owns no table and is not a superuser', async () => {
    const [role] = await asAppRole((c) => c.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user').then((r) => r.rows));
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await asAppRole((c) => c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`));
    expect(owned.rows).toEqual([]);
  });

  it('shows a raw query without the agency setting nothing at all', async () => {
    const counts = await asAppRole(async (c) => {
      const tables = ['agencies', 'members', 'clients', 'audit_log'];
      return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await c.query(`SELECT count(*) FROM ${t}`)).rows[0].count)])));
    });
    expect(counts).toEqual({ agencies: 0, members: 0, clients: 0, audit_log: 0 });
    // The rows are there: the owner sees them.
    const [{ count }] = await owner.server.db.query('SELECT count(*) FROM clients');
    expect(Number(count)).toBe(2);
  });

  it('shows one agency only its own rows, and refuses writes into another agency', async () => {
    await asAppRole(async (c) => {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.agency_id', $1, true)`, [acme.agencyId]);
      const names = (await c.query('SELECT name FROM clients')).rows.map((r) => r.name);
      expect(names).toEqual(['Acme Brand']);
      await expect(c.query(`INSERT INTO clients (agency_id, name) VALUES ($1, 'Smuggled')`, [rival.agencyId])).rejects.toThrow(/row-level security/);
      await c.query('ROLLBACK');
      // The setting was transaction-local: gone again.
      expect((await c.query('SELECT count(*) FROM clients')).rows[0].count).toBe('0');
    });
  });

  it('serves the API through the wall: sign-in, reads, writes and API keys work for the own agency only', async () => {
    const { login } = await api.ok(LoginDocument, { email: acme.email, password: 'correct-horse-battery' });
    const { clients } = await api.ok(ClientsDocument, {}, login.token);
    expect(clients.edges.map((e) => e.node.name)).toEqual(['Acme Brand']);
    const rivalClients = await api.ok(ClientsDocument, {}, rival.token);
    expect(rivalClients.clients.edges.map((e) => e.node.name)).toEqual(['Rival Brand']);
    expect((await api.ok(NodeDocument, { id: rivalClients.clients.edges[0].node.id }, acme.token)).node).toBeNull();

    const { createApiKey } = await api.ok(CreateApiKeyDocument, { name: 'BI tool', scopes: ['READ'] }, acme.token);
    const viaKey = await api.ok(ClientsDocument, {}, createApiKey.secret);
    expect(viaKey.clients.totalCount).toBe(1);
  });

  it('signs one address in to each of its agencies through the wall, reading each membership in its own scope', async () => {
    const created = await api.gql(
      AccessTestCreateMemberDocument,
      { input: { email: acme.email, name: 'Same person at Rival', role: 'ANALYST', password: 'rival-side-password' } },
      rival.token,
    );
    expect(codes(created)).toEqual([]);
    const atAcme = await api.ok(LoginDocument, { email: acme.email, password: 'correct-horse-battery' });
    const atRival = await api.ok(LoginDocument, { email: acme.email, password: 'rival-side-password' });
    expect(atAcme.login.member.agency.slug).toBe('acme-rls');
    expect(atRival.login.member.agency.slug).toBe('rival-rls');
    // The look-up past the wall names memberships (ids), never their data.
    const columns = await asAppRole((c) => c.query(`SELECT * FROM app_auth_member_candidates($1, NULL, 5)`, [acme.email]));
    expect(columns.fields.map((f) => f.name)).toEqual(['id', 'agency_id']);
    expect(columns.rows).toHaveLength(2);
  });

  it('creates agencies from the command line as the app role', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: appUrl, JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long' });
    await createAgencyCommand(['--name', 'Acme RLS', '--admin-email', 'cli@rls.test', '--admin-password', 'long-enough'], config);
    const { login } = await api.ok(LoginDocument, { email: 'cli@rls.test', password: 'long-enough' });
    // The slug check sees other agencies' slugs through its SECURITY DEFINER function.
    expect(login.member.agency.slug).toBe('acme-rls-2');
    expect(codes(await api.gql(ClientsDocument, {}, login.token))).toEqual([]);
  });

  it('covers every table that has an agency_id column', async () => {
    const rows: Array<{ table_name: string; rls: boolean; policies: string }> = await owner.server.db.query(`
      SELECT c.table_name, t.relrowsecurity AS rls, count(p.policyname)::text AS policies
      FROM information_schema.columns c
      JOIN pg_class t ON t.relname = c.table_name AND t.relkind = 'r'
      LEFT JOIN pg_policies p ON p.tablename = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'agency_id'
      GROUP BY c.table_name, t.relrowsecurity ORDER BY c.table_name`);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((r) => !r.rls || r.policies === '0')).toEqual([]);
  });

  it('runs the content workflow and the overdue sweep as the app role, one agency at a time', async () => {
    const token = acme.token;
    /* eslint-disable @typescript-eslint/no-explicit-any -- plain JSON responses */
    const ok = async (query: string, variables: Record<string, unknown>): Promise<any> => {
      const res = await api.gql<any, any>(query, variables, token);
      if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
      return res.data;
    };
    const { clients } = await api.ok(ClientsDocument, {}, token);
    const { createShop } = await ok(
      `mutation($c: ID!) { createShop(input: { clientId: $c, name: "RLS US", externalId: "rls-1", region: "US", currency: "USD", timeZone: "America/New_York" }) { id } }`,
      { c: clients.edges[0].node.id },
    );
    const { createCampaign } = await ok(
      `mutation($s: ID!) { createCampaign(input: { shopId: $s, name: "RLS", objective: SALES, startDate: "2026-01-01", commissionRateBps: 1000 }) { id } }`,
      { s: createShop.id },
    );
    const { createCreator } = await ok(`mutation { createCreator(input: { handle: "rls_creator", followerCount: 10 }) { id } }`, {});
    const { enrollCreators } = await ok(`mutation($c: ID!, $cr: ID!) { enrollCreators(campaignId: $c, creators: [{ creatorId: $cr }]) { id } }`, {
      c: createCampaign.id,
      cr: createCreator.id,
    });
    await ok(`mutation($id: ID!) { setEnrollmentStatus(id: $id, status: ACCEPTED) { id } }`, { id: enrollCreators[0].id });
    const { submitContent } = await ok(`mutation($e: ID!) { submitContent(input: { enrollmentId: $e, caption: "#ad", dueAt: "2026-01-02T00:00:00Z" }) { id } }`, {
      e: enrollCreators[0].id,
    });
    await ok(`mutation($id: ID!) { reviewContent(input: { contentId: $id, decision: CHANGES_REQUESTED }) { id } }`, { id: submitContent.id });
    const { node } = await ok(`query($id: ID!) { node(id: $id) { ... on Content { reviews { decision } enrollment { history { toStatus } } } } }`, { id: submitContent.id });
    expect(node).toEqual({ reviews: [{ decision: 'CHANGES_REQUESTED' }], enrollment: { history: [{ toStatus: 'INVITED' }, { toStatus: 'ACCEPTED' }, { toStatus: 'CONTENT_IN_REVIEW' }] } });

    // Without the agency setting the app role sees none of the workflow's rows.
    const hidden = await asAppRole(async (c) => {
      const tables = ['content', 'content_reviews', 'enrollment_events'];
      return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await c.query(`SELECT count(*) FROM ${t}`)).rows[0].count)])));
    });
    expect(hidden).toEqual({ content: 0, content_reviews: 0, enrollment_events: 0 });
    // The sweep finds the agency through its SECURITY DEFINER function and claims the late piece once.
    const events = await sweepOverdueContent(api.server.db, new Date('2030-01-01T00:00:00Z'));
    expect(events.map((e) => [e.agencyId, e.reason])).toEqual([[acme.agencyId, 'POST']]);
    expect(await sweepOverdueContent(api.server.db, new Date('2030-01-01T00:00:00Z'))).toEqual([]);
  });
});
