import { gid, LedgerFixture, signedInMember } from './support/ledger';
import { buildSalesFixture, SalesFixture } from './support/sales-fixture';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

/** creatorLeaderboard against the hand-computed ledger of test/support/sales-fixture.ts. */

let t: TestServer;
let agency: TestAgency;
let f: SalesFixture;

beforeAll(async () => {
  t = await startTestServer();
  agency = await t.createAgency('Leaderboard Agency');
  f = await buildSalesFixture(t, agency);
});
afterAll(() => t.stop());

const QUERY = `query ($range: DateRangeInput!, $metric: LeaderboardMetric, $shopId: ID, $campaignId: ID, $first: Int, $currency: Currency) {
  creatorLeaderboard(range: $range, metric: $metric, shopId: $shopId, campaignId: $campaignId, first: $first, currency: $currency) {
    rank value creator { handle } metrics { periodStart gmv { amountMinor currency } orders views adSpend { amountMinor } commissions { amountMinor } roas } } }`;

interface Ranking {
  rank: number;
  value: number;
  creator: { handle: string };
  metrics: { periodStart: string; gmv: { amountMinor: number; currency: string }; orders: number; views: number; adSpend: { amountMinor: number }; commissions: { amountMinor: number }; roas: number | null };
}

const RANGE = { from: '2026-03-02', to: '2026-03-15' };

async function board(variables: Record<string, unknown>, token = agency.token): Promise<Ranking[]> {
  const data = await t.ok<{ creatorLeaderboard: Ranking[] }, unknown>(QUERY as never, { range: RANGE, ...variables }, token);
  return data.creatorLeaderboard;
}

const brief = (rows: Ranking[]) => rows.map((r) => [r.rank, r.creator.handle, r.value]);

describe('creatorLeaderboard', () => {
  it('ranks by GMV in major units, with each creator figures', async () => {
    const rows = await board({ shopId: gid('Shop', f.shopA) });
    expect(brief(rows)).toEqual([
      [1, 'alice', 80],
      [2, 'bob', 65.02],
    ]);
    expect(rows[0].metrics).toEqual({
      periodStart: '2026-03-02', gmv: { amountMinor: 8000, currency: 'USD' }, orders: 1, views: 1000, adSpend: { amountMinor: 0 }, commissions: { amountMinor: 1200 }, roas: null,
    });
  });

  it('ranks by orders, views, commissions and ROAS', async () => {
    const shopId = gid('Shop', f.shopA);
    expect(brief(await board({ shopId, metric: 'ORDERS' }))).toEqual([
      [1, 'bob', 2],
      [2, 'alice', 1],
    ]);
    expect(brief(await board({ shopId, metric: 'VIEWS' }))).toEqual([
      [1, 'alice', 1000],
      [2, 'bob', 200],
    ]);
    expect(brief(await board({ shopId, metric: 'COMMISSIONS' }))).toEqual([
      [1, 'alice', 12],
      [2, 'bob', 6],
    ]);
    // Only creators with ad spend have a ROAS: bob's video spent 10.00 for 65.02 of GMV.
    expect(brief(await board({ shopId, metric: 'ROAS' }))).toEqual([[1, 'bob', 6.502]]);
  });

  it('breaks ties by handle, ascending', async () => {
    // 03-02 .. 03-03: alice one order (O1), bob one order (O2).
    const rows = await board({ shopId: gid('Shop', f.shopA), metric: 'ORDERS', range: { from: '2026-03-02', to: '2026-03-03' } });
    expect(brief(rows)).toEqual([
      [1, 'alice', 1],
      [2, 'bob', 1],
    ]);

    const other = await t.createAgency('Tie Agency');
    const ledger = new LedgerFixture(t, other.agencyId);
    const shop = await ledger.shop(await ledger.client('Client'), 'JPY', 'Asia/Tokyo');
    const product = await ledger.product(shop, 'T', 1000, null);
    const creators = await Promise.all(['zoe', 'amy', 'mia', 'zed'].map((h) => ledger.creator(h)));
    await ledger.lines(
      shop,
      creators.map((creator, i) => ({
        externalId: `10000000000000000${i}`, orderId: `${i}`, product, creator, status: 'DELIVERED' as const, quantity: 1,
        gmvMinor: creator.handle === 'zed' ? 1500 : 1200, placedAt: '2026-03-05T03:00:00Z',
      })),
    );
    const ties = await board({ first: 3 }, other.token);
    // JPY has no minor unit: 1,200 yen is 1200.
    expect(brief(ties)).toEqual([
      [1, 'zed', 1500],
      [2, 'amy', 1200],
      [3, 'mia', 1200],
    ]);
  });

  it("ranks a campaign's creators by the sales attributed to it", async () => {
    const rows = await board({ campaignId: gid('Campaign', f.c1) });
    expect(brief(rows)).toEqual([
      [1, 'alice', 80],
      [2, 'bob', 40.02],
    ]);
    // Alice's video in C1 brought its views with it.
    expect(rows[0].metrics.views).toBe(1000);
    const mismatch = await t.gql(QUERY, { range: RANGE, campaignId: gid('Campaign', f.c1), shopId: gid('Shop', f.shopB) }, agency.token);
    expect(codes(mismatch)).toEqual(['BAD_USER_INPUT']);
    expect(mismatch.errors![0].extensions!.fields).toHaveProperty('campaignId');
  });

  it('never adds money across currencies: several currencies need currency or shopId', async () => {
    const mixed = await t.gql(QUERY, { range: RANGE }, agency.token);
    expect(codes(mixed)).toEqual(['BAD_USER_INPUT']);
    expect(mixed.errors![0].extensions!.fields!.currency[0]).toMatch(/several \(EUR, USD\)/);
    expect(brief(await board({ currency: 'USD' }))).toEqual([
      [1, 'alice', 80],
      [2, 'bob', 65.02],
    ]);
    const eur = await board({ currency: 'EUR' });
    expect(brief(eur)).toEqual([[1, 'bob', 10]]);
    expect(eur[0].metrics.gmv.currency).toBe('EUR');
    expect(await board({ currency: 'GBP' })).toEqual([]);
  });

  it('takes first from 1 to 100, and answers an empty range with an empty board', async () => {
    expect(brief(await board({ shopId: gid('Shop', f.shopA), first: 1 }))).toEqual([[1, 'alice', 80]]);
    for (const first of [0, 101]) {
      const result = await t.gql(QUERY, { range: RANGE, shopId: gid('Shop', f.shopA), first }, agency.token);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.fields).toHaveProperty('first');
    }
    expect(await board({ shopId: gid('Shop', f.shopA), range: { from: '2025-01-01', to: '2025-01-31' } })).toEqual([]);
    const reversed = await t.gql(QUERY, { range: { from: '2026-03-02', to: '2026-03-01' } }, agency.token);
    expect(codes(reversed)).toEqual(['BAD_USER_INPUT']);
  });

  it("treats another agency's shop and campaign as not found", async () => {
    const other = await t.createAgency('Prying Leaderboard Agency');
    const shop = await t.gql(QUERY, { range: RANGE, shopId: gid('Shop', f.shopA) }, other.token);
    expect(codes(shop)).toEqual(['NOT_FOUND']);
    expect(shop.errors![0].extensions!.fields).toHaveProperty('shopId');
    const campaign = await t.gql(QUERY, { range: RANGE, campaignId: gid('Campaign', f.c1) }, other.token);
    expect(codes(campaign)).toEqual(['NOT_FOUND']);
    expect(campaign.errors![0].extensions!.fields).toHaveProperty('campaignId');
    // Its own (empty) board shows none of ours.
    expect((await t.ok<{ creatorLeaderboard: Ranking[] }, unknown>(QUERY as never, { range: RANGE, currency: 'USD' }, other.token)).creatorLeaderboard).toEqual([]);
  });

  it("confines a CLIENT_VIEWER to their client's shops and creators", async () => {
    const viewerB = await signedInMember(t, agency.token, 'CLIENT_VIEWER', f.clientB.id);
    // Their shops share one currency (EUR): no argument needed; only bob sold there.
    expect(brief(await board({}, viewerB))).toEqual([[1, 'bob', 10]]);
    const hidden = await t.gql(QUERY, { range: RANGE, shopId: gid('Shop', f.shopA) }, viewerB);
    expect(codes(hidden)).toEqual(['NOT_FOUND']);
    const viewerA = await signedInMember(t, agency.token, 'CLIENT_VIEWER', f.clientA.id);
    expect(brief(await board({}, viewerA))).toEqual([
      [1, 'alice', 80],
      [2, 'bob', 65.02],
    ]);
  });

  it('is one SQL statement, creators included, and reads no order lines', async () => {
    t.sql.reset();
    await board({ shopId: gid('Shop', f.shopA), first: 20 });
    const work = t.sql.work;
    expect(work).toHaveLength(1);
    expect(work[0]).toMatch(/metric_rollups/);
    expect(work[0]).not.toMatch(/order_lines/);
  });
});
