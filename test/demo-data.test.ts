import { Client as PgClient } from 'pg';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_TODAY } from '../src/cli/demo-data';
import {
  DemoDataTestCampaignsDocument,
  DemoDataTestCreatorsDocument,
  DemoDataTestTreeDocument,
  LoginDocument,
} from './generated/graphql';
import { startTestServer, TestServer } from './support/server';

/**
 * The demo agency tells a story in time: "oldest first" must be a real order (not uuid order),
 * and what depends on something was created after it.
 */
let t: TestServer;
let token: string;

beforeAll(async () => {
  // An empty database with SEED_DEMO loads the demo agency at boot, as `npm start` does.
  t = await startTestServer({ env: { SEED_DEMO: 'true' } });
  expect(t.server.seeded).toBe(true);
  token = (await t.ok(LoginDocument, { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD })).login.token;
});
afterAll(() => t.stop());

const ms = (iso: string) => Date.parse(iso);
const DEMO_NOW = ms(`${DEMO_TODAY}T23:59:59Z`);

function expectAllDistinct(instants: string[]): void {
  expect(new Set(instants).size).toBe(instants.length);
}

function expectAscending(instants: string[]): void {
  const sorted = [...instants].sort((a, b) => ms(a) - ms(b));
  expect(instants).toEqual(sorted);
}

describe('demo data timestamps', () => {
  it('puts the agency first, staff before the clients, a client before its shops and a shop before its products', async () => {
    const { agency, clients } = await t.ok(DemoDataTestTreeDocument, {}, token);
    const founded = ms(agency.createdAt);
    const members = agency.members.edges.map((e) => e.node);
    expect(members).toHaveLength(5);
    for (const m of members) expect(ms(m.createdAt)).toBeGreaterThan(founded);

    const clientNodes = clients.edges.map((e) => e.node);
    expect(clientNodes.map((c) => c.name)).toEqual(['Glowbar Skincare', 'Vitalroot Supplements', 'Hearth & Oak Home']);
    expectAscending(clientNodes.map((c) => c.createdAt));
    // The client viewer can only be invited once the client exists.
    const viewer = members.find((m) => m.client)!;
    expect(ms(viewer.createdAt)).toBeGreaterThan(ms(clientNodes.find((c) => c.id === viewer.client!.id)!.createdAt));

    const instants = [agency.createdAt, ...members.map((m) => m.createdAt)];
    for (const client of clientNodes) {
      expect(ms(client.createdAt)).toBeGreaterThan(founded);
      instants.push(client.createdAt);
      const shops = client.shops.edges.map((e) => e.node);
      expect(shops.length).toBeGreaterThan(0);
      expectAscending(shops.map((s) => s.createdAt));
      for (const shop of shops) {
        expect(ms(shop.createdAt)).toBeGreaterThan(ms(client.createdAt));
        instants.push(shop.createdAt);
        const products = shop.products.edges.map((e) => e.node.createdAt);
        expect(products.length).toBeGreaterThan(0);
        expectAscending(products);
        for (const p of products) expect(ms(p)).toBeGreaterThan(ms(shop.createdAt));
        instants.push(...products);
      }
    }
    expectAllDistinct(instants);
    for (const i of instants) expect(ms(i)).toBeLessThan(DEMO_NOW);
  });

  it('creates a campaign after its shop and before it starts, and each enrollment after its campaign and creator', async () => {
    const { campaigns } = await t.ok(DemoDataTestCampaignsDocument, {}, token);
    const nodes = campaigns.edges.map((e) => e.node);
    expect(nodes).toHaveLength(12);
    expectAscending(nodes.map((c) => c.createdAt));
    const instants: string[] = [];
    for (const campaign of nodes) {
      const created = ms(campaign.createdAt);
      expect(created).toBeGreaterThan(ms(campaign.shop.createdAt));
      expect(created).toBeLessThan(ms(`${campaign.startDate}T00:00:00Z`));
      expect(created).toBeLessThan(DEMO_NOW);
      instants.push(campaign.createdAt);

      const enrollments = campaign.enrollments.edges.map((e) => e.node);
      expect(enrollments).toHaveLength(campaign.enrollments.totalCount);
      expectAscending(enrollments.map((e) => e.createdAt));
      for (const e of enrollments) {
        expect(ms(e.createdAt)).toBeGreaterThan(created);
        expect(ms(e.createdAt)).toBeGreaterThan(ms(e.creator.createdAt));
        expect(ms(e.createdAt)).toBeLessThan(DEMO_NOW);
        instants.push(e.createdAt);
      }
    }
    expectAllDistinct(instants);
  });

  it('spreads creators over the months before DEMO_TODAY, each at its own instant', async () => {
    const creators: string[] = [];
    let after: string | null | undefined;
    do {
      const { creators: conn } = await t.ok(DemoDataTestCreatorsDocument, { after }, token);
      creators.push(...conn.edges.map((e) => e.node.createdAt));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : undefined;
    } while (after);

    expect(creators).toHaveLength(200);
    expectAllDistinct(creators);
    expectAscending(creators); // the default order is createdAt ascending
    // Spread: at least 15 different months, the newest within a few weeks of DEMO_TODAY.
    expect(new Set(creators.map((c) => c.slice(0, 7))).size).toBeGreaterThanOrEqual(15);
    expect(DEMO_NOW - ms(creators[creators.length - 1])).toBeLessThan(21 * 86_400_000);
  });

  it('keeps updatedAt at or after createdAt, with some products edited since (read from the database)', async () => {
    const pg = new PgClient({ connectionString: t.database.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ created: Date; updated: Date }>('SELECT created_at AS created, updated_at AS updated FROM products');
      expect(rows.length).toBeGreaterThan(30);
      for (const r of rows) {
        expect(r.updated.getTime()).toBeGreaterThanOrEqual(r.created.getTime());
        expect(r.updated.getTime()).toBeLessThan(DEMO_NOW);
      }
      expect(rows.filter((r) => r.updated > r.created).length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.updated.getTime() === r.created.getTime()).length).toBeGreaterThan(0);

      // No table keeps the single insert-time timestamp the demo used to have.
      for (const table of ['clients', 'shops', 'products', 'creators', 'campaigns', 'campaign_enrollments', 'campaign_products', 'members']) {
        const { rows: counts } = await pg.query<{ n: string; distinct: string }>(`SELECT count(*) AS n, count(DISTINCT created_at) AS distinct FROM ${table}`);
        expect({ table, distinct: counts[0].distinct }).toEqual({ table, distinct: counts[0].n });
      }
    } finally {
      await pg.end();
    }
  });
});
