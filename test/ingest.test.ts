import { Client as PgClient } from 'pg';
import { metricsRebuildCommand } from '../src/cli/metrics-rebuild';
import { loadConfig } from '../src/config';
import {
  AccessMatrixCreateApiKeyDocument,
  AccessTestCreateMemberDocument,
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  EnrollCreatorsDocument,
  IngestCreateShopDocument,
  IngestDailyStatsDocument,
  IngestNodeOrderDocument,
  IngestOrdersDocument,
  IngestOrdersListDocument,
  IngestSetEnrollmentStatusDocument,
  IngestUpdateShopDocument,
  LoginDocument,
  OrderInput,
  SetCampaignStatusDocument,
  UpsertProductsDocument,
} from './generated/graphql';
import { codes, startTestServer, TestServer } from './support/server';

let t: TestServer;
let db: PgClient;

beforeAll(async () => {
  t = await startTestServer();
  db = new PgClient({ connectionString: t.database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

let counter = 0;
/** 19-digit platform ids, as TikTok Shop sends them (beyond Number.MAX_SAFE_INTEGER). */
const lineId = () => `57${String(Date.now()).slice(-8)}${String(++counter).padStart(9, '0')}`;

interface World {
  token: string;
  agencyId: string;
  clientId: string;
  shopId: string;
  shopUuid: string;
  /** SKU-A costs 4.00 and is in the campaign; SKU-B has no unit cost. */
  skuA: string;
  skuB: string;
  productA: string;
  alice: string;
  aliceHandle: string;
  bob: string;
  bobHandle: string;
  campaignId: string;
  campaignUuid: string;
}

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

async function world(options: { timeZone?: string; currency?: string } = {}): Promise<World> {
  const n = ++counter;
  const agency = await t.createAgency(`Ingest Agency ${n}`);
  const token = agency.token;
  const { createClient } = await t.ok(CreateClientDocument, { input: { name: `Brand ${n}` } }, token);
  const currency = options.currency ?? 'USD';
  const { createShop } = await t.ok(
    IngestCreateShopDocument,
    { input: { clientId: createClient.id, name: `Shop ${n}`, externalId: `7495${n}`, region: 'US', currency, timeZone: options.timeZone ?? 'America/New_York' } },
    token,
  );
  const skuA = `A-${n}`;
  const skuB = `B-${n}`;
  const { upsertProducts } = await t.ok(
    UpsertProductsDocument,
    {
      shopId: createShop.id,
      products: [
        { sku: skuA, title: 'Serum', price: { amountMinor: 2500, currency }, unitCost: { amountMinor: 400, currency } },
        { sku: skuB, title: 'Cream', price: { amountMinor: 1500, currency } },
      ],
    },
    token,
  );
  const aliceHandle = `alice_${n}`;
  const bobHandle = `bob_${n}`;
  const alice = (await t.ok(CreateCreatorDocument, { input: { handle: aliceHandle, followerCount: 1000 } }, token)).createCreator.id;
  const bob = (await t.ok(CreateCreatorDocument, { input: { handle: bobHandle, followerCount: 1000 } }, token)).createCreator.id;
  const { createCampaign } = await t.ok(
    CreateCampaignDocument,
    {
      input: {
        shopId: createShop.id,
        name: 'Spring',
        objective: 'SALES',
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        commissionRateBps: 1500,
        productIds: [upsertProducts[0].id],
      },
    },
    token,
  );
  await t.ok(SetCampaignStatusDocument, { id: createCampaign.id, status: 'ACTIVE' }, token);
  const [enrollment] = (await t.ok(EnrollCreatorsDocument, { campaignId: createCampaign.id, creators: [{ creatorId: alice, commissionRateBps: 2000 }] }, token))
    .enrollCreators;
  await t.ok(IngestSetEnrollmentStatusDocument, { id: enrollment.id, status: 'ACCEPTED' }, token);
  return {
    token,
    agencyId: agency.agencyId,
    clientId: createClient.id,
    shopId: createShop.id,
    shopUuid: uuidOf(createShop.id),
    skuA,
    skuB,
    productA: upsertProducts[0].id,
    alice,
    aliceHandle,
    bob,
    bobHandle,
    campaignId: createCampaign.id,
    campaignUuid: uuidOf(createCampaign.id),
  };
}

function line(w: World, overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    externalId: lineId(),
    productSku: w.skuA,
    status: 'DELIVERED',
    quantity: 1,
    gmv: { amountMinor: 2500, currency: 'USD' },
    placedAt: '2026-03-10T15:00:00Z',
    ...overrides,
  };
}

async function ingest(w: World, orders: OrderInput[], token = w.token) {
  return (await t.ok(IngestOrdersDocument, { shopId: w.shopId, orders }, token)).ingestOrders;
}

async function listOrders(w: World, variables: Record<string, unknown> = {}, token = w.token) {
  const { orders } = await t.ok(IngestOrdersListDocument, { shopId: w.shopId, first: 100, ...variables }, token);
  return orders.edges.map((e) => e.node);
}

type RollupRow = { dimension: string; subject_id: string; day: string; gmv: number; refunds: number; orders: number; units: number; commissions: number; fees: number; cogs: number; missing: number; sample_units: number; sample_cost: number; views: number; clicks: number; ad_spend: number };

async function rollups(w: World, dimension = 'S'): Promise<RollupRow[]> {
  const { rows } = await db.query(
    `SELECT dimension, subject_id, day::text AS day, gmv_minor::int AS gmv, refunds_minor::int AS refunds, orders, units,
            commissions_minor::int AS commissions, platform_fees_minor::int AS fees, cogs_minor::int AS cogs, cogs_missing_units AS missing,
            sample_units, sample_cost_minor::int AS sample_cost, views::int AS views, clicks::int AS clicks, ad_spend_minor::int AS ad_spend
     FROM metric_rollups WHERE shop_id = $1 AND dimension = $2 ORDER BY subject_id, day`,
    [w.shopUuid, dimension],
  );
  return rows;
}

describe('ingestOrders', () => {
  it('stores lines with platform ids, decimal money, drifting statuses and the attribution, and rolls them up', async () => {
    const w = await world();
    const id1 = '7300000000000000001'; // 19 digits: never a JS number
    const id2 = '730000000000000002';
    const result = await ingest(w, [
      line(w, { externalId: id1, orderId: '576000000000000001', creatorHandle: `@${w.aliceHandle.toUpperCase()}`, status: null, platformStatus: 'IN_TRANSIT', gmv: { amount: '25.00', currency: 'USD' }, quantity: 1, contentType: 'VIDEO' }),
      line(w, { externalId: id2, orderId: '576000000000000001', productSku: w.skuB, status: null, platformStatus: 'cancel', gmv: { amount: '15', currency: 'USD' }, placedAt: '2026-03-10T16:00:00Z' }),
    ]);
    expect(result).toEqual({ inserted: 2, updated: 0, unchanged: 0, rejected: [] });

    const orders = await listOrders(w);
    expect(orders.map((o) => o.externalId)).toEqual([id1, id2]);
    const [a, b] = orders;
    expect(a).toMatchObject({
      orderId: '576000000000000001',
      status: 'SHIPPED',
      platformStatus: 'IN_TRANSIT',
      contentType: 'VIDEO',
      orderDay: '2026-03-10',
      gmv: { amountMinor: 2500, amount: '25.00', currency: 'USD' },
      refundedAmount: { amountMinor: 0 },
      // Attributed through alice's ACCEPTED enrollment in the active campaign promoting SKU-A; her 20 % override.
      creator: { id: w.alice },
      campaign: { id: w.campaignId },
      commissionRateBps: 2000,
      commission: { amountMinor: 500 },
      product: { sku: w.skuA },
      shop: { id: w.shopId },
    });
    expect(b).toMatchObject({ status: 'CANCELLED', platformStatus: 'cancel', gmv: { amountMinor: 1500 }, commission: { amountMinor: 0 }, creator: null, campaign: null });

    // Cancelled lines count nothing; the shop's default fee is 8 % of net revenue; SKU-A costs 4.00.
    expect(await rollups(w)).toEqual([
      expect.objectContaining({ day: '2026-03-10', gmv: 2500, refunds: 0, orders: 1, units: 1, commissions: 500, fees: 200, cogs: 400, missing: 0 }),
    ]);
    expect((await rollups(w, 'R')).map((r) => [r.subject_id, r.gmv])).toEqual([[uuidOf(w.alice), 2500]]);
    expect((await rollups(w, 'C')).map((r) => [r.subject_id, r.gmv, r.commissions])).toEqual([[w.campaignUuid, 2500, 500]]);
  });

  it('rejects each bad line with its index, externalId, code and message while the good ones commit', async () => {
    const w = await world();
    const other = await world();
    const good = line(w);
    const batch: OrderInput[] = [
      line(w, { productSku: 'NOPE' }),
      line(w, { creatorHandle: '@nobody_here' }),
      line(w, { creatorHandle: other.aliceHandle }), // another agency's creator
      line(w, { campaignId: other.campaignId }), // another agency's campaign
      line(w, { gmv: { amountMinor: 100, currency: 'EUR' } }),
      line(w, { gmv: { amountMinor: 100, currency: 'USD' }, refundedAmount: { amountMinor: 101, currency: 'USD' } }),
      line(w, { quantity: 0 }),
      line(w, { placedAt: new Date(Date.now() + 3_600_000).toISOString() }),
      line(w, { commissionRateBps: 10001 }),
      line(w, { gmv: { amount: '12.345', currency: 'USD' } }),
      line(w, { status: null, platformStatus: 'UNPAID' }),
      line(w, { status: null, platformStatus: 'TELEPORTED' }),
      line(w, { status: null }),
      good,
      { ...line(w), externalId: good.externalId },
      line(w, { campaignId: w.productA }), // an id of another type
      line(w, { gmv: { amountMinor: 100, amount: '1.00', currency: 'USD' } }),
      line(w, { refundedAmount: { amount: '1.00', currency: 'EUR' } }),
    ];
    const result = await ingest(w, batch);
    expect(result.inserted).toBe(1);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'UNKNOWN_PRODUCT'],
      [1, 'UNKNOWN_CREATOR'],
      [2, 'UNKNOWN_CREATOR'],
      [3, 'UNKNOWN_CAMPAIGN'],
      [4, 'CURRENCY_MISMATCH'],
      [5, 'REFUND_EXCEEDS_GMV'],
      [6, 'INVALID_QUANTITY'],
      [7, 'FUTURE_DATE'],
      [8, 'INVALID_VALUE'],
      [9, 'INVALID_VALUE'],
      [10, 'NOT_A_SALE'],
      [11, 'INVALID_VALUE'],
      [12, 'INVALID_VALUE'],
      [14, 'INVALID_VALUE'],
      [15, 'INVALID_VALUE'],
      [16, 'INVALID_VALUE'],
      [17, 'CURRENCY_MISMATCH'],
    ]);
    for (const r of result.rejected) {
      expect(r.externalId).toBe(batch[r.index].externalId);
      expect(r.message.length).toBeGreaterThan(5);
    }
    expect(result.rejected.find((r) => r.index === 9)!.message).toMatch(/more decimals than USD/);
    expect(result.rejected.find((r) => r.index === 14)!.message).toMatch(/index 13/);
    expect((await listOrders(w)).map((o) => o.externalId)).toEqual([good.externalId]);
    expect(await listOrders(other)).toEqual([]);
  });

  it('a retried batch is unchanged; a status or refund change is updated and moves the rollups', async () => {
    const w = await world();
    const batch = [
      line(w, { creatorHandle: w.aliceHandle, gmv: { amount: '100.00', currency: 'USD' }, status: 'PLACED' }),
      line(w, { creatorHandle: w.bobHandle, productSku: w.skuB, gmv: { amount: '50.00', currency: 'USD' }, quantity: 2, status: 'PLACED' }),
    ];
    expect(await ingest(w, batch)).toEqual({ inserted: 2, updated: 0, unchanged: 0, rejected: [] });
    const before = await rollups(w);
    expect(before).toEqual([expect.objectContaining({ gmv: 15000, orders: 2, units: 3, refunds: 0, cogs: 400, missing: 2 })]);
    // Alice: 20 % of 100.00 through her enrollment; Bob: no campaign, the shop's default 10 % of 50.00.
    expect(before[0].commissions).toBe(2000 + 500);

    expect(await ingest(w, batch)).toEqual({ inserted: 0, updated: 0, unchanged: 2, rejected: [] });
    expect(await rollups(w)).toEqual(before);

    // A partial refund on alice's line, bob's line cancelled.
    const changed = [
      { ...batch[0], status: 'DELIVERED' as const, refundedAmount: { amount: '40.00', currency: 'USD' } },
      { ...batch[1], status: null, platformStatus: 'CANCELLED' },
    ];
    expect(await ingest(w, changed)).toEqual({ inserted: 0, updated: 2, unchanged: 0, rejected: [] });
    expect(await rollups(w)).toEqual([
      // Refunds count on the line's order day; GMV stays, commission is on what was kept: 20 % of 60.00.
      expect.objectContaining({ gmv: 10000, refunds: 4000, orders: 1, units: 1, commissions: 1200, fees: 480, cogs: 400, missing: 0 }),
    ]);
    // Bob's bucket stays, empty: his only line is cancelled.
    expect(new Map((await rollups(w, 'R')).map((r) => [r.subject_id, [r.gmv, r.orders]]))).toEqual(
      new Map([
        [uuidOf(w.alice), [10000, 1]],
        [uuidOf(w.bob), [0, 0]],
      ]),
    );

    // REFUNDED without an amount: refunded in full.
    expect(await ingest(w, [{ ...batch[0], status: 'REFUNDED' }])).toMatchObject({ updated: 1 });
    expect(await rollups(w)).toEqual([expect.objectContaining({ gmv: 10000, refunds: 10000, commissions: 0, fees: 0 })]);

    // A line moved to another day leaves the old day's bucket (bob's cancelled line keeps it, empty).
    expect(await ingest(w, [{ ...batch[0], status: 'DELIVERED', placedAt: '2026-03-12T15:00:00Z' }])).toMatchObject({ updated: 1 });
    expect((await rollups(w)).map((r) => [r.day, r.gmv, r.orders])).toEqual([
      ['2026-03-10', 0, 0],
      ['2026-03-12', 10000, 1],
    ]);
  });

  it('counts several lines of one order (one per unit) as one order', async () => {
    const w = await world();
    const orderId = '576123456789012345';
    await ingest(w, [
      line(w, { orderId, gmv: { amount: '25.00', currency: 'USD' } }),
      line(w, { orderId, gmv: { amount: '25.00', currency: 'USD' } }),
      line(w, { orderId, productSku: w.skuB, gmv: { amount: '15.00', currency: 'USD' } }),
      line(w, { orderId: '576123456789012346', isSample: true, gmv: { amountMinor: 0, currency: 'USD' } }),
    ]);
    expect(await rollups(w)).toEqual([
      expect.objectContaining({ gmv: 6500, orders: 1, units: 3, cogs: 800, missing: 1, sample_units: 1, sample_cost: 400 }),
    ]);
    expect((await rollups(w, 'P')).map((r) => [r.subject_id, r.orders, r.units])).toEqual(
      expect.arrayContaining([[uuidOf(w.productA), 1, 2]]),
    );
  });

  it("buckets by calendar day in the shop's time zone across DST changes", async () => {
    const w = await world({ timeZone: 'America/New_York' });
    await ingest(w, [
      line(w, { placedAt: '2026-03-08T04:30:00Z' }), // 23:30 EST on 7 March
      line(w, { placedAt: '2026-03-08T05:30:00Z' }), // 00:30 EST on 8 March (23-hour day)
      line(w, { placedAt: '2026-03-09T03:30:00Z' }), // 23:30 EDT on 8 March
      line(w, { placedAt: '2026-11-01T04:30:00Z' }), // 00:30 EDT on 1 November (25-hour day)
      line(w, { placedAt: '2026-11-02T04:30:00Z' }), // 23:30 EST on 1 November
    ]);
    expect((await rollups(w)).map((r) => [r.day, r.orders])).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 2],
      ['2026-11-01', 2],
    ]);
    const inRange = await listOrders(w, { range: { from: '2026-03-08', to: '2026-03-08' } });
    expect(inRange.map((o) => o.placedAt)).toEqual(['2026-03-08T05:30:00.000Z', '2026-03-09T03:30:00.000Z']);
  });

  it('attributes by explicit campaign, then content by video id, then the latest-started eligible enrollment', async () => {
    const w = await world();
    const token = w.token;
    // A second, later-started campaign without a product list, where alice is enrolled at the campaign rate.
    const later = (await t.ok(CreateCampaignDocument, { input: { shopId: w.shopId, name: 'Summer', objective: 'SALES', startDate: '2026-03-01', commissionRateBps: 1200 } }, token))
      .createCampaign;
    await t.ok(SetCampaignStatusDocument, { id: later.id, status: 'ACTIVE' }, token);
    const [enr] = (await t.ok(EnrollCreatorsDocument, { campaignId: later.id, creators: [{ creatorId: w.alice }] }, token)).enrollCreators;
    await t.ok(IngestSetEnrollmentStatusDocument, { id: enr.id, status: 'ACCEPTED' }, token);
    // A draft campaign (never attributes) and an INVITED enrollment (not yet accepted) for bob.
    const draft = (await t.ok(CreateCampaignDocument, { input: { shopId: w.shopId, name: 'Draft', objective: 'SALES', startDate: '2026-03-05', commissionRateBps: 3000 } }, token))
      .createCampaign;
    await t.ok(EnrollCreatorsDocument, { campaignId: draft.id, creators: [{ creatorId: w.alice }, { creatorId: w.bob }] }, token);
    await t.ok(EnrollCreatorsDocument, { campaignId: later.id, creators: [{ creatorId: w.bob }] }, token);
    // Content: bob's video in the first campaign (content has no GraphQL yet on this branch: written directly).
    const { rows: enrollRows } = await db.query(
      `INSERT INTO campaign_enrollments (agency_id, campaign_id, creator_id, status) VALUES ($1, $2, $3, 'POSTED') RETURNING id`,
      [w.agencyId, w.campaignUuid, uuidOf(w.bob)],
    );
    await db.query(
      `INSERT INTO content (agency_id, shop_id, campaign_id, enrollment_id, creator_id, video_id, status) VALUES ($1, $2, $3, $4, $5, '7412345678901234567', 'LIVE')`,
      [w.agencyId, w.shopUuid, w.campaignUuid, enrollRows[0].id, uuidOf(w.bob)],
    );

    const placedAt = '2026-03-10T15:00:00Z';
    const lines = [
      line(w, { creatorHandle: w.aliceHandle, placedAt }), // SKU-A: both campaigns promote it; Summer started later
      line(w, { creatorHandle: w.aliceHandle, placedAt: '2026-02-10T15:00:00Z' }), // before Summer: Spring
      line(w, { creatorHandle: w.aliceHandle, campaignId: w.campaignId, placedAt }), // explicit wins
      line(w, { videoId: '7412345678901234567', placedAt }), // content: bob, Spring
      line(w, { creatorHandle: w.bobHandle, placedAt }), // bob is only INVITED to the later Summer: his POSTED Spring enrollment
      line(w, { creatorHandle: w.aliceHandle, placedAt, commissionRateBps: 500 }), // reported rate wins
      line(w, { placedAt }), // nobody: shop sale, no commission
    ];
    await ingest(w, lines);
    const byId = new Map((await listOrders(w)).map((o) => [o.externalId, o]));
    const pick = (i: number) => {
      const o = byId.get(lines[i].externalId)!;
      return [o.creator?.id ?? null, o.campaign?.id ?? null, o.commissionRateBps, o.commission.amountMinor];
    };
    expect(pick(0)).toEqual([w.alice, later.id, 1200, 300]);
    expect(pick(1)).toEqual([w.alice, w.campaignId, 2000, 500]);
    expect(pick(2)).toEqual([w.alice, w.campaignId, 2000, 500]);
    expect(pick(3)).toEqual([w.bob, w.campaignId, 1500, 375]);
    expect(pick(4)).toEqual([w.bob, w.campaignId, 1500, 375]);
    expect(pick(5)).toEqual([w.alice, later.id, 500, 125]);
    expect(pick(6)).toEqual([null, null, 1000, 0]);
    expect(byId.get(lines[3].externalId)!.videoId).toBe('7412345678901234567');

    // A campaign that has since completed still attributes a backfill.
    await t.ok(SetCampaignStatusDocument, { id: later.id, status: 'COMPLETED' }, token);
    const backfill = line(w, { creatorHandle: w.aliceHandle, placedAt });
    await ingest(w, [backfill]);
    expect((await listOrders(w, { filter: { campaignId: later.id } })).map((o) => o.externalId)).toContain(backfill.externalId);
  });

  it('filters orders by status, creator and campaign, pages them, and refuses bad arguments', async () => {
    const w = await world();
    await ingest(w, [
      line(w, { creatorHandle: w.aliceHandle, placedAt: '2026-03-01T10:00:00Z' }),
      line(w, { creatorHandle: w.bobHandle, status: 'CANCELLED', placedAt: '2026-03-02T10:00:00Z' }),
      line(w, { placedAt: '2026-03-03T10:00:00Z' }),
    ]);
    expect((await listOrders(w, { filter: { status: ['CANCELLED'] } })).map((o) => o.creator?.id)).toEqual([w.bob]);
    expect((await listOrders(w, { filter: { creatorId: w.alice } })).length).toBe(1);
    expect((await listOrders(w, { filter: { campaignId: w.campaignId } })).length).toBe(1);
    const first = await t.ok(IngestOrdersListDocument, { shopId: w.shopId, first: 2 }, w.token);
    expect(first.orders.totalCount).toBe(3);
    expect(first.orders.pageInfo.hasNextPage).toBe(true);
    const second = await t.ok(IngestOrdersListDocument, { shopId: w.shopId, first: 2, after: first.orders.pageInfo.endCursor }, w.token);
    expect(second.orders.edges.map((e) => e.node.placedAt)).toEqual(['2026-03-03T10:00:00.000Z']);

    const backwards = await t.gql(IngestOrdersListDocument, { shopId: w.shopId, range: { from: '2026-03-05', to: '2026-03-01' } }, w.token);
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
    expect(backwards.errors![0].extensions!.fields).toHaveProperty(['range.to']);
    const wrongType = await t.gql(IngestOrdersListDocument, { shopId: w.campaignId }, w.token);
    expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
  });

  it("hides another agency's shop, orders and ids on every path", async () => {
    const mine = await world();
    const theirs = await world();
    await ingest(theirs, [line(theirs)]);
    const [theirOrder] = await listOrders(theirs);

    const ingestThere = await t.gql(IngestOrdersDocument, { shopId: theirs.shopId, orders: [line(mine)] }, mine.token);
    expect(codes(ingestThere)).toEqual(['NOT_FOUND']);
    const statsThere = await t.gql(IngestDailyStatsDocument, { shopId: theirs.shopId, stats: [{ date: '2026-03-01', campaignId: theirs.campaignId, views: 1 }] }, mine.token);
    expect(codes(statsThere)).toEqual(['NOT_FOUND']);
    const listThere = await t.gql(IngestOrdersListDocument, { shopId: theirs.shopId }, mine.token);
    expect(codes(listThere)).toEqual(['NOT_FOUND']);
    expect((await t.ok(IngestNodeOrderDocument, { id: theirOrder.id }, mine.token)).node).toBeNull();
    expect((await t.ok(IngestNodeOrderDocument, { id: theirOrder.id }, theirs.token)).node).toEqual({ id: theirOrder.id, externalId: theirOrder.externalId });
    // Their external id is a different line in my shop: upserts never cross shops or agencies.
    expect(await ingest(mine, [{ ...line(mine), externalId: theirOrder.externalId }])).toMatchObject({ inserted: 1 });
    expect((await listOrders(theirs)).length).toBe(1);
  });

  it('lets INGEST API keys ingest, refuses READ keys, and keeps client viewers to reading their own client', async () => {
    const w = await world();
    const ingestKey = (await t.ok(AccessMatrixCreateApiKeyDocument, { name: 'sync', scopes: ['INGEST'] }, w.token)).createApiKey.secret;
    const readKey = (await t.ok(AccessMatrixCreateApiKeyDocument, { name: 'bi', scopes: ['READ'] }, w.token)).createApiKey.secret;
    expect(await ingest(w, [line(w)], ingestKey)).toMatchObject({ inserted: 1 });
    const refused = await t.gql(IngestOrdersDocument, { shopId: w.shopId, orders: [line(w)] }, readKey);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const refusedStats = await t.gql(IngestDailyStatsDocument, { shopId: w.shopId, stats: [] }, readKey);
    expect(codes(refusedStats)).toEqual(['FORBIDDEN']);

    // A client viewer of this brand reads its orders, may not ingest, and cannot see another brand's shop.
    const email = `viewer-${++counter}@example.com`;
    await t.ok(AccessTestCreateMemberDocument, { input: { email, name: 'Viewer', role: 'CLIENT_VIEWER', clientId: w.clientId, password: 'viewer-password-1' } }, w.token);
    const viewer = (await t.ok(LoginDocument, { email, password: 'viewer-password-1' })).login.token;
    expect((await listOrders(w, {}, viewer)).length).toBe(1);
    expect(codes(await t.gql(IngestOrdersDocument, { shopId: w.shopId, orders: [line(w)] }, viewer))).toEqual(['FORBIDDEN']);
    const { createClient } = await t.ok(CreateClientDocument, { input: { name: 'Other brand' } }, w.token);
    const { createShop } = await t.ok(
      IngestCreateShopDocument,
      { input: { clientId: createClient.id, name: 'Other', externalId: `other-${counter}`, region: 'US', currency: 'USD', timeZone: 'UTC' } },
      w.token,
    );
    expect(codes(await t.gql(IngestOrdersListDocument, { shopId: createShop.id }, viewer))).toEqual(['NOT_FOUND']);
  });

  it('refuses batches over 1,000 lines and takes a 1,000-line batch in a fixed number of statements', async () => {
    const w = await world();
    const tooMany = await t.gql(IngestOrdersDocument, { shopId: w.shopId, orders: Array.from({ length: 1001 }, () => line(w)) }, w.token);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors![0].extensions!.fields).toHaveProperty(['orders']);

    const batch = Array.from({ length: 1000 }, (_, i) =>
      line(w, {
        orderId: `58${String(i >> 1).padStart(16, '0')}`,
        creatorHandle: i % 3 === 0 ? w.aliceHandle : i % 3 === 1 ? w.bobHandle : null,
        productSku: i % 2 ? w.skuA : w.skuB,
        placedAt: new Date(Date.UTC(2026, 2, 1) + i * 3_600_000).toISOString(),
        gmv: { amount: `${10 + (i % 50)}.${String(i % 100).padStart(2, '0')}`, currency: 'USD' },
      }),
    );
    t.sql.reset();
    const started = performance.now();
    expect(await ingest(w, batch)).toMatchObject({ inserted: 1000, rejected: [] });
    const elapsed = performance.now() - started;
    const statements = t.sql.count;
    t.sql.reset();
    await ingest(w, batch.slice(0, 10).map((l) => ({ ...l, externalId: lineId() })));
    // The same statements for 10 lines as for 1,000 (set-based: no statement per line).
    expect(t.sql.count).toBe(statements);
    const retried = performance.now();
    expect(await ingest(w, batch)).toMatchObject({ unchanged: 1000 });
    // eslint-disable-next-line no-console
    console.log(`1,000-line batch: ${elapsed.toFixed(0)} ms first, ${(performance.now() - retried).toFixed(0)} ms retried; ${statements} SQL statements`);
    expect(elapsed).toBeLessThan(3000); // well under a second on an idle machine; generous for a shared CI box
    const total = await db.query(`SELECT SUM(gmv_minor)::bigint AS gmv, COUNT(DISTINCT order_id) AS orders FROM order_lines WHERE shop_id = $1`, [w.shopUuid]);
    const rolled = await db.query(`SELECT SUM(gmv_minor)::bigint AS gmv, SUM(orders) AS orders FROM metric_rollups WHERE shop_id = $1 AND dimension = 'S'`, [w.shopUuid]);
    expect(rolled.rows[0].gmv).toBe(total.rows[0].gmv);
  });
});

describe('ingestDailyStats', () => {
  it('upserts video and campaign rows, rejects bad rows, and rolls views, clicks and ad spend up', async () => {
    const w = await world();
    const { rows: enr } = await db.query(`SELECT id FROM campaign_enrollments WHERE campaign_id = $1`, [w.campaignUuid]);
    await db.query(
      `INSERT INTO content (agency_id, shop_id, campaign_id, enrollment_id, creator_id, video_id, status) VALUES ($1, $2, $3, $4, $5, '7400000000000000001', 'LIVE')`,
      [w.agencyId, w.shopUuid, w.campaignUuid, enr[0].id, uuidOf(w.alice)],
    );
    const stats = [
      { date: '2026-03-10', videoId: '7400000000000000001', views: 1000, likes: 50, comments: 5, shares: 2, clicks: 40 },
      { date: '2026-03-10', videoId: '7400000000000000002', creatorHandle: `@${w.bobHandle}`, views: 500, clicks: 10 },
      { date: '2026-03-10', campaignId: w.campaignId, adSpend: { amount: '12.50', currency: 'USD' }, views: 100 },
      { date: '2026-03-10', videoId: '1', campaignId: w.campaignId },
      { date: '2026-03-10' },
      { date: '2026-03-10', videoId: '7400000000000000003', creatorHandle: 'nobody_known' },
      { date: '2026-03-10', campaignId: (await world()).campaignId },
      { date: '2026-03-10', campaignId: w.campaignId, adSpend: { amountMinor: 5, currency: 'CAD' } },
      { date: '2099-01-01', videoId: '7400000000000000004' },
      { date: '2026-03-10', videoId: '7400000000000000001', views: 1 },
      { date: '2026-03-10', videoId: '7400000000000000005', views: -1 },
      { date: '2026-03-10', campaignId: w.campaignId, creatorHandle: w.aliceHandle },
    ];
    const result = (await t.ok(IngestDailyStatsDocument, { shopId: w.shopId, stats }, w.token)).ingestDailyStats;
    expect(result.inserted).toBe(3);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [3, 'INVALID_VALUE'],
      [4, 'INVALID_VALUE'],
      [5, 'UNKNOWN_CREATOR'],
      [6, 'UNKNOWN_CAMPAIGN'],
      [7, 'CURRENCY_MISMATCH'],
      [8, 'FUTURE_DATE'],
      [9, 'INVALID_VALUE'],
      [10, 'INVALID_VALUE'],
      [11, 'INVALID_VALUE'],
    ]);
    expect(result.rejected[0].externalId).toBe('video:1');

    expect(await rollups(w)).toEqual([expect.objectContaining({ day: '2026-03-10', views: 1600, clicks: 50, ad_spend: 1250, gmv: 0 })]);
    // The content's video counts for alice and the campaign; bob's video (no content) for bob only.
    expect((await rollups(w, 'R')).map((r) => [r.subject_id, r.views])).toEqual(
      [[uuidOf(w.alice), 1000], [uuidOf(w.bob), 500]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect((await rollups(w, 'C')).map((r) => [r.views, r.clicks, r.ad_spend])).toEqual([[1100, 40, 1250]]);
    expect((await rollups(w, 'V')).map((r) => [r.subject_id, r.views])).toEqual([
      ['7400000000000000001', 1000],
      ['7400000000000000002', 500],
    ]);

    const again = (await t.ok(IngestDailyStatsDocument, { shopId: w.shopId, stats: stats.slice(0, 3) }, w.token)).ingestDailyStats;
    expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 3, rejected: [] });
    const changed = (await t.ok(IngestDailyStatsDocument, { shopId: w.shopId, stats: [{ ...stats[0], views: 1200 }] }, w.token)).ingestDailyStats;
    expect(changed).toMatchObject({ updated: 1 });
    expect((await rollups(w))[0].views).toBe(1800);
  });
});

describe('creator tiers', () => {
  it("refreshes the tiers of the creators a batch touched, in the batch's transaction", async () => {
    const w = await world();
    const tierOf = async (id: string) => (await db.query(`SELECT tier FROM creators WHERE id = $1`, [uuidOf(id)])).rows[0].tier;
    expect(await tierOf(w.alice)).toBe('NEW');
    const big = line(w, { creatorHandle: w.aliceHandle, placedAt: new Date(Date.now() - 3_600_000).toISOString(), gmv: { amount: '15000.00', currency: 'USD' } });
    await ingest(w, [big]);
    // USD 15,000 in the last 30 days: past the default STAR threshold (USD 10,000).
    expect(await tierOf(w.alice)).toBe('STAR');
    expect(await tierOf(w.bob)).toBe('NEW');
    await ingest(w, [{ ...big, status: 'CANCELLED' }]);
    expect(await tierOf(w.alice)).not.toBe('STAR');
  });
});

describe('orders query cost', () => {
  it('reads a page with its shop, product, creator and campaign in the same number of statements at 5 and 50 lines', async () => {
    const w = await world();
    await ingest(
      w,
      Array.from({ length: 50 }, (_, i) =>
        line(w, { creatorHandle: i % 2 ? w.aliceHandle : w.bobHandle, productSku: i % 3 ? w.skuA : w.skuB, placedAt: new Date(Date.UTC(2026, 2, 1, i)).toISOString() }),
      ),
    );
    const countFor = async (first: number) => {
      t.sql.reset();
      const nodes = await listOrders(w, { first });
      expect(nodes).toHaveLength(first);
      return t.sql.count;
    };
    expect(await countFor(50)).toBe(await countFor(5));
  });
});

describe('MoneyInput', () => {
  it('takes amountMinor or an exact decimal amount, in every input that has money', async () => {
    const w = await world();
    const upsert = (price: Record<string, unknown>) =>
      t.gql(UpsertProductsDocument, { shopId: w.shopId, products: [{ sku: `M-${++counter}`, title: 'Money', price: price as never }] }, w.token);
    expect((await upsert({ amount: '29.90', currency: 'USD' })).data!.upsertProducts[0].price).toEqual({ amountMinor: 2990, amount: '29.90', currency: 'USD' });
    expect((await upsert({ amount: '7', currency: 'USD' })).data!.upsertProducts[0].price.amountMinor).toBe(700);
    expect((await upsert({ amount: '1.500', currency: 'USD' })).data!.upsertProducts[0].price.amountMinor).toBe(150);
    const problems = async (price: Record<string, unknown>) => {
      const res = await upsert(price);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      return res.errors![0].extensions!.fields;
    };
    expect(await problems({ amount: '1.234', currency: 'USD' })).toEqual({ 'products.0.price.amount': ['has more decimals than USD has (2)'] });
    expect(await problems({ amount: '-1.00', currency: 'USD' })).toHaveProperty(['products.0.price.amount']);
    expect(await problems({ amount: '1e3', currency: 'USD' })).toHaveProperty(['products.0.price.amount']);
    expect(await problems({ amount: '1.00', amountMinor: 100, currency: 'USD' })).toEqual({ 'products.0.price.amount': ['give amountMinor or amount, not both'] });
    expect(await problems({ currency: 'USD' })).toHaveProperty(['products.0.price.amountMinor']);
    expect(await problems({ amount: '99999999999999999.00', currency: 'USD' })).toEqual({ 'products.0.price.amount': ['is too large'] });
  });
});

describe('npm run metrics:rebuild', () => {
  it("recomputes an agency's rollups from the ledger", async () => {
    const w = await world();
    await ingest(w, [line(w, { creatorHandle: w.aliceHandle }), line(w, { status: 'CANCELLED' }), line(w, { placedAt: '2026-03-11T15:00:00Z', quantity: 2 })]);
    await t.ok(IngestDailyStatsDocument, { shopId: w.shopId, stats: [{ date: '2026-03-12', campaignId: w.campaignId, views: 10 }] }, w.token);
    const before = { S: await rollups(w), C: await rollups(w, 'C'), R: await rollups(w, 'R'), P: await rollups(w, 'P'), E: await rollups(w, 'E') };
    await db.query(`DELETE FROM metric_rollups WHERE shop_id = $1 AND day = '2026-03-10'`, [w.shopUuid]);
    await db.query(`UPDATE metric_rollups SET gmv_minor = 1 WHERE shop_id = $1`, [w.shopUuid]);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.database.url, JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long', LOG_LEVEL: 'error' });
    const agencyGlobalId = Buffer.from(`Agency:${w.agencyId}`).toString('base64url');
    const report = await metricsRebuildCommand(config, ['--agency', agencyGlobalId]);
    expect(report).toMatchObject({ agencies: 1, shops: 1 });
    expect({ S: await rollups(w), C: await rollups(w, 'C'), R: await rollups(w, 'R'), P: await rollups(w, 'P'), E: await rollups(w, 'E') }).toEqual(before);
    expect(report.rollupRows).toBe(before.S.length + before.C.length + before.R.length + before.P.length + before.E.length);
    await expect(metricsRebuildCommand(config, ['--agency', 'nope'])).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('shop settings', () => {
  it('sets defaultCommissionRateBps and platformFeeBps at create and update, within 0..10000', async () => {
    const w = await world();
    const { createShop } = await t.ok(
      IngestCreateShopDocument,
      { input: { clientId: w.clientId, name: 'Fees', externalId: `fees-${++counter}`, region: 'GB', currency: 'GBP', timeZone: 'Europe/London', defaultCommissionRateBps: 1200, platformFeeBps: 500 } },
      w.token,
    );
    expect(createShop).toMatchObject({ defaultCommissionRateBps: 1200, platformFeeBps: 500 });
    const defaults = (await t.ok(IngestUpdateShopDocument, { id: w.shopId, input: {} }, w.token)).updateShop;
    expect(defaults).toMatchObject({ defaultCommissionRateBps: 1000, platformFeeBps: 800 });
    const updated = (await t.ok(IngestUpdateShopDocument, { id: w.shopId, input: { platformFeeBps: 650, defaultCommissionRateBps: 0 } }, w.token)).updateShop;
    expect(updated).toMatchObject({ defaultCommissionRateBps: 0, platformFeeBps: 650 });
    const bad = await t.gql(IngestUpdateShopDocument, { id: w.shopId, input: { platformFeeBps: 10001, defaultCommissionRateBps: -1 } }, w.token);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(bad.errors![0].extensions!.fields!).sort()).toEqual(['input.defaultCommissionRateBps', 'input.platformFeeBps']);
    const badCreate = await t.gql(
      IngestCreateShopDocument,
      { input: { clientId: w.clientId, name: 'X', externalId: `x-${++counter}`, region: 'US', currency: 'USD', timeZone: 'UTC', platformFeeBps: 20000 } },
      w.token,
    );
    expect(Object.keys(badCreate.errors![0].extensions!.fields!)).toEqual(['input.platformFeeBps']);

    // New rates apply to lines ingested from then on: 6.5 % fee, no default commission.
    await ingest(w, [line(w, { creatorHandle: w.bobHandle, productSku: w.skuB, gmv: { amount: '100.00', currency: 'USD' } })]);
    expect(await rollups(w)).toEqual([expect.objectContaining({ gmv: 10000, fees: 650, commissions: 0 })]);
  });
});
