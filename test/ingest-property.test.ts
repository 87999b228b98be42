/**
 * Property: whatever sequence of batches arrives — new lines, status changes, refunds,
 * cancellations, retries, moves to another day, bad lines — metric_rollups equals an aggregation
 * of the lines written here in plain TypeScript (its own calendar days, its own half-even
 * rounding, its own attribution table), the ingest result counts what changed, and
 * `npm run metrics:rebuild` (rebuildMetrics) leaves the rollups exactly as the ingests did.
 */
import fc from 'fast-check';
import { Client as PgClient } from 'pg';
import { rebuildMetrics } from '../src/cli/metrics-rebuild';
import {
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  EnrollCreatorsDocument,
  IngestCreateShopDocument,
  IngestOrdersDocument,
  IngestSetEnrollmentStatusDocument,
  OrderInput,
  OrderStatus,
  SetCampaignStatusDocument,
  UpsertProductsDocument,
} from './generated/graphql';
import { startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let db: PgClient;
let agency: TestAgency;
let clientId: string;
/** Creators: A is enrolled with a 20 % override, B at the campaign's 15 %, C is not enrolled. */
let creators: Array<{ id: string; uuid: string; handle: string }>;

const TIME_ZONE = 'America/Los_Angeles';
const FEE_BPS = 800;
const SHOP_DEFAULT_BPS = 1000;
/** Unit costs of the run's products: SKU 2 has none; slot 3 sends no SKU at all. */
const UNIT_COSTS = [400, 333, null] as const;
/** Around both 2026 DST changes in Los Angeles, and an ordinary day. */
const INSTANTS = [
  '2026-03-08T07:59:00Z', // 23:59 PST, 7 March
  '2026-03-08T08:00:00Z', // 00:00 PST, 8 March (a 23-hour day)
  '2026-03-09T06:59:00Z', // 23:59 PDT, 8 March
  '2026-03-09T07:00:00Z', // 00:00 PDT, 9 March
  '2026-11-01T06:59:00Z', // 23:59 PDT, 31 October
  '2026-11-01T07:30:00Z', // 00:30 PDT, 1 November (a 25-hour day)
  '2026-11-02T07:59:00Z', // 23:59 PST, 1 November
  '2026-06-15T19:00:00Z',
];
const PLATFORM_NAMES: Record<OrderStatus, string> = {
  PLACED: 'AWAITING_SHIPMENT',
  SHIPPED: 'IN_TRANSIT',
  DELIVERED: 'COMPLETED',
  CANCELLED: 'CANCEL',
  REFUNDED: 'refunded',
};
const STATUSES: OrderStatus[] = ['PLACED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED'];

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

beforeAll(async () => {
  t = await startTestServer();
  db = new PgClient({ connectionString: t.database.url });
  await db.connect();
  agency = await t.createAgency('Property Agency');
  clientId = (await t.ok(CreateClientDocument, { input: { name: 'Property Brand' } }, agency.token)).createClient.id;
  creators = [];
  for (const handle of ['prop_a', 'prop_b', 'prop_c']) {
    const { createCreator } = await t.ok(CreateCreatorDocument, { input: { handle, followerCount: 10 } }, agency.token);
    creators.push({ id: createCreator.id, uuid: uuidOf(createCreator.id), handle });
  }
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

interface Shop {
  id: string;
  uuid: string;
  skus: string[];
  productUuids: string[];
  campaignUuid: string;
}

let shopCounter = 0;

/** A fresh shop per run, so each run starts from an empty ledger. */
async function freshShop(): Promise<Shop> {
  const n = ++shopCounter;
  const token = agency.token;
  const { createShop } = await t.ok(
    IngestCreateShopDocument,
    { input: { clientId, name: `Prop ${n}`, externalId: `prop-${n}`, region: 'US', currency: 'USD', timeZone: TIME_ZONE } },
    token,
  );
  const skus = UNIT_COSTS.map((_, i) => `P${n}-${i}`);
  const { upsertProducts } = await t.ok(
    UpsertProductsDocument,
    {
      shopId: createShop.id,
      products: UNIT_COSTS.map((cost, i) => ({
        sku: skus[i],
        title: `Product ${i}`,
        price: { amountMinor: 1000, currency: 'USD' },
        unitCost: cost === null ? null : { amountMinor: cost, currency: 'USD' },
      })),
    },
    token,
  );
  // No product list: the campaign promotes everything, so enrolled creators always attribute.
  const { createCampaign } = await t.ok(
    CreateCampaignDocument,
    { input: { shopId: createShop.id, name: 'Always on', objective: 'SALES', startDate: '2026-01-01', endDate: '2026-12-31', commissionRateBps: 1500 } },
    token,
  );
  await t.ok(SetCampaignStatusDocument, { id: createCampaign.id, status: 'ACTIVE' }, token);
  const { enrollCreators } = await t.ok(
    EnrollCreatorsDocument,
    { campaignId: createCampaign.id, creators: [{ creatorId: creators[0].id, commissionRateBps: 2000 }, { creatorId: creators[1].id }] },
    token,
  );
  for (const e of enrollCreators) await t.ok(IngestSetEnrollmentStatusDocument, { id: e.id, status: 'ACCEPTED' }, token);
  return { id: createShop.id, uuid: uuidOf(createShop.id), skus, productUuids: upsertProducts.map((p) => p.id).map(uuidOf), campaignUuid: uuidOf(createCampaign.id) };
}

/** A line as stored, in canonical form: what decides every stored column. */
interface Line {
  orderSlot: number;
  product: number; // 0..2 a SKU, 3 none
  creator: number; // 0..2 a creator, 3 none
  videoSlot: number; // 0 none, 1..2 a video id
  status: OrderStatus;
  viaPlatform: boolean;
  quantity: number;
  gmv: number;
  refund: number | null;
  isSample: boolean;
  instant: number;
  reportedBps: number | null;
}

const effectiveRefund = (l: Line) => l.refund ?? (l.status === 'REFUNDED' ? l.gmv : 0);

/** The stored columns a line decides; two lines with equal keys are stored identically. */
function storedKey(l: Line): string {
  return JSON.stringify([l.orderSlot, l.product, l.creator, l.videoSlot, l.status, l.viaPlatform ? PLATFORM_NAMES[l.status] : null, l.quantity, l.gmv, effectiveRefund(l), l.isSample, l.instant, l.reportedBps]);
}

/** A line as the API takes it; money in minor units or as a decimal string, by coin. */
function render(shop: Shop, externalId: string, l: Line, decimal: boolean): OrderInput {
  const money = (minor: number) => (decimal ? { amount: `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`, currency: 'USD' } : { amountMinor: minor, currency: 'USD' });
  return {
    externalId,
    orderId: `${shop.uuid.slice(0, 8)}-${l.orderSlot}`,
    productSku: l.product < 3 ? shop.skus[l.product] : null,
    creatorHandle: l.creator < 3 ? (l.creator === 0 ? `@${creators[0].handle.toUpperCase()}` : creators[l.creator].handle) : null,
    videoId: l.videoSlot ? `74000000000000000${l.videoSlot}` : null,
    status: l.viaPlatform ? null : l.status,
    platformStatus: l.viaPlatform ? PLATFORM_NAMES[l.status] : null,
    quantity: l.quantity,
    gmv: money(l.gmv),
    refundedAmount: l.refund === null ? null : money(l.refund),
    isSample: l.isSample,
    placedAt: INSTANTS[l.instant],
    commissionRateBps: l.reportedBps,
  };
}

// ---------------------------------------------------------------- the independent aggregation

/** a / b rounded half to even, for a >= 0, b > 0: written here, not imported. */
function halfEven(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r2 = (a % b) * 2n;
  return r2 > b || (r2 === b && q % 2n === 1n) ? q + 1n : q;
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

type Bucket = { gmv: number; refunds: number; orders: Set<string>; units: number; commissions: number; fees: number; cogs: number; missing: number; sampleUnits: number; sampleCost: number };

function expectedRollups(shop: Shop, lines: Map<string, Line>): string[] {
  const buckets = new Map<string, Bucket>();
  const bucket = (key: string) => {
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { gmv: 0, refunds: 0, orders: new Set(), units: 0, commissions: 0, fees: 0, cogs: 0, missing: 0, sampleUnits: 0, sampleCost: 0 }));
    return b;
  };
  for (const l of lines.values()) {
    const day = dayFormat.format(new Date(INSTANTS[l.instant]));
    const counts = l.status !== 'CANCELLED' && !l.isSample;
    const sample = l.status !== 'CANCELLED' && l.isSample;
    const cost = l.product < 3 ? UNIT_COSTS[l.product] : null;
    const net = BigInt(l.gmv - effectiveRefund(l));
    const enrolled = l.creator === 0 || l.creator === 1;
    const rate = l.reportedBps ?? (l.creator === 0 ? 2000 : l.creator === 1 ? 1500 : SHOP_DEFAULT_BPS);
    const keys = [`S||${day}`];
    if (enrolled) keys.push(`C|${shop.campaignUuid}|${day}`);
    if (enrolled) keys.push(`E|${shop.campaignUuid}:${creators[l.creator].uuid}|${day}`);
    if (l.creator < 3) keys.push(`R|${creators[l.creator].uuid}|${day}`);
    if (l.product < 3) keys.push(`P|${shop.productUuids[l.product]}|${day}`);
    if (l.videoSlot) keys.push(`V|74000000000000000${l.videoSlot}|${day}`);
    for (const key of keys) {
      const b = bucket(key);
      if (counts) {
        b.gmv += l.gmv;
        b.refunds += effectiveRefund(l);
        b.orders.add(`${l.orderSlot}`);
        b.units += l.quantity;
        if (l.creator < 3) b.commissions += Number(halfEven(net * BigInt(rate), 10_000n));
        b.fees += Number(halfEven(net * BigInt(FEE_BPS), 10_000n));
        if (cost === null) b.missing += l.quantity;
        else b.cogs += l.quantity * cost;
      }
      if (sample) {
        b.sampleUnits += l.quantity;
        if (cost !== null) b.sampleCost += l.quantity * cost;
      }
    }
  }
  return [...buckets.entries()]
    .map(([key, b]) => `${key}|${b.gmv}|${b.refunds}|${b.orders.size}|${b.units}|${b.commissions}|${b.fees}|${b.cogs}|${b.missing}|${b.sampleUnits}|${b.sampleCost}`)
    .sort();
}

async function storedRollups(shop: Shop): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT concat_ws('|', dimension, subject_id, day::text, gmv_minor, refunds_minor, orders, units, commissions_minor, platform_fees_minor,
                      cogs_minor, cogs_missing_units, sample_units, sample_cost_minor) AS row
     FROM metric_rollups WHERE shop_id = $1`,
    [shop.uuid],
  );
  return rows.map((r: { row: string }) => r.row).sort();
}

// ---------------------------------------------------------------- the operations

const lineArb: fc.Arbitrary<Line> = fc.record({
  orderSlot: fc.nat(5),
  product: fc.nat(3),
  creator: fc.nat(3),
  videoSlot: fc.nat(2),
  status: fc.constantFrom(...STATUSES),
  viaPlatform: fc.boolean(),
  quantity: fc.integer({ min: 1, max: 3 }),
  gmv: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(1, 5, 15, 25, 125)),
  refund: fc.constant(null),
  isSample: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  instant: fc.nat(INSTANTS.length - 1),
  reportedBps: fc.option(fc.constantFrom(0, 333, 1250, 2500), { freq: 4 }),
});

type Op =
  | { kind: 'insert'; line: Line }
  | { kind: 'status'; target: number; status: OrderStatus; viaPlatform: boolean }
  | { kind: 'refund'; target: number; permille: number; markRefunded: boolean }
  | { kind: 'cancel'; target: number; viaPlatform: boolean }
  | { kind: 'retry'; target: number }
  | { kind: 'move'; target: number; instant: number }
  | { kind: 'bad'; target: number; what: 'refund' | 'quantity' | 'currency' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: lineArb.map((line) => ({ kind: 'insert' as const, line })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), target: fc.nat(), status: fc.constantFrom(...STATUSES), viaPlatform: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), target: fc.nat(), permille: fc.integer({ min: 0, max: 1000 }), markRefunded: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), target: fc.nat(), viaPlatform: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry' as const), target: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), target: fc.nat(), instant: fc.nat(INSTANTS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad' as const), target: fc.nat(), what: fc.constantFrom('refund' as const, 'quantity' as const, 'currency' as const) }) },
);

const batchesArb = fc.array(fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 6 }), decimal: fc.boolean() }), { minLength: 1, maxLength: 7 });

let lineCounter = 0;
const newLineId = () => String(7_310_000_000_000_000_000n + BigInt(++lineCounter));

describe('ingestOrders keeps metric_rollups equal to an independent aggregation', () => {
  it('over random sequences of inserts, status changes, refunds, cancellations, retries and moves', async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, async (batches) => {
        const shop = await freshShop();
        const stored = new Map<string, Line>();
        for (const { ops, decimal } of batches) {
          // The batch's rows by externalId: each line at most once per batch, ops applied in order.
          const next = new Map<string, Line>();
          const bad = new Map<string, { input: OrderInput; code: string }>();
          const ids = [...stored.keys()];
          const current = (id: string) => next.get(id) ?? stored.get(id)!;
          for (const op of ops) {
            if (op.kind === 'insert') {
              next.set(newLineId(), op.line);
              continue;
            }
            if (ids.length === 0) continue;
            const id = ids[op.target % ids.length];
            if (bad.has(id)) continue;
            const line = current(id);
            switch (op.kind) {
              case 'status':
                next.set(id, { ...line, status: op.status, viaPlatform: op.viaPlatform });
                break;
              case 'refund': {
                const refund = Math.floor((line.gmv * op.permille) / 1000);
                next.set(id, { ...line, refund, status: op.markRefunded ? 'REFUNDED' : line.status });
                break;
              }
              case 'cancel':
                next.set(id, { ...line, status: 'CANCELLED', viaPlatform: op.viaPlatform });
                break;
              case 'retry':
                next.set(id, line);
                break;
              case 'move':
                next.set(id, { ...line, instant: op.instant });
                break;
              case 'bad': {
                if (next.has(id)) break; // one row per line and batch
                const input = render(shop, id, line, decimal);
                if (op.what === 'refund') bad.set(id, { input: { ...input, refundedAmount: { amountMinor: line.gmv + 1, currency: 'USD' } }, code: 'REFUND_EXCEEDS_GMV' });
                if (op.what === 'quantity') bad.set(id, { input: { ...input, quantity: 0 }, code: 'INVALID_QUANTITY' });
                if (op.what === 'currency') bad.set(id, { input: { ...input, gmv: { amountMinor: line.gmv, currency: 'EUR' } }, code: 'CURRENCY_MISMATCH' });
                break;
              }
            }
          }
          const inputs = [...[...next.entries()].map(([id, l]) => render(shop, id, l, decimal)), ...[...bad.values()].map((b) => b.input)];
          const expected = { inserted: 0, updated: 0, unchanged: 0 };
          for (const [id, l] of next) {
            const before = stored.get(id);
            if (!before) expected.inserted++;
            else if (storedKey(before) === storedKey(l)) expected.unchanged++;
            else expected.updated++;
          }
          const { ingestOrders } = await t.ok(IngestOrdersDocument, { shopId: shop.id, orders: inputs }, agency.token);
          expect({ ...ingestOrders, rejected: ingestOrders.rejected.map((r) => [r.externalId, r.code]) }).toEqual({
            ...expected,
            rejected: [...bad.entries()].map(([id, b]) => [id, b.code]),
          });
          for (const [id, l] of next) stored.set(id, l);
          expect(await storedRollups(shop)).toEqual(expectedRollups(shop, stored));
        }
        // The rebuild recomputes from the raw rows and lands on the same rollups.
        const before = await storedRollups(shop);
        await db.query(`UPDATE metric_rollups SET gmv_minor = gmv_minor + 1 WHERE shop_id = $1`, [shop.uuid]);
        await rebuildMetrics(t.server.db, { agencyId: agency.agencyId });
        expect(await storedRollups(shop)).toEqual(before);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 15), endOnFailure: false },
    );
  });
});
