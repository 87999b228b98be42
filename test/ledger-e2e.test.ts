/**
 * The sales ledger end to end, through the public API only: order lines and daily stats in,
 * metrics, profit, leaderboard out, checked against figures computed by hand below (comments
 * show the arithmetic). The shop is in America/New_York, where clocks go forward on 2026-03-08.
 */
import { codes, startTestServer, TestServer } from './support/server';

let t: TestServer;
let token: string;
let shopId: string;
let campaignId: string;
const creatorIds: Record<string, string> = {};

const SHOP = `mutation ($clientId: ID!) { createShop(input: { clientId: $clientId, name: "E2E US", externalId: "7494000000000000001", region: "US", currency: "USD", timeZone: "America/New_York" }) { id platformFeeBps defaultCommissionRateBps } }`;

/** Nine lines; the hand-computed figures below follow from them. */
const LINES = [
  // Mar 5 (NY): order O1 has two lines; A is promoted by the campaign, B is not.
  { externalId: '100000000000000001', orderId: '5770000000000000001', productSku: 'A', creatorHandle: '@Alice', status: 'DELIVERED', quantity: 2, gmv: usd(4000), placedAt: '2026-03-05T15:00:00Z' },
  { externalId: '100000000000000002', orderId: '5770000000000000001', productSku: 'B', creatorHandle: 'alice', status: 'DELIVERED', quantity: 1, gmv: usd(1000), placedAt: '2026-03-05T15:00:00Z' },
  // A partial refund keeps the line's GMV and deducts the refund.
  { externalId: '100000000000000003', orderId: '5770000000000000002', productSku: 'A', creatorHandle: 'bob', status: 'DELIVERED', quantity: 1, gmv: usd(2000), refundedAmount: usd(1000), placedAt: '2026-03-05T23:30:00Z' },
  // Mar 6: a cancelled line and a free sample.
  { externalId: '100000000000000004', orderId: '5770000000000000003', productSku: 'A', creatorHandle: 'alice', status: 'CANCELLED', quantity: 1, gmv: usd(2000), placedAt: '2026-03-06T12:00:00Z' },
  { externalId: '100000000000000005', orderId: '5770000000000000004', productSku: 'A', creatorHandle: 'carol', status: 'DELIVERED', quantity: 1, gmv: usd(0), isSample: true, placedAt: '2026-03-06T12:00:00Z' },
  // 04:30 UTC on Mar 6 is 23:30 on Mar 5 in New York: a Mar 5 sale, unattributed.
  { externalId: '100000000000000006', orderId: '5770000000000000005', productSku: 'B', status: 'SHIPPED', quantity: 3, gmv: usd(3000), placedAt: '2026-03-06T04:30:00Z' },
  // Mar 7 (23:30 EST): the platform reports the rate.
  { externalId: '100000000000000007', orderId: '5770000000000000006', productSku: 'A', creatorHandle: 'alice', status: 'DELIVERED', quantity: 1, gmv: usd(2000), commissionRateBps: 1800, placedAt: '2026-03-08T04:30:00Z' },
  // Mar 8, the 23-hour day: 23:30 EDT and noon.
  { externalId: '100000000000000008', orderId: '5770000000000000007', productSku: 'A', creatorHandle: 'bob', status: 'DELIVERED', quantity: 1, gmv: usd(2000), placedAt: '2026-03-09T03:30:00Z' },
  // 1005 × 10 % = 100.5 -> 100 (half to even); fee 1005 × 8 % = 80.4 -> 80.
  { externalId: '100000000000000009', orderId: '5770000000000000008', productSku: 'B', creatorHandle: 'alice', status: 'DELIVERED', quantity: 1, gmv: usd(1005), placedAt: '2026-03-08T16:00:00Z' },
];

function usd(amountMinor: number) {
  return { amountMinor, currency: 'USD' };
}

const INGEST = `mutation ($shopId: ID!, $orders: [OrderInput!]!) { ingestOrders(shopId: $shopId, orders: $orders) { inserted updated unchanged rejected { index externalId code message } } }`;
const STATS = `mutation ($shopId: ID!, $stats: [DailyStatInput!]!) { ingestDailyStats(shopId: $shopId, stats: $stats) { inserted updated unchanged rejected { index code message } } }`;
const POINT = `periodStart gmv { amountMinor currency } orders units refunds { amountMinor } views clicks adSpend { amountMinor } commissions { amountMinor } aov { amountMinor } ctr cvr roas`;
const PROFIT = `gmv { amountMinor } refunds { amountMinor } netRevenue { amountMinor } cogs { amountMinor } platformFees { amountMinor } affiliateCommissions { amountMinor } adSpend { amountMinor } netProfit { amountMinor } margin`;

async function shopMetrics(from: string, to: string, granularity = 'DAY') {
  const res = await t.gql<{ shop: { metrics: { points: Array<Record<string, unknown>>; totals: Record<string, unknown>; previousTotals: Record<string, unknown> | null } } }, unknown>(
    `query ($id: ID!, $range: DateRangeInput!, $g: Granularity) { shop(id: $id) { metrics(range: $range, granularity: $g) { granularity points { ${POINT} } totals { ${POINT} } previousTotals { ${POINT} } } } }`,
    { id: shopId, range: { from, to }, g: granularity },
    token,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.shop.metrics;
}

beforeAll(async () => {
  t = await startTestServer();
  const agency = await t.createAgency('Ledger E2E');
  token = agency.token;
  const ok = async <R>(query: string, variables: Record<string, unknown>) => {
    const res = await t.gql<R, unknown>(query, variables, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data as R;
  };
  const { createClient } = await ok<{ createClient: { id: string } }>(`mutation { createClient(input: { name: "E2E Brand" }) { id } }`, {});
  const { createShop } = await ok<{ createShop: { id: string; platformFeeBps: number; defaultCommissionRateBps: number } }>(SHOP, { clientId: createClient.id });
  shopId = createShop.id;
  // The documented defaults the figures below rely on.
  expect(createShop.platformFeeBps).toBe(800);
  expect(createShop.defaultCommissionRateBps).toBe(1000);
  const { upsertProducts } = await ok<{ upsertProducts: Array<{ id: string }> }>(
    `mutation ($shopId: ID!) { upsertProducts(shopId: $shopId, products: [
      { sku: "A", title: "Serum", price: { amountMinor: 2000, currency: "USD" }, unitCost: { amountMinor: 800, currency: "USD" } },
      { sku: "B", title: "Balm", price: { amountMinor: 1000, currency: "USD" } }]) { id } }`,
    { shopId },
  );
  for (const handle of ['alice', 'bob', 'carol']) {
    const { createCreator } = await ok<{ createCreator: { id: string } }>(`mutation ($h: String!) { createCreator(input: { handle: $h, followerCount: 1000 }) { id } }`, { h: handle });
    creatorIds[handle] = createCreator.id;
  }
  const { createCampaign } = await ok<{ createCampaign: { id: string } }>(
    `mutation ($shopId: ID!, $products: [ID!]) { createCampaign(input: { shopId: $shopId, name: "March", objective: SALES, startDate: "2026-03-01", endDate: "2026-03-31", commissionRateBps: 1500, productIds: $products }) { id } }`,
    { shopId, products: [upsertProducts[0].id] },
  );
  campaignId = createCampaign.id;
  await ok(`mutation ($id: ID!) { setCampaignStatus(id: $id, status: ACTIVE) { id } }`, { id: campaignId });
  const { enrollCreators } = await ok<{ enrollCreators: Array<{ id: string }> }>(
    `mutation ($c: ID!, $alice: ID!, $bob: ID!) { enrollCreators(campaignId: $c, creators: [{ creatorId: $alice }, { creatorId: $bob, commissionRateBps: 1200 }]) { id } }`,
    { c: campaignId, alice: creatorIds.alice, bob: creatorIds.bob },
  );
  for (const e of enrollCreators) await ok(`mutation ($id: ID!) { setEnrollmentStatus(id: $id, status: ACCEPTED) { id } }`, { id: e.id });

  const ingested = await ok<{ ingestOrders: { inserted: number; rejected: unknown[] } }>(INGEST, { shopId, orders: LINES });
  expect(ingested.ingestOrders).toEqual({ inserted: 9, updated: 0, unchanged: 0, rejected: [] });
  const stats = await ok<{ ingestDailyStats: { inserted: number; rejected: unknown[] } }>(STATS, {
    shopId,
    stats: [
      { date: '2026-03-05', videoId: '7300000000000000001', creatorHandle: 'alice', views: 1000, clicks: 50 },
      { date: '2026-03-05', campaignId, views: 500, clicks: 10, adSpend: usd(2500) },
    ],
  });
  expect(stats.ingestDailyStats).toMatchObject({ inserted: 2, rejected: [] });
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('the sales ledger, end to end', () => {
  it('buckets days in the shop time zone, counts orders once, and prices every figure by the rules', async () => {
    const m = await shopMetrics('2026-03-05', '2026-03-08');
    expect(m.points.map((p) => p.periodStart)).toEqual(['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    const [mar5, mar6, mar7, mar8] = m.points;
    // Mar 5: L1 4000 + L2 1000 + L3 2000 + L6 3000; orders O1, O2, O5; units 2+1+1+3.
    expect(mar5).toMatchObject({ gmv: { amountMinor: 10000, currency: 'USD' }, orders: 3, units: 7, refunds: { amountMinor: 1000 } });
    // Commissions: 4000 × 15 % (campaign) + 1000 × 10 % (shop default: B is not promoted) + (2000 − 1000) × 12 % (bob's override).
    expect(mar5.commissions).toEqual({ amountMinor: 820 });
    // Views 1000 (video) + 500 (campaign); clicks 60; ad spend 2500. CTR 60/1500, CVR 3/60, ROAS 10000/2500.
    expect(mar5).toMatchObject({ views: 1500, clicks: 60, adSpend: { amountMinor: 2500 } });
    expect(mar5.ctr).toBeCloseTo(0.04, 10);
    expect(mar5.cvr).toBeCloseTo(0.05, 10);
    expect(mar5.roas).toBeCloseTo(4, 10);
    // AOV 10000 / 3 = 3333.33 -> 3333.
    expect(mar5.aov).toEqual({ amountMinor: 3333 });
    // Mar 6: only a cancelled line and a sample: nothing sold; ratios undefined.
    expect(mar6).toMatchObject({ gmv: { amountMinor: 0 }, orders: 0, units: 0, commissions: { amountMinor: 0 }, aov: null, ctr: null, cvr: null, roas: null });
    // Mar 7: the reported 18 % rate wins: 2000 × 18 %.
    expect(mar7).toMatchObject({ gmv: { amountMinor: 2000 }, orders: 1, commissions: { amountMinor: 360 } });
    // Mar 8 (23 hours): 2000 × 12 % + 1005 × 10 % = 240 + 100 (100.5 to even).
    expect(mar8).toMatchObject({ gmv: { amountMinor: 3005 }, orders: 2, units: 2, commissions: { amountMinor: 340 } });
    expect(m.totals).toMatchObject({ gmv: { amountMinor: 15005 }, orders: 6, units: 10, refunds: { amountMinor: 1000 }, commissions: { amountMinor: 1520 } });
    // 15005 / 6 = 2500.83 -> 2501.
    expect(m.totals.aov).toEqual({ amountMinor: 2501 });
    // The four days before: nothing.
    expect(m.previousTotals).toMatchObject({ gmv: { amountMinor: 0 }, orders: 0 });
  });

  it('gives one calendar-aligned bucket for a cut week and month, with the same totals', async () => {
    const week = await shopMetrics('2026-03-05', '2026-03-08', 'WEEK');
    expect(week.points).toHaveLength(1);
    expect(week.points[0]).toMatchObject({ periodStart: '2026-03-02', gmv: { amountMinor: 15005 }, orders: 6 });
    const month = await shopMetrics('2026-03-05', '2026-03-08', 'MONTH');
    expect(month.points).toEqual([expect.objectContaining({ periodStart: '2026-03-01', gmv: { amountMinor: 15005, currency: 'USD' } })]);
    const quarter = await shopMetrics('2026-03-05', '2026-03-08', 'QUARTER');
    expect(quarter.points).toEqual([expect.objectContaining({ periodStart: '2026-01-01', orders: 6 })]);
  });

  it('computes the shop profit with COGS, fees, commissions, ad spend and samples', async () => {
    const res = await t.gql<{ shop: { profit: Record<string, unknown> } }, unknown>(
      `query ($id: ID!) { shop(id: $id) { profit(range: { from: "2026-03-05", to: "2026-03-08" }) { ${PROFIT} } } }`,
      { id: shopId },
      token,
    );
    expect(res.errors).toBeUndefined();
    const p = res.data!.shop.profit;
    // Net revenue 15005 − 1000; COGS: A units 2 + 1 + 1 + 1 at 800 (B has no cost); fees 320+80+80+240+160+160+80.
    expect(p).toMatchObject({
      gmv: { amountMinor: 15005 },
      refunds: { amountMinor: 1000 },
      netRevenue: { amountMinor: 14005 },
      cogs: { amountMinor: 4000 },
      platformFees: { amountMinor: 1120 },
      affiliateCommissions: { amountMinor: 1520 },
      adSpend: { amountMinor: 2500 },
    });
    // 14005 − 4000 − 1120 − 1520 − 2500 − 800 (carol's sample at unit cost).
    expect(p.netProfit).toEqual({ amountMinor: 4065 });
    expect(p.margin).toBeCloseTo(4065 / 14005, 10);
  });

  it("prices each creator's sales for the brand: what they sold less COGS, fees, their commission and samples", async () => {
    const profitOf = async (handle: string) => {
      const res = await t.gql<{ creator: { profit: Record<string, unknown> } }, unknown>(
        `query ($id: ID!, $shopId: ID) { creator(id: $id) { profit(range: { from: "2026-03-05", to: "2026-03-08" }, shopId: $shopId) { ${PROFIT} cogsMissingUnits sampleCost { amountMinor } } } }`,
        { id: creatorIds[handle], shopId },
        token,
      );
      expect(res.errors).toBeUndefined();
      return res.data!.creator.profit;
    };
    // alice: 8005 net; COGS A 2+1 units × 800; B 2 units without cost; fees 320+80+160+80; commission 1160.
    expect(await profitOf('alice')).toMatchObject({
      netRevenue: { amountMinor: 8005 },
      cogs: { amountMinor: 2400 },
      cogsMissingUnits: 2,
      platformFees: { amountMinor: 640 },
      affiliateCommissions: { amountMinor: 1160 },
      netProfit: { amountMinor: 3805 },
    });
    // bob: 4000 − 1000 refunded; COGS 1600; fees 80 + 160; commission 120 + 240.
    expect(await profitOf('bob')).toMatchObject({ netRevenue: { amountMinor: 3000 }, netProfit: { amountMinor: 800 } });
    // carol only had a free sample: it cost the brand its unit cost.
    expect(await profitOf('carol')).toMatchObject({ gmv: { amountMinor: 0 }, sampleCost: { amountMinor: 800 }, netProfit: { amountMinor: -800 } });
  });

  it('ranks creators by GMV, in major units, with their figures', async () => {
    const res = await t.gql<{ creatorLeaderboard: Array<{ rank: number; value: number; creator: { handle: string }; metrics: Record<string, unknown> }> }, unknown>(
      `query ($shopId: ID) { creatorLeaderboard(range: { from: "2026-03-05", to: "2026-03-08" }, metric: GMV, shopId: $shopId, first: 2) { rank value creator { handle } metrics { gmv { amountMinor } orders commissions { amountMinor } } } }`,
      { shopId },
      token,
    );
    expect(res.errors).toBeUndefined();
    // alice: 4000 + 1000 + 2000 + 1005 (her cancelled line does not count); bob: 2000 + 2000.
    expect(res.data!.creatorLeaderboard).toEqual([
      { rank: 1, value: 80.05, creator: { handle: 'alice' }, metrics: { gmv: { amountMinor: 8005 }, orders: 3, commissions: { amountMinor: 1160 } } },
      { rank: 2, value: 40, creator: { handle: 'bob' }, metrics: { gmv: { amountMinor: 4000 }, orders: 2, commissions: { amountMinor: 360 } } },
    ]);
  });

  it("attributes the campaign's lines: promoted products of enrolled creators, inside its dates", async () => {
    const res = await t.gql<{ campaign: { metrics: { totals: Record<string, unknown> } } }, unknown>(
      `query ($id: ID!) { campaign(id: $id) { metrics(range: { from: "2026-03-05", to: "2026-03-08" }) { totals { ${POINT} } } } }`,
      { id: campaignId },
      token,
    );
    expect(res.errors).toBeUndefined();
    // L1, L3, L7, L8 (L2 and L9 are product B, not promoted; L6 has no creator; carol is not enrolled).
    expect(res.data!.campaign.metrics.totals).toMatchObject({
      gmv: { amountMinor: 10000 },
      refunds: { amountMinor: 1000 },
      orders: 4,
      commissions: { amountMinor: 1320 },
      adSpend: { amountMinor: 2500 },
    });
  });

  it('takes a retried batch as unchanged and a later refund as an update that moves the figures', async () => {
    const retry = await t.gql<{ ingestOrders: unknown }, unknown>(INGEST, { shopId, orders: LINES }, token);
    expect(retry.data?.ingestOrders).toEqual({ inserted: 0, updated: 0, unchanged: 9, rejected: [] });
    const refunded = { ...LINES[5], status: 'REFUNDED', refundedAmount: usd(3000) };
    const update = await t.gql<{ ingestOrders: unknown }, unknown>(INGEST, { shopId, orders: [refunded] }, token);
    expect(update.data?.ingestOrders).toEqual({ inserted: 0, updated: 1, unchanged: 0, rejected: [] });
    const m = await shopMetrics('2026-03-05', '2026-03-05');
    // The refund counts on the order's day; GMV keeps the line.
    expect(m.totals).toMatchObject({ gmv: { amountMinor: 10000 }, refunds: { amountMinor: 4000 }, orders: 3 });
    // Put it back as it was, for the other tests.
    await t.gql(INGEST, { shopId, orders: [LINES[5]] }, token);
  });

  it('rejects bad lines one by one with a code while the good ones commit', async () => {
    const base = { productSku: 'A', status: 'PLACED', quantity: 1, gmv: usd(2000), placedAt: '2026-03-10T12:00:00Z' };
    const res = await t.gql<{ ingestOrders: { inserted: number; rejected: Array<{ index: number; externalId: string; code: string }> } }, unknown>(
      INGEST,
      {
        shopId,
        orders: [
          { ...base, externalId: '200000000000000001' },
          { ...base, externalId: '200000000000000002', productSku: 'NOPE' },
          { ...base, externalId: '200000000000000003', creatorHandle: 'nobody' },
          { ...base, externalId: '200000000000000004', gmv: { amountMinor: 2000, currency: 'EUR' } },
          { ...base, externalId: '200000000000000005', refundedAmount: usd(2001) },
          { ...base, externalId: '200000000000000006', quantity: 0 },
          { ...base, externalId: '200000000000000007', placedAt: '2099-01-01T00:00:00Z' },
        ],
      },
      token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.ingestOrders.inserted).toBe(1);
    expect(res.data!.ingestOrders.rejected.map((r) => [r.index, r.externalId, r.code])).toEqual([
      [1, '200000000000000002', 'UNKNOWN_PRODUCT'],
      [2, '200000000000000003', 'UNKNOWN_CREATOR'],
      [3, '200000000000000004', 'CURRENCY_MISMATCH'],
      [4, '200000000000000005', 'REFUND_EXCEEDS_GMV'],
      [5, '200000000000000006', 'INVALID_QUANTITY'],
      [6, '200000000000000007', 'FUTURE_DATE'],
    ]);
  });

  it('attributes a sale by video id to the live content, its creator and campaign, and shows it in the content stats', async () => {
    const ok = async <R>(query: string, variables: Record<string, unknown>) => {
      const res = await t.gql<R, unknown>(query, variables, token);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data as R;
    };
    const { campaign } = await ok<{ campaign: { enrollments: { edges: Array<{ node: { id: string; creator: { handle: string } } }> } } }>(
      `query ($id: ID!) { campaign(id: $id) { enrollments(first: 10) { edges { node { id creator { handle } } } } } }`,
      { id: campaignId },
    );
    const bobEnrollment = campaign.enrollments.edges.find((e) => e.node.creator.handle === 'bob')!.node.id;
    const { submitContent } = await ok<{ submitContent: { id: string } }>(
      `mutation ($e: ID!) { submitContent(input: { enrollmentId: $e, caption: "Spring glow #ad" }) { id } }`,
      { e: bobEnrollment },
    );
    await ok(`mutation ($id: ID!) { reviewContent(input: { contentId: $id, decision: APPROVED }) { id } }`, { id: submitContent.id });
    const videoId = '7311111111111111111';
    await ok(`mutation ($id: ID!, $v: String!) { markContentLive(id: $id, videoId: $v, url: "https://www.tiktok.com/@bob/video/7311111111111111111") { status } }`, {
      id: submitContent.id,
      v: videoId,
    });
    // Neither a handle nor a campaign: the video names both.
    const line = { externalId: '300000000000000001', productSku: 'A', videoId, status: 'DELIVERED', quantity: 1, gmv: usd(2000), placedAt: '2026-03-10T15:00:00Z' };
    const ingested = await ok<{ ingestOrders: unknown }>(INGEST, { shopId, orders: [line] });
    expect(ingested.ingestOrders).toEqual({ inserted: 1, updated: 0, unchanged: 0, rejected: [] });
    await ok(STATS, { shopId, stats: [{ date: '2026-03-10', videoId, views: 4000, clicks: 80 }] });

    const { orders } = await ok<{ orders: { edges: Array<{ node: Record<string, unknown> }> } }>(
      `query ($shopId: ID!) { orders(shopId: $shopId, range: { from: "2026-03-10", to: "2026-03-10" }, first: 10) { edges { node { externalId creator { handle } campaign { id } content { id } commission { amountMinor } } } } }`,
      { shopId },
    );
    // bob's override (12 %) in the content's campaign.
    expect(orders.edges.map((e) => e.node).find((o) => o.externalId === line.externalId)).toEqual({
      externalId: line.externalId,
      creator: { handle: 'bob' },
      campaign: { id: campaignId },
      content: { id: submitContent.id },
      commission: { amountMinor: 240 },
    });
    const { node } = await ok<{ node: { stats: Record<string, unknown> } }>(
      `query ($id: ID!) { node(id: $id) { ... on Content { stats { views clicks orders gmv { amountMinor currency } } } } }`,
      { id: submitContent.id },
    );
    expect(node.stats).toEqual({ views: 4000, clicks: 80, orders: 1, gmv: { amountMinor: 2000, currency: 'USD' } });
  });

  it("weighs a creator's samples against the GMV they drove", async () => {
    const ok = async <R>(query: string, variables: Record<string, unknown>) => {
      const res = await t.gql<R, unknown>(query, variables, token);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data as R;
    };
    const { campaign } = await ok<{ campaign: { products: Array<{ id: string }>; enrollments: { edges: Array<{ node: { id: string; creator: { handle: string } } }> } } }>(
      `query ($id: ID!) { campaign(id: $id) { products { id } enrollments(first: 10) { edges { node { id creator { handle } } } } } }`,
      { id: campaignId },
    );
    const bobEnrollment = campaign.enrollments.edges.find((e) => e.node.creator.handle === 'bob')!.node.id;
    // One unit of A: its cost defaults to the unit cost, 800.
    await ok(`mutation ($e: ID!, $p: ID!) { shipSample(input: { enrollmentId: $e, productId: $p, quantity: 1, trackingNumber: "1Z999" }) { id } }`, {
      e: bobEnrollment,
      p: campaign.products[0].id,
    });
    const { sampleRoi } = await ok<{ sampleRoi: Array<{ creator: { handle: string }; units: number; sampleCost: { amountMinor: number }; attributedGmv: { amountMinor: number }; gmvPerSampleCost: number }> }>(
      `query ($shopId: ID!) { sampleRoi(shopId: $shopId, groupBy: CREATOR) { creator { handle } units sampleCost { amountMinor } attributedGmv { amountMinor } gmvPerSampleCost } }`,
      { shopId },
    );
    // bob's attributed GMV in the shop, all time: 2000 (Mar 5) + 2000 (Mar 8) + 2000 (through his video, Mar 10).
    expect(sampleRoi.find((r) => r.creator.handle === 'bob')).toEqual({
      creator: { handle: 'bob' },
      units: 1,
      sampleCost: { amountMinor: 800 },
      attributedGmv: { amountMinor: 6000 },
      gmvPerSampleCost: 7.5,
    });
  });

  it("keeps another agency's shop out of reach of ingest and metrics", async () => {
    const other = await t.createAgency('Ledger Intruder');
    const ingest = await t.gql(INGEST, { shopId, orders: [LINES[0]] }, other.token);
    expect(codes(ingest)).toEqual(['NOT_FOUND']);
    const read = await t.gql<{ shop: unknown }, unknown>(`query ($id: ID!) { shop(id: $id) { metrics(range: { from: "2026-03-05", to: "2026-03-08" }) { totals { orders } } } }`, { id: shopId }, other.token);
    expect(read.data?.shop ?? null).toBeNull();
    const board = await t.gql<{ creatorLeaderboard: unknown[] }, unknown>(
      `query ($shopId: ID) { creatorLeaderboard(range: { from: "2026-03-05", to: "2026-03-08" }, shopId: $shopId) { rank } }`,
      { shopId },
      other.token,
    );
    // Either an empty board or NOT_FOUND: never the first agency's creators.
    expect(board.data?.creatorLeaderboard ?? []).toEqual([]);
  });
});
