import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AgencyGraphClient, ApiRequestError } from '../examples/client/example';
import { ClientsPageDocument } from '../examples/client/generated/graphql';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from '../src/cli/demo-data';
import { startTestServer, TestServer } from './support/server';

/** The typed-client recipe in examples/client: its generated file is fresh, and it works against the real API. */
const root = resolve(__dirname, '..');

describe('typed client codegen recipe', () => {
  it('generates exactly the committed examples/client/generated/graphql.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agency-graph-codegen-'));
    try {
      const out = join(dir, 'graphql.ts');
      execFileSync(join(root, 'node_modules/.bin/graphql-codegen'), ['--config', 'examples/client/codegen.ts'], {
        cwd: root,
        env: { ...process.env, CODEGEN_CLIENT_OUT: out },
        stdio: 'pipe',
      });
      const committed = readFileSync(join(root, 'examples/client/generated/graphql.ts'), 'utf8');
      // A difference means the schema or the operations changed: run `npm run codegen:client`.
      expect(readFileSync(out, 'utf8')).toBe(committed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('typed client example against the API', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => t.stop());

  it('signs in, pages through the clients by cursor and reads a campaign with its enrollments', async () => {
    const client = new AgencyGraphClient(t.server.url);
    expect(await client.signIn(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)).toEqual({ name: 'Avery Admin', role: 'AGENCY_ADMIN' });

    // Pages of two: three demo clients take two requests and one cursor.
    const clients = await client.allClients(2);
    expect(clients.map((c) => c.name)).toEqual(['Glowbar Skincare', 'Vitalroot Supplements', 'Hearth & Oak Home']);
    expect(clients[0].monthlyGmvTarget).toEqual({ amountMinor: 25_000_000, currency: 'USD' });
    const first = await client.request(ClientsPageDocument, { first: 2 });
    expect(first.clients).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const second = await client.request(ClientsPageDocument, { first: 2, after: first.clients.pageInfo.endCursor });
    expect(second.clients.edges.map((e) => e.node.name)).toEqual(['Hearth & Oak Home']);
    expect(second.clients.pageInfo.hasNextPage).toBe(false);

    const campaign = await client.firstActiveCampaign();
    expect(campaign).not.toBeNull();
    expect(campaign!.status).toBe('ACTIVE');
    expect(campaign!.enrollments.totalCount).toBeGreaterThan(10);
    expect(campaign!.enrollments.edges).toHaveLength(10);
    for (const { node } of campaign!.enrollments.edges) expect(node.creator.handle).toMatch(/^[a-z0-9._]+$/);
  });

  it('rejects with the API error codes: wrong password, no token, bad variables', async () => {
    const client = new AgencyGraphClient(t.server.url);
    const wrong = await client.signIn(DEMO_ADMIN_EMAIL, 'not-the-password').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiRequestError);
    expect((wrong as ApiRequestError).codes).toEqual(['UNAUTHENTICATED']);

    const anonymous = await client.allClients().catch((e: unknown) => e);
    expect((anonymous as ApiRequestError).codes).toEqual(['UNAUTHENTICATED']);

    await client.signIn(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD);
    const tooBig = await client.request(ClientsPageDocument, { first: 1000 }).catch((e: unknown) => e);
    expect((tooBig as ApiRequestError).codes).toEqual(['BAD_USER_INPUT']);
  });
});
