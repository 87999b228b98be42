import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { setClock } from '../src/common/clock';
import { toGlobalId } from '../src/common/global-id';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_TODAY, seedDemoData } from '../src/cli/demo-data';
import {
  AccessMatrixCreateMemberDocument,
  AuditLogDocument,
  CreateApiKeyDocument,
  CreateClientDocument,
  CreateShopDocument,
  HealthTestRecordDocument,
  HealthTestSettingsDocument,
  HealthTestShopDocument,
  HealthTestShopsDocument,
  HealthTestUpdateSettingsDocument,
  LoginDocument,
  type Role,
  type ShopHealthInput,
} from './generated/graphql';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let acme: TestAgency;
let rival: TestAgency;
let client1: string;
let client2: string;
/** US shop of client 1 (New York), GB shop of client 1 (London), US shop of client 2. */
let usShop: string;
let gbShop: string;
let otherClientShop: string;
let rivalShop: string;

const PASSWORD = 'correct-horse-battery';
let counter = 0;

async function createShop(agency: TestAgency, clientId: string, region: string, currency: string, timeZone: string): Promise<string> {
  const { createShop } = await t.ok(
    CreateShopDocument,
    { input: { clientId, name: `Shop ${++counter}`, externalId: `7495${String(++counter).padStart(15, '0')}`, region, currency, timeZone } },
    agency.token,
  );
  return createShop.id;
}

async function member(role: Role, clientId?: string): Promise<string> {
  const email = `${role.toLowerCase()}-${++counter}@example.com`;
  await t.ok(AccessMatrixCreateMemberDocument, { input: { email, name: `A ${role}`, role, clientId, password: PASSWORD } }, acme.token);
  return (await t.ok(LoginDocument, { email, password: PASSWORD })).login.token;
}

async function apiKey(scope: 'READ' | 'INGEST' | 'WRITE'): Promise<string> {
  return (await t.ok(CreateApiKeyDocument, { name: `key ${++counter}`, scopes: [scope] }, acme.token)).createApiKey.secret;
}

/** A fresh day for each recorded snapshot, so cases do not replace each other. */
let day = Date.parse('2026-01-01T00:00:00Z');
const nextDay = () => new Date((day += 86_400_000)).toISOString().slice(0, 10);

function record(shopId: string, input: Partial<ShopHealthInput>, token = acme.token) {
  return t.gql(HealthTestRecordDocument, { shopId, input: { date: nextDay(), ...input } }, token);
}

async function recorded(shopId: string, input: Partial<ShopHealthInput>) {
  const res = await record(shopId, input);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data!.recordShopHealth;
}

function fieldsOf(res: GqlResult<unknown>): string[] {
  return Object.keys(res.errors?.[0]?.extensions?.fields ?? {}).sort();
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const db = new PgClient({ connectionString: t.database.url });
  await db.connect();
  try {
    return (await db.query(text, params)).rows as T[];
  } finally {
    await db.end();
  }
}

const RANGE_ALL = { from: '2025-01-01', to: '2027-12-31' };
/** For lists of shops: a history is priced at one item per day of its range, so a page of 100 shops asks for a year. */
const RANGE_2026 = { from: '2026-01-01', to: '2026-12-31' };

beforeAll(async () => {
  setClock('2026-11-20T12:00:00Z');
  t = await startTestServer();
  acme = await t.createAgency('Acme Health');
  rival = await t.createAgency('Rival Health');
  client1 = (await t.ok(CreateClientDocument, { input: { name: 'Glow' } }, acme.token)).createClient.id;
  client2 = (await t.ok(CreateClientDocument, { input: { name: 'Other' } }, acme.token)).createClient.id;
  usShop = await createShop(acme, client1, 'US', 'USD', 'America/New_York');
  gbShop = await createShop(acme, client1, 'GB', 'GBP', 'Europe/London');
  otherClientShop = await createShop(acme, client2, 'US', 'USD', 'America/Chicago');
  const rivalClient = (await t.ok(CreateClientDocument, { input: { name: 'Rival brand' } }, rival.token)).createClient.id;
  rivalShop = await createShop(rival, rivalClient, 'US', 'USD', 'America/New_York');
});
afterAll(async () => {
  setClock();
  await t.stop();
});

describe('risk levels against the default (TikTok Shop US) standards, margin 0.2', () => {
  // [metric, value, level]: at the AT_RISK edge (OK), inside the band, at the threshold, beyond it.
  const cases: Array<[keyof ShopHealthInput, number, string]> = [
    ['lateDispatchRate', 0, 'OK'],
    ['lateDispatchRate', 0.032, 'OK'],
    ['lateDispatchRate', 0.035, 'AT_RISK'],
    ['lateDispatchRate', 0.04, 'AT_RISK'],
    ['lateDispatchRate', 0.0401, 'BREACH'],
    ['validTrackingRate', 1, 'OK'],
    ['validTrackingRate', 0.96, 'OK'],
    ['validTrackingRate', 0.955, 'AT_RISK'],
    ['validTrackingRate', 0.95, 'AT_RISK'],
    ['validTrackingRate', 0.9499, 'BREACH'],
    ['sellerFaultCancellationRate', 0.02, 'OK'],
    ['sellerFaultCancellationRate', 0.022, 'AT_RISK'],
    ['sellerFaultCancellationRate', 0.025, 'AT_RISK'],
    ['sellerFaultCancellationRate', 0.026, 'BREACH'],
    ['onTimeDeliveryRate', 0.84, 'OK'],
    ['onTimeDeliveryRate', 0.82, 'AT_RISK'],
    ['onTimeDeliveryRate', 0.8, 'AT_RISK'],
    ['onTimeDeliveryRate', 0.79, 'BREACH'],
    ['shopPerformanceScore', 5, 'OK'],
    ['shopPerformanceScore', 3.8, 'OK'],
    ['shopPerformanceScore', 3.6, 'AT_RISK'],
    ['shopPerformanceScore', 3.5, 'AT_RISK'],
    ['shopPerformanceScore', 3.4, 'BREACH'],
  ];
  const THRESHOLDS: Record<string, number> = {
    lateDispatchRate: 0.04,
    validTrackingRate: 0.95,
    sellerFaultCancellationRate: 0.025,
    onTimeDeliveryRate: 0.8,
    shopPerformanceScore: 3.5,
  };

  it.each(cases)('%s = %d is %s', async (metric, value, level) => {
    const health = await recorded(usShop, { [metric]: value });
    expect(health.risks).toEqual([{ metric, value, threshold: THRESHOLDS[metric], level }]);
  });

  it('judges every metric present, in a fixed order, and leaves out the refund rate (no standard unless the agency sets one)', async () => {
    const health = await recorded(usShop, {
      shopPerformanceScore: 4.5,
      refundRate: 0.3,
      onTimeDeliveryRate: 0.7,
      lateDispatchRate: 0.01,
      validTrackingRate: 0.99,
      sellerFaultCancellationRate: 0.024,
    });
    expect(health).toMatchObject({ refundRate: 0.3, shopPerformanceScore: 4.5 });
    expect(health.risks.map((r) => [r.metric, r.level])).toEqual([
      ['lateDispatchRate', 'OK'],
      ['validTrackingRate', 'OK'],
      ['sellerFaultCancellationRate', 'AT_RISK'],
      ['onTimeDeliveryRate', 'BREACH'],
      ['shopPerformanceScore', 'OK'],
    ]);
  });
});

describe('recordShopHealth', () => {
  it('upserts one snapshot per shop and day: recording a day again replaces it (metrics left out are cleared)', async () => {
    const shop = await createShop(acme, client1, 'US', 'USD', 'America/New_York');
    await recorded(shop, { date: '2026-03-02', lateDispatchRate: 0.05, validTrackingRate: 0.97 });
    await recorded(shop, { date: '2026-03-01', lateDispatchRate: 0.01 });
    const again = await recorded(shop, { date: '2026-03-02', lateDispatchRate: 0.02 });
    expect(again).toMatchObject({ date: '2026-03-02', lateDispatchRate: 0.02, validTrackingRate: null });

    const { shop: read } = await t.ok(HealthTestShopDocument, { id: shop, range: RANGE_ALL }, acme.token);
    expect(read!.healthHistory.map((h) => [h.date, h.lateDispatchRate, h.validTrackingRate])).toEqual([
      ['2026-03-01', 0.01, null],
      ['2026-03-02', 0.02, null],
    ]);
    // The latest day, not the latest recorded.
    expect(read!.health).toMatchObject({ date: '2026-03-02', lateDispatchRate: 0.02, risks: [{ metric: 'lateDispatchRate', level: 'OK' }] });
    expect(await sql('SELECT count(*)::int AS n FROM shop_health WHERE shop_id = $1', [Buffer.from(shop, 'base64url').toString().split(':')[1]])).toEqual([{ n: 2 }]);
  });

  it('reports every bad value at once, by input path', async () => {
    const res = await t.gql(
      HealthTestRecordDocument,
      {
        shopId: client1, // a Client id
        input: { date: '2026-02-01', lateDispatchRate: 1.5, validTrackingRate: -0.1, refundRate: 2, shopPerformanceScore: 5.01, onTimeDeliveryRate: 0.5 },
      },
      acme.token,
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions!.fields).toEqual({
      shopId: ['Expected a Shop id, got a Client id'],
      'input.lateDispatchRate': ['must be a share from 0 to 1'],
      'input.validTrackingRate': ['must be a share from 0 to 1'],
      'input.refundRate': ['must be a share from 0 to 1'],
      'input.shopPerformanceScore': ['must be a score from 0 to 5'],
    });
  });

  it('needs at least one metric, and a day that is not in the future in the shop\'s time zone', async () => {
    const empty = await t.gql(HealthTestRecordDocument, { shopId: usShop, input: { date: '2026-02-01' } }, acme.token);
    expect(fieldsOf(empty)).toEqual(['input']);
    // The clock says 2026-11-20T12:00Z: already the 21st nowhere near New York, so the 21st is refused there.
    const future = await t.gql(HealthTestRecordDocument, { shopId: usShop, input: { date: '2026-11-21', lateDispatchRate: 0.01 } }, acme.token);
    expect(codes(future)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(future)).toEqual(['input.date']);
    const today = await t.gql(HealthTestRecordDocument, { shopId: usShop, input: { date: '2026-11-20', lateDispatchRate: 0.01 } }, acme.token);
    expect(today.errors).toBeUndefined();
  });

  it("answers another agency's shop exactly like a shop that does not exist, and writes nothing", async () => {
    const before = await sql('SELECT count(*)::int AS n FROM shop_health');
    const theirs = await record(rivalShop, { lateDispatchRate: 0.01 });
    const ghost = await record(toGlobalId('Shop', randomUUID()), { lateDispatchRate: 0.01 });
    expect(codes(theirs)).toEqual(['NOT_FOUND']);
    expect(theirs.errors![0].extensions).toEqual(ghost.errors![0].extensions);
    expect(theirs.errors![0].message).toEqual(ghost.errors![0].message);
    expect(theirs.data).toBeNull();
    expect(await sql('SELECT count(*)::int AS n FROM shop_health')).toEqual(before);
  });

  it('may be called with an INGEST API key, not with a READ key nor by an analyst', async () => {
    const ingest = await apiKey('INGEST');
    const ok = await record(usShop, { validTrackingRate: 0.99 }, ingest);
    expect(ok.errors).toBeUndefined();
    expect(codes(await record(usShop, { validTrackingRate: 0.99 }, await apiKey('READ')))).toEqual(['FORBIDDEN']);
    expect(codes(await record(usShop, { validTrackingRate: 0.99 }, await apiKey('WRITE')))).toEqual(['FORBIDDEN']);
    expect(codes(await record(usShop, { validTrackingRate: 0.99 }, await member('ANALYST')))).toEqual(['FORBIDDEN']);
    expect(codes(await record(usShop, { validTrackingRate: 0.99 }, await member('ACCOUNT_MANAGER')))).toEqual([]);
  });

  it('is audited, naming the shop', async () => {
    const shop = await createShop(acme, client1, 'US', 'USD', 'America/New_York');
    await recorded(shop, { lateDispatchRate: 0.01 });
    const { auditLog } = await t.ok(AuditLogDocument, { first: 1, filter: { operations: ['recordShopHealth'] } }, acme.token);
    expect(auditLog.edges[0].node).toMatchObject({ operation: 'recordShopHealth', targetIds: [shop] });
  });
});

describe('Shop.health and Shop.healthHistory', () => {
  it('history is inclusive at both ends, oldest first; a shop with no snapshot has null health and an empty history', async () => {
    const shop = await createShop(acme, client1, 'US', 'USD', 'America/New_York');
    const empty = await t.ok(HealthTestShopDocument, { id: shop, range: RANGE_ALL }, acme.token);
    expect(empty.shop).toMatchObject({ health: null, healthHistory: [] });
    for (const date of ['2026-05-03', '2026-05-01', '2026-05-05', '2026-05-02', '2026-04-30']) await recorded(shop, { date, lateDispatchRate: 0.01 });
    const { shop: read } = await t.ok(HealthTestShopDocument, { id: shop, range: { from: '2026-05-01', to: '2026-05-03' } }, acme.token);
    expect(read!.healthHistory.map((h) => h.date)).toEqual(['2026-05-01', '2026-05-02', '2026-05-03']);
    expect(read!.health!.date).toBe('2026-05-05');
    const oneDay = await t.ok(HealthTestShopDocument, { id: shop, range: { from: '2026-05-05', to: '2026-05-05' } }, acme.token);
    expect(oneDay.shop!.healthHistory.map((h) => h.date)).toEqual(['2026-05-05']);
  });

  it('refuses a range that ends before it starts or spans more than 1,096 days, on range.to', async () => {
    const backwards = await t.gql(HealthTestShopDocument, { id: usShop, range: { from: '2026-05-02', to: '2026-05-01' } }, acme.token);
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
    expect(backwards.errors![0].extensions!.fields).toEqual({ 'range.to': ['must be on or after from (2026-05-02)'] });
    const long = await t.gql(HealthTestShopDocument, { id: usShop, range: { from: '2024-01-01', to: '2027-01-01' } }, acme.token);
    expect(fieldsOf(long)).toEqual(['range.to']);
    // Three whole calendar years (a leap year among them) are allowed.
    const three = await t.gql(HealthTestShopDocument, { id: usShop, range: { from: '2024-01-01', to: '2026-12-31' } }, acme.token);
    expect(three.errors).toBeUndefined();
  });

  it("shows another agency nothing: each sees only its own shops' health", async () => {
    await t.ok(HealthTestRecordDocument, { shopId: rivalShop, input: { date: '2026-07-01', lateDispatchRate: 0.9 } }, rival.token);
    expect((await t.ok(HealthTestShopDocument, { id: usShop, range: RANGE_ALL }, rival.token)).shop).toBeNull();
    expect((await t.ok(HealthTestShopDocument, { id: rivalShop, range: RANGE_ALL }, acme.token)).shop).toBeNull();
    const rivals = await t.ok(HealthTestShopsDocument, { first: 100, range: RANGE_2026 }, rival.token);
    expect(rivals.shops.edges.map((e) => e.node.id)).toEqual([rivalShop]);
    expect(rivals.shops.edges[0].node.health).toEqual({ date: '2026-07-01', risks: [{ metric: 'lateDispatchRate', level: 'BREACH' }] });
    const ours = await t.ok(HealthTestShopsDocument, { first: 100, range: RANGE_2026 }, acme.token);
    expect(ours.shops.edges.flatMap((e) => e.node.healthHistory.map((h) => h.date))).not.toContain('2026-07-01');
  });

  it("a CLIENT_VIEWER sees their client's shops' health only", async () => {
    await recorded(otherClientShop, { date: '2026-06-01', shopPerformanceScore: 3 });
    const viewer = await member('CLIENT_VIEWER', client2);
    const { shops } = await t.ok(HealthTestShopsDocument, { first: 100, range: RANGE_2026 }, viewer);
    expect(shops.edges.map((e) => e.node.id)).toEqual([otherClientShop]);
    expect(shops.edges[0].node.health).toEqual({ date: '2026-06-01', risks: [{ metric: 'shopPerformanceScore', level: 'BREACH' }] });
    expect(shops.edges[0].node.healthHistory).toEqual([{ date: '2026-06-01' }]);
    const other = await t.ok(HealthTestShopDocument, { id: usShop, range: RANGE_ALL }, viewer);
    expect(other.shop).toBeNull();
    // Even asked through the history of the shop they may see, only its own rows come back.
    const own = await t.ok(HealthTestShopDocument, { id: otherClientShop, range: RANGE_ALL }, viewer);
    expect(own.shop!.healthHistory).toHaveLength(1);
  });

  it('loads health and history of a list of shops in a fixed number of statements', async () => {
    const statementsFor = async (shops: number) => {
      const agency = await t.createAgency(`Count ${shops}`);
      const client = (await t.ok(CreateClientDocument, { input: { name: 'C' } }, agency.token)).createClient.id;
      for (let i = 0; i < shops; i++) {
        const shop = await createShop(agency, client, i % 2 ? 'GB' : 'US', 'USD', 'America/New_York');
        await t.ok(HealthTestRecordDocument, { shopId: shop, input: { date: '2026-04-01', lateDispatchRate: 0.01 * i } }, agency.token);
        await t.ok(HealthTestRecordDocument, { shopId: shop, input: { date: '2026-04-02', lateDispatchRate: 0.01 } }, agency.token);
      }
      t.sql.reset();
      const { shops: listed } = await t.ok(HealthTestShopsDocument, { first: 100, range: RANGE_2026 }, agency.token);
      expect(listed.edges).toHaveLength(shops);
      expect(listed.edges.every((e) => e.node.health?.date === '2026-04-02' && e.node.healthHistory.length === 2)).toBe(true);
      return t.sql.count;
    };
    const small = await statementsFor(2);
    const large = await statementsFor(8);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(6);
  });
});

describe('agency settings', () => {
  const defaults = {
    healthAtRiskMargin: 0.2,
    healthThresholds: [
      { metric: 'LATE_DISPATCH_RATE', threshold: 0.04, direction: 'AT_MOST', isDefault: true },
      { metric: 'VALID_TRACKING_RATE', threshold: 0.95, direction: 'AT_LEAST', isDefault: true },
      { metric: 'SELLER_FAULT_CANCELLATION_RATE', threshold: 0.025, direction: 'AT_MOST', isDefault: true },
      { metric: 'ON_TIME_DELIVERY_RATE', threshold: 0.8, direction: 'AT_LEAST', isDefault: true },
      { metric: 'SHOP_PERFORMANCE_SCORE', threshold: 3.5, direction: 'AT_LEAST', isDefault: true },
    ],
    regionHealthThresholds: [],
    contentReviewSlaHours: 48,
  };

  it('start from the documented defaults', async () => {
    const fresh = await t.createAgency('Fresh settings');
    const { agency } = await t.ok(HealthTestSettingsDocument, {}, fresh.token);
    expect(agency.settings).toMatchObject(defaults);
    expect(agency.settings.tierThresholds).toContainEqual({
      currency: 'USD',
      starMinGmv: { amountMinor: 1_000_000, currency: 'USD' },
      risingMinGmv: { amountMinor: 200_000, currency: 'USD' },
      isDefault: true,
    });
  });

  it('are readable by admins and account managers, not by analysts or client viewers; only admins change them', async () => {
    for (const role of ['SENIOR_ACCOUNT_MANAGER', 'ACCOUNT_MANAGER'] as const) {
      const res = await t.gql(HealthTestSettingsDocument, {}, await member(role));
      expect(res.errors).toBeUndefined();
    }
    for (const token of [await member('ANALYST'), await member('CLIENT_VIEWER', client1), await apiKey('READ')]) {
      expect(codes(await t.gql(HealthTestSettingsDocument, {}, token))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await t.gql(HealthTestUpdateSettingsDocument, { input: { contentReviewSlaHours: 24 } }, await member('ACCOUNT_MANAGER')))).toEqual(['FORBIDDEN']);
  });

  it('report every problem of an input at once, by path, and change nothing', async () => {
    const before = await t.ok(HealthTestSettingsDocument, {}, acme.token);
    const res = await t.gql(
      HealthTestUpdateSettingsDocument,
      {
        input: {
          healthAtRiskMargin: 1,
          healthThresholds: [
            { metric: 'LATE_DISPATCH_RATE', threshold: 1.2 },
            { metric: 'SHOP_PERFORMANCE_SCORE', threshold: 4.5 },
            { metric: 'SHOP_PERFORMANCE_SCORE', threshold: 4 },
          ],
          regionHealthThresholds: [
            { region: 'GB', thresholds: [{ metric: 'VALID_TRACKING_RATE', threshold: -1 }] },
            { region: 'GB', thresholds: [{ metric: 'VALID_TRACKING_RATE', threshold: 0.9 }] },
            { region: 'DE', thresholds: [] },
          ],
          tierThresholds: [
            { currency: 'USD', starMinGmvMinor: 100, risingMinGmvMinor: 100 },
            { currency: 'USD', starMinGmvMinor: 500, risingMinGmvMinor: 100 },
            { currency: 'GBP', starMinGmvMinor: 0, risingMinGmvMinor: 5 },
          ],
          contentReviewSlaHours: 721,
        },
      },
      acme.token,
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions!.fields).toEqual({
      'input.healthAtRiskMargin': ['must be less than 1'],
      'input.healthThresholds.0.threshold': ['must be from 0 to 1 for LATE_DISPATCH_RATE'],
      'input.healthThresholds.2.metric': ['SHOP_PERFORMANCE_SCORE is listed twice'],
      'input.regionHealthThresholds.0.thresholds.0.threshold': ['must be from 0 to 1 for VALID_TRACKING_RATE'],
      'input.regionHealthThresholds.1.region': ['GB is listed twice'],
      'input.regionHealthThresholds.2.thresholds': [expect.stringMatching(/at least 1/)],
      'input.tierThresholds.0.risingMinGmvMinor': ['must be less than starMinGmvMinor'],
      'input.tierThresholds.1.currency': ['USD is listed twice'],
      'input.tierThresholds.2.starMinGmvMinor': [expect.stringMatching(/not be less than 1/)],
      'input.contentReviewSlaHours': [expect.stringMatching(/not be greater than 720/)],
    });
    expect(await t.ok(HealthTestSettingsDocument, {}, acme.token)).toEqual(before);
  });

  it('refuses a review SLA under one hour', async () => {
    const res = await t.gql(HealthTestUpdateSettingsDocument, { input: { contentReviewSlaHours: 0 } }, acme.token);
    expect(fieldsOf(res)).toEqual(['input.contentReviewSlaHours']);
  });

  it('change only the fields given, keep keys other modules store, and go back to defaults on null', async () => {
    const agency = await t.createAgency('Settings keys');
    await sql(`UPDATE agencies SET settings = '{"otherModule": {"keep": true}}' WHERE id = $1`, [agency.agencyId]);
    const { updateAgencySettings: first } = await t.ok(
      HealthTestUpdateSettingsDocument,
      { input: { contentReviewSlaHours: 24, tierThresholds: [{ currency: 'JPY', starMinGmvMinor: 1_500_000, risingMinGmvMinor: 300_000 }] } },
      agency.token,
    );
    expect(first.contentReviewSlaHours).toBe(24);
    expect(first.tierThresholds).toContainEqual({
      currency: 'JPY',
      starMinGmv: { amountMinor: 1_500_000, currency: 'JPY' },
      risingMinGmv: { amountMinor: 300_000, currency: 'JPY' },
      isDefault: false,
    });
    const { updateAgencySettings: second } = await t.ok(HealthTestUpdateSettingsDocument, { input: { healthAtRiskMargin: 0.1 } }, agency.token);
    expect(second).toMatchObject({ contentReviewSlaHours: 24, healthAtRiskMargin: 0.1 });
    // The review SLA lives at the exact key another module reads.
    expect(await sql('SELECT settings FROM agencies WHERE id = $1', [agency.agencyId])).toEqual([
      { settings: { otherModule: { keep: true }, contentReviewSlaHours: 24, health: { atRiskMargin: 0.1 }, tierThresholds: { JPY: { star: 1_500_000, rising: 300_000 } } } },
    ]);
    const { updateAgencySettings: reset } = await t.ok(
      HealthTestUpdateSettingsDocument,
      { input: { contentReviewSlaHours: null, healthAtRiskMargin: null, tierThresholds: null } },
      agency.token,
    );
    expect(reset).toMatchObject(defaults);
    expect(reset.tierThresholds.every((x) => x.isDefault)).toBe(true);
    expect(await sql('SELECT settings FROM agencies WHERE id = $1', [agency.agencyId])).toEqual([{ settings: { otherModule: { keep: true } } }]);
    const { auditLog } = await t.ok(AuditLogDocument, { first: 1, filter: { operations: ['updateAgencySettings'] } }, agency.token);
    expect(auditLog.edges[0].node.targetIds).toEqual([toGlobalId('Agency', agency.agencyId)]);
  });

  it("move risk levels: agency-wide thresholds, the margin, a region's own thresholds (other regions keep the agency's)", async () => {
    const agency = await t.createAgency('Thresholds');
    const client = (await t.ok(CreateClientDocument, { input: { name: 'C' } }, agency.token)).createClient.id;
    const us = await createShop(agency, client, 'US', 'USD', 'America/New_York');
    const gb = await createShop(agency, client, 'GB', 'GBP', 'Europe/London');
    const health = async (shopId: string, input: Partial<ShopHealthInput>) =>
      (await t.ok(HealthTestRecordDocument, { shopId, input: { date: nextDay(), ...input } }, agency.token)).recordShopHealth.risks;

    expect(await health(gb, { lateDispatchRate: 0.05 })).toEqual([{ metric: 'lateDispatchRate', value: 0.05, threshold: 0.04, level: 'BREACH' }]);

    const { updateAgencySettings } = await t.ok(
      HealthTestUpdateSettingsDocument,
      {
        input: {
          healthThresholds: [{ metric: 'REFUND_RATE', threshold: 0.1 }],
          regionHealthThresholds: [{ region: 'GB', thresholds: [{ metric: 'LATE_DISPATCH_RATE', threshold: 0.06 }] }],
        },
      },
      agency.token,
    );
    expect(updateAgencySettings.regionHealthThresholds).toEqual([
      { region: 'GB', thresholds: [{ metric: 'LATE_DISPATCH_RATE', threshold: 0.06, direction: 'AT_MOST', isDefault: false }] },
    ]);
    expect(updateAgencySettings.healthThresholds).toContainEqual({ metric: 'REFUND_RATE', threshold: 0.1, direction: 'AT_MOST', isDefault: false });

    // GB: 0.06 threshold, AT_RISK above 0.048; US keeps 0.04.
    expect(await health(gb, { lateDispatchRate: 0.05 })).toEqual([{ metric: 'lateDispatchRate', value: 0.05, threshold: 0.06, level: 'AT_RISK' }]);
    expect(await health(gb, { lateDispatchRate: 0.048 })).toEqual([{ metric: 'lateDispatchRate', value: 0.048, threshold: 0.06, level: 'OK' }]);
    expect(await health(gb, { lateDispatchRate: 0.061 })).toEqual([{ metric: 'lateDispatchRate', value: 0.061, threshold: 0.06, level: 'BREACH' }]);
    expect(await health(us, { lateDispatchRate: 0.05, refundRate: 0.09 })).toEqual([
      { metric: 'lateDispatchRate', value: 0.05, threshold: 0.04, level: 'BREACH' },
      { metric: 'refundRate', value: 0.09, threshold: 0.1, level: 'AT_RISK' },
    ]);
    // The GB override of late dispatch leaves GB's other metrics on the agency's thresholds.
    expect(await health(gb, { validTrackingRate: 0.951 })).toEqual([{ metric: 'validTrackingRate', value: 0.951, threshold: 0.95, level: 'AT_RISK' }]);

    // A margin of 0: only breaches and OK.
    await t.ok(HealthTestUpdateSettingsDocument, { input: { healthAtRiskMargin: 0 } }, agency.token);
    expect(await health(us, { lateDispatchRate: 0.04 })).toEqual([{ metric: 'lateDispatchRate', value: 0.04, threshold: 0.04, level: 'OK' }]);
    // A margin of 0.5: valid tracking AT_RISK below 97.5 %.
    await t.ok(HealthTestUpdateSettingsDocument, { input: { healthAtRiskMargin: 0.5 } }, agency.token);
    expect((await health(us, { validTrackingRate: 0.97 }))[0].level).toBe('AT_RISK');
    expect((await health(us, { validTrackingRate: 0.975 }))[0].level).toBe('OK');

    // Stored snapshots are judged on read, with the thresholds of now.
    const { shop } = await t.ok(HealthTestShopDocument, { id: gb, range: RANGE_ALL }, agency.token);
    expect(shop!.healthHistory[0].risks).toEqual([{ metric: 'lateDispatchRate', value: 0.05, threshold: 0.06, level: 'AT_RISK' }]);
  });
});

describe('the demo agency', () => {
  it('has a health snapshot per shop per day for its last 90 days, judged at every level', async () => {
    await seedDemoData(t.server.db);
    const token = (await t.ok(LoginDocument, { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD })).login.token;
    const res = await t.gql<{ shops: { edges: Array<{ node: { health: { date: string } | null; healthHistory: Array<{ risks: Array<{ level: string }> }> } }> } }, unknown>(
      `query ($range: DateRangeInput!) { shops(first: 10) { edges { node { health { date } healthHistory(range: $range) { risks { level } } } } } }`,
      { range: { from: '2026-08-01', to: DEMO_TODAY } },
      token,
    );
    expect(res.errors).toBeUndefined();
    const shops = res.data!.shops.edges.map((e) => e.node);
    expect(shops.length).toBeGreaterThanOrEqual(3);
    const yesterday = new Date(Date.parse(`${DEMO_TODAY}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    for (const shop of shops) expect(shop.health?.date).toBe(yesterday);
    expect(Math.max(...shops.map((s) => s.healthHistory.length))).toBe(90);
    const levels = new Set(shops.flatMap((s) => s.healthHistory.flatMap((h) => h.risks.map((r) => r.level))));
    expect([...levels].sort()).toEqual(['AT_RISK', 'BREACH', 'OK']);
  });
});
