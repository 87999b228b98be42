import { DataSource } from 'typeorm';
import { Campaign, CampaignObjective } from '../src/modules/campaign/campaign.entity';
import { CampaignProduct } from '../src/modules/campaign/campaign-product.entity';
import { CampaignEnrollment } from '../src/modules/campaign/enrollment.entity';
import { Client } from '../src/modules/client/client.entity';
import { Creator } from '../src/modules/creator/creator.entity';
import { Product } from '../src/modules/product/product.entity';
import { Shop } from '../src/modules/shop/shop.entity';
import { DeepTreeDocument, EnrollmentFilter } from './generated/graphql';
import { EnrollmentStatus } from '../src/modules/campaign/enrollment.entity';
import { startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;

beforeAll(async () => {
  // The deep tree is priced for full lists (500 products a campaign) though its data is small:
  // statement counts, not the cost limit, are under test here.
  t = await startTestServer({ env: { QUERY_MAX_COST: '20000000' } });
});
afterAll(() => t.stop());

/**
 * Fills an agency with `n` rows at every level of clients -> shops -> (products, campaigns)
 * -> enrollments -> creators, spread unevenly over their parents.
 */
async function fillAgency(db: DataSource, agencyId: string, n: number): Promise<void> {
  const pick = <T>(rows: T[], i: number) => rows[(i * 7) % Math.max(1, Math.ceil(rows.length / 2))];
  const clients = await db.getRepository(Client).save(Array.from({ length: n }, (_, i) => ({ agencyId, name: `Client ${i}` })));
  const shops = await db.getRepository(Shop).save(
    Array.from({ length: n }, (_, i) => ({
      agencyId,
      clientId: pick(clients, i).id,
      name: `Shop ${i}`,
      externalId: `ext-${n}-${i}`,
      region: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
    })),
  );
  const products = await db.getRepository(Product).save(
    Array.from({ length: n }, (_, i) => {
      const shop = pick(shops, i);
      return { agencyId, shopId: shop.id, sku: `SKU-${i}`, title: `Product ${i}`, currency: 'USD', priceMinor: 1000 + i, unitCostMinor: 400 };
    }),
  );
  const campaigns = await db.getRepository(Campaign).save(
    Array.from({ length: n }, (_, i) => {
      const shop = pick(shops, i);
      return {
        agencyId,
        shopId: shop.id,
        clientId: shop.clientId,
        name: `Campaign ${i}`,
        objective: CampaignObjective.SALES,
        startDate: '2026-01-01',
        currency: 'USD',
        commissionRateBps: 1000,
      };
    }),
  );
  await db.getRepository(CampaignProduct).save(
    products.map((p, i) => ({ agencyId, productId: p.id, campaignId: campaigns.find((c) => c.shopId === p.shopId)?.id ?? pick(campaigns, i).id })),
  );
  const creators = await db.getRepository(Creator).save(
    Array.from({ length: n }, (_, i) => ({ agencyId, handle: `creator_${n}_${i}`, followerCount: 1000 * i, niches: ['beauty'] })),
  );
  await db.getRepository(CampaignEnrollment).save(
    creators.map((creator, i) => ({ agencyId, campaignId: pick(campaigns, i).id, creatorId: creator.id })),
  );
}

async function statementsFor(agency: TestAgency, enrollmentFilter: EnrollmentFilter | null = null): Promise<{ count: number; clients: number }> {
  t.sql.reset();
  const data = await t.ok(DeepTreeDocument, { first: 50, inner: 5, enrollmentFilter }, agency.token);
  return { count: t.sql.count, clients: data.clients.edges.length };
}

describe('a deep nested query', () => {
  it('runs the same number of SQL statements with 10 and with 50 rows per level', async () => {
    const small = await t.createAgency('Small Agency');
    const large = await t.createAgency('Large Agency');
    await fillAgency(t.server.db, small.agencyId, 10);
    await fillAgency(t.server.db, large.agencyId, 50);

    const few = await statementsFor(small);
    const many = await statementsFor(large);
    expect(few.clients).toBe(10);
    expect(many.clients).toBe(50);
    expect(many.count).toBe(few.count);
    // The caller (with the agency setting when the connection needs it), then a page
    // query and a count per connection level, and one per relation.
    expect(many.count).toBeLessThanOrEqual(17);
    console.log(`deep query (clients -> shops -> campaigns -> enrollments -> creator): ${few.count} statements at 10 rows/level, ${many.count} at 50`);
  });

  it('stays at the same number of statements with a status filter on Campaign.enrollments', async () => {
    const small = await t.createAgency('Small Filtered Agency');
    const large = await t.createAgency('Large Filtered Agency');
    await fillAgency(t.server.db, small.agencyId, 10);
    await fillAgency(t.server.db, large.agencyId, 50);
    // Matches every enrollment fillAgency makes (INVITED), so every level below has rows to load.
    const filter: EnrollmentFilter = { status: ['POSTED', 'INVITED'] };

    const unfiltered = await statementsFor(small);
    const few = await statementsFor(small, filter);
    const many = await statementsFor(large, filter);
    expect(few.count).toBe(unfiltered.count);
    expect(many.count).toBe(few.count);
  });

  it('filters Campaign.enrollments under every campaign of a deep query', async () => {
    const agency = await t.createAgency('Filtered Checked Agency');
    await fillAgency(t.server.db, agency.agencyId, 10);
    // Every other enrollment moves to ACCEPTED (set directly: the state machine is not under test).
    const rows = await t.server.db.getRepository(CampaignEnrollment).find({ where: { agencyId: agency.agencyId }, order: { id: 'ASC' } });
    const accepted = rows.filter((_, i) => i % 2 === 0);
    for (const row of accepted) await t.server.db.getRepository(CampaignEnrollment).update({ id: row.id }, { status: EnrollmentStatus.ACCEPTED });

    const data = await t.ok(DeepTreeDocument, { first: 50, inner: 5, enrollmentFilter: { status: ['ACCEPTED'] } }, agency.token);
    let seen = 0;
    for (const { node: client } of data.clients.edges) {
      for (const { node: shop } of client.shops.edges) {
        for (const { node: campaign } of shop.campaigns.edges) {
          for (const { node: enrollment } of campaign.enrollments.edges) {
            expect([enrollment.status, enrollment.campaign.id]).toEqual(['ACCEPTED', campaign.id]);
            seen++;
          }
          expect(campaign.enrollments.totalCount).toBe(campaign.enrollments.edges.length);
        }
      }
    }
    expect(seen).toBe(accepted.length);
  });

  it('returns the right rows under each parent, not just the right number of statements', async () => {
    const agency = await t.createAgency('Checked Agency');
    await fillAgency(t.server.db, agency.agencyId, 10);
    const data = await t.ok(DeepTreeDocument, { first: 50, inner: 5 }, agency.token);
    let enrollments = 0;
    for (const { node: client } of data.clients.edges) {
      for (const { node: shop } of client.shops.edges) {
        expect(shop.client.id).toBe(client.id);
        for (const { node: product } of shop.products.edges) expect(product.shop.id).toBe(shop.id);
        for (const { node: campaign } of shop.campaigns.edges) {
          expect(campaign.shop.id).toBe(shop.id);
          for (const { node: enrollment } of campaign.enrollments.edges) {
            expect(enrollment.campaign.id).toBe(campaign.id);
            expect(enrollment.creator.campaigns.edges.map((e) => e.node.id)).toContain(enrollment.id);
            enrollments++;
          }
          expect(campaign.enrollments.totalCount).toBe(campaign.enrollments.edges.length);
        }
        expect(shop.products.totalCount).toBe(shop.products.edges.length);
      }
    }
    expect(enrollments).toBe(10);
  });
});

describe('nested pages read the columns their query selects', () => {
  const tree = (extra: string) => `{ clients(first: 20) { edges { node { name
    shops(first: 5) { edges { node { name ${extra}
      campaigns(first: 10) { edges { node { name
        enrollments(first: 30) { edges { node { status creator { handle followerCount } } } } } } } } } } } } } }`;

  it('gives the same answer as whole rows, reading only the needed columns of each level', async () => {
    const agency = await t.createAgency('Narrow Columns Agency');
    await fillAgency(t.server.db, agency.agencyId, 10);
    t.sql.reset();
    const narrow = await t.gql<{ clients: unknown }, object>(tree(''), {}, agency.token);
    expect(narrow.errors).toBeUndefined();
    const narrowSql = t.sql.work;
    // timeZone is a plain field too, but the shop's metrics field has a resolver: whole shop rows.
    t.sql.reset();
    const wide = await t.gql<{ clients: { edges: Array<{ node: { shops: { edges: Array<{ node: Record<string, unknown> }> } } }> } }, object>(
      tree('metrics(range: { from: "2026-01-01", to: "2026-01-02" }) { totals { orders } }'),
      {},
      agency.token,
    );
    expect(wide.errors).toBeUndefined();
    const wideSql = t.sql.work;
    const strip = (data: unknown) => JSON.parse(JSON.stringify(data, (k, v) => (k === 'metrics' ? undefined : v)));
    expect(strip(wide.data)).toEqual(narrow.data);
    expect(JSON.stringify(narrow.data)).toMatch(/creator_10_/);

    const page = (sql: string[], table: string) => sql.find((s) => s.includes(`FROM "${table}"`) && s.includes('LATERAL'))!;
    expect(page(narrowSql, 'shops')).not.toMatch(/"time_zone"/);
    expect(page(wideSql, 'shops')).toMatch(/"time_zone"/);
    // Enrollments: the status and the creator's id for the creator field, not the brief or the sample.
    expect(page(narrowSql, 'campaign_enrollments')).toMatch(/"creator_id"/);
    expect(page(narrowSql, 'campaign_enrollments')).not.toMatch(/"sample_tracking_number"|"brief_version"/);
    expect(page(narrowSql, 'campaigns')).not.toMatch(/"commission_rate_bps"/);
  });

  it('loads one nested list under two aliases with different fields correctly', async () => {
    const agency = await t.createAgency('Alias Columns Agency');
    await fillAgency(t.server.db, agency.agencyId, 5);
    const res = await t.gql<{ clients: { edges: Array<{ node: { a: { edges: Array<{ node: Record<string, unknown> }> }; b: { edges: Array<{ node: Record<string, unknown> }> } } }> } }, object>(
      '{ clients(first: 5) { edges { node { a: shops(first: 5) { edges { node { name } } } b: shops(first: 5) { edges { node { name timeZone region } } } } } } }',
      {},
      agency.token,
    );
    expect(res.errors).toBeUndefined();
    const shops = res.data!.clients.edges.flatMap((e) => e.node.b.edges.map((s) => s.node));
    expect(shops.length).toBeGreaterThan(0);
    expect(shops.every((s) => s.timeZone === 'America/New_York' && s.region === 'US' && typeof s.name === 'string')).toBe(true);
    for (const { node } of res.data!.clients.edges) expect(node.a.edges.map((e) => e.node.name)).toEqual(node.b.edges.map((e) => e.node.name));
  });
});
