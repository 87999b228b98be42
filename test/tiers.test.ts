import { Client as PgClient } from 'pg';
import { setClock } from '../src/common/clock';
import { parseGlobalId } from '../src/common/global-id';
import { refreshCreatorTiers } from '../src/modules/creator/tiers';
import {
  AccessMatrixCreateMemberDocument,
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  EnrollCreatorsDocument,
  CreateShopDocument,
  HealthTestUpdateSettingsDocument,
  LoginDocument,
  TiersTestCreatorDocument,
  TiersTestCreatorsDocument,
  type CreatorTier,
} from './generated/graphql';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

/**
 * Creator tiers from the creator rollups (metric_rollups, dimension 'R'), which the ingest fills;
 * here the rows are inserted directly. The clock is fixed, so "today" is known: 2026-06-15 (UTC).
 */

let t: TestServer;
let counter = 0;
const TODAY = '2026-06-15';

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const db = new PgClient({ connectionString: t.database.url });
  await db.connect();
  try {
    return (await db.query(text, params)).rows as T[];
  } finally {
    await db.end();
  }
}

const uuidOf = (globalId: string) => parseGlobalId(globalId)!.key;

/** A day `n` days before TODAY. */
function daysAgo(n: number, today = TODAY): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

interface Fixture {
  agency: TestAgency;
  shops: Record<'USD' | 'GBP' | 'JPY', string>;
}

async function fixture(name: string): Promise<Fixture> {
  const agency = await t.createAgency(name);
  const client = (await t.ok(CreateClientDocument, { input: { name: 'Brand' } }, agency.token)).createClient.id;
  const shop = async (region: string, currency: string) =>
    uuidOf(
      (
        await t.ok(
          CreateShopDocument,
          { input: { clientId: client, name: `Shop ${++counter}`, externalId: `ext-${++counter}`, region, currency, timeZone: 'UTC' } },
          agency.token,
        )
      ).createShop.id,
    );
  return { agency, shops: { USD: await shop('US', 'USD'), GBP: await shop('GB', 'GBP'), JPY: await shop('JP', 'JPY') } };
}

/** A creator added `addedDaysAgo` days before TODAY; its tier is left stale (as-of unknown). */
async function creator(f: Fixture, addedDaysAgo: number): Promise<string> {
  const { createCreator } = await t.ok(CreateCreatorDocument, { input: { handle: `tier_${++counter}`, followerCount: 10 } }, f.agency.token);
  await sql(`UPDATE creators SET created_at = ($2::date + time '12:00') AT TIME ZONE 'UTC', tier_as_of = NULL WHERE id = $1`, [
    uuidOf(createCreator.id),
    daysAgo(addedDaysAgo),
  ]);
  return createCreator.id;
}

/** A creator rollup row: what the ingest writes for a creator's attributed sales of one day in one shop. */
async function sales(f: Fixture, creatorId: string, currency: keyof Fixture['shops'], day: string, gmvMinor: number, orders = 1): Promise<void> {
  await sql(
    `INSERT INTO metric_rollups (agency_id, shop_id, dimension, subject_id, day, currency, gmv_minor, orders, units)
     VALUES ($1, $2, 'R', $3, $4, $5, $6, $7, $7)`,
    [f.agency.agencyId, f.shops[currency], uuidOf(creatorId), day, currency, gmvMinor, orders],
  );
}

async function tierOf(f: Fixture, creatorId: string): Promise<CreatorTier | undefined> {
  return (await t.ok(TiersTestCreatorDocument, { id: creatorId }, f.agency.token)).creator?.tier;
}

async function tiersOf(f: Fixture, ids: Record<string, string>): Promise<Record<string, CreatorTier>> {
  const { creators } = await t.ok(TiersTestCreatorsDocument, { first: 100 }, f.agency.token);
  const byId = new Map(creators.edges.map((e) => [e.node.id, e.node.tier]));
  return Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, byId.get(id)!]));
}

beforeAll(async () => {
  setClock(`${TODAY}T12:00:00Z`);
  t = await startTestServer();
});
afterAll(async () => {
  setClock();
  await t.stop();
});
afterEach(() => setClock(`${TODAY}T12:00:00Z`));

describe('the tier rules, as of today', () => {
  it('NEW, DORMANT, STAR, RISING and CORE at and around every threshold and window edge', async () => {
    const f = await fixture('Rules');
    const c: Record<string, string> = {};
    // NEW: added in the 30 days ending today (day 29 ago is inside), no sales in them.
    c.newToday = await creator(f, 0);
    c.new29 = await creator(f, 29);
    c.notNew30 = await creator(f, 30); // added 30 days ago: outside, and no sales: DORMANT
    // A new creator with a sale is no longer NEW.
    c.newWithSale = await creator(f, 10);
    await sales(f, c.newWithSale, 'USD', daysAgo(2), 50_000);
    // DORMANT: no sales in the 60 days ending today.
    c.neverSold = await creator(f, 400);
    c.sold60ago = await creator(f, 400);
    await sales(f, c.sold60ago, 'USD', daysAgo(60), 5_000_000);
    // Sold 59 days ago (inside 60) but nothing in the last 30: CORE, not DORMANT.
    c.sold59ago = await creator(f, 400);
    await sales(f, c.sold59ago, 'USD', daysAgo(59), 5_000_000);
    // Thresholds (USD defaults): STAR from 1,000,000, RISING from 200,000 minor units.
    c.starExact = await creator(f, 400);
    await sales(f, c.starExact, 'USD', daysAgo(0), 600_000);
    await sales(f, c.starExact, 'USD', daysAgo(29), 400_000); // day 29 ago is inside the 30-day window
    c.justBelowStar = await creator(f, 400);
    await sales(f, c.justBelowStar, 'USD', daysAgo(5), 999_999);
    await sales(f, c.justBelowStar, 'USD', daysAgo(30), 1_000_000); // day 30 ago is outside
    c.risingExact = await creator(f, 400);
    await sales(f, c.risingExact, 'USD', daysAgo(1), 200_000);
    c.justBelowRising = await creator(f, 400);
    await sales(f, c.justBelowRising, 'USD', daysAgo(1), 199_999);
    // Several currencies: the best tier over them (USD RISING, GBP STAR from 800,000).
    c.multiCurrency = await creator(f, 400);
    await sales(f, c.multiCurrency, 'USD', daysAgo(3), 300_000);
    await sales(f, c.multiCurrency, 'GBP', daysAgo(3), 800_000);
    // GMV in a currency without thresholds counts as CORE, however large.
    c.noThresholds = await creator(f, 400);
    await sales(f, c.noThresholds, 'JPY', daysAgo(3), 999_999_999);
    // Days after today (a clock behind the data) do not count.
    c.futureOnly = await creator(f, 400);
    await sales(f, c.futureOnly, 'USD', daysAgo(-1), 5_000_000);

    expect(await tiersOf(f, c)).toEqual({
      newToday: 'NEW',
      new29: 'NEW',
      notNew30: 'DORMANT',
      newWithSale: 'CORE',
      neverSold: 'DORMANT',
      sold60ago: 'DORMANT',
      sold59ago: 'CORE',
      starExact: 'STAR',
      justBelowStar: 'RISING',
      risingExact: 'RISING',
      justBelowRising: 'CORE',
      multiCurrency: 'STAR',
      noThresholds: 'CORE',
      futureOnly: 'DORMANT',
    });
    const stored = await sql<{ id: string; tier: string; tier_gmv_minor: string; tier_as_of: string }>(
      `SELECT id, tier, tier_gmv_minor, to_char(tier_as_of, 'YYYY-MM-DD') AS tier_as_of FROM creators WHERE id = ANY($1::uuid[])`,
      [[uuidOf(c.starExact), uuidOf(c.multiCurrency), uuidOf(c.neverSold)]],
    );
    const byId = Object.fromEntries(stored.map((r) => [r.id, r]));
    expect(byId[uuidOf(c.starExact)]).toMatchObject({ tier: 'STAR', tier_gmv_minor: '1000000', tier_as_of: TODAY });
    expect(byId[uuidOf(c.multiCurrency)]).toMatchObject({ tier: 'STAR', tier_gmv_minor: '800000' });
    expect(byId[uuidOf(c.neverSold)]).toMatchObject({ tier: 'DORMANT', tier_gmv_minor: '0' });
  });

  it('a creator just created is NEW as of today, without a refresh', async () => {
    const f = await fixture('Just created');
    const { createCreator } = await t.ok(CreateCreatorDocument, { input: { handle: `fresh_${++counter}`, followerCount: 1 } }, f.agency.token);
    expect(await sql(`SELECT tier, to_char(tier_as_of, 'YYYY-MM-DD') AS as_of FROM creators WHERE id = $1`, [uuidOf(createCreator.id)])).toEqual([
      { tier: 'NEW', as_of: TODAY },
    ]);
    expect(await tierOf(f, createCreator.id)).toBe('NEW');
  });
});

describe('keeping tiers current', () => {
  it('reads the stored tier all day; the first read of a new day refreshes the whole agency once', async () => {
    const f = await fixture('Daily refresh');
    const a = await creator(f, 400);
    const b = await creator(f, 400);
    await sales(f, a, 'USD', TODAY, 250_000);
    expect(await tiersOf(f, { a, b })).toEqual({ a: 'RISING', b: 'DORMANT' });

    // New sales the same day (rows written without the ingest's refresh): the stored tiers stand.
    await sales(f, a, 'USD', daysAgo(1), 800_000);
    await sales(f, b, 'USD', daysAgo(1), 300_000);
    t.sql.reset();
    expect(await tiersOf(f, { a, b })).toEqual({ a: 'RISING', b: 'DORMANT' });
    expect(t.sql.statements.some((s) => /metric_rollups/.test(s))).toBe(false);

    // The next day, the first read refreshes: a has 1,050,000 in the window, b 300,000.
    setClock('2026-06-16T00:30:00Z');
    t.sql.reset();
    expect(await tiersOf(f, { a, b })).toEqual({ a: 'STAR', b: 'RISING' });
    expect(t.sql.statements.filter((s) => /UPDATE creators/.test(s))).toHaveLength(1);
    // ...and later reads that day do not look again.
    t.sql.reset();
    expect(await tierOf(f, a)).toBe('STAR');
    expect(t.sql.statements.filter((s) => /metric_rollups|tier_as_of IS NULL/.test(s))).toHaveLength(0);

    // 31 days on, a's sales (15 and 16 June) have left the 30-day window: CORE (sold within 60 days).
    setClock('2026-07-16T12:00:00Z');
    expect(await tiersOf(f, { a, b })).toEqual({ a: 'CORE', b: 'CORE' });
    // 61 days after the last sale: DORMANT.
    setClock('2026-08-15T12:00:00Z');
    expect(await tiersOf(f, { a, b })).toEqual({ a: 'DORMANT', b: 'DORMANT' });
  });

  it('the tiers filter refreshes stale tiers first, then filters on the stored column', async () => {
    const f = await fixture('Filter');
    const star = await creator(f, 400);
    const rising = await creator(f, 400);
    const core = await creator(f, 400);
    const dormant = await creator(f, 400);
    const fresh = await creator(f, 3);
    await sales(f, star, 'USD', daysAgo(1), 2_000_000);
    await sales(f, rising, 'GBP', daysAgo(1), 170_000);
    await sales(f, core, 'USD', daysAgo(1), 1_000);
    const filtered = async (tiers: CreatorTier[]) =>
      (await t.ok(TiersTestCreatorsDocument, { filter: { tiers }, first: 100 }, f.agency.token)).creators.edges.map((e) => e.node.id).sort();

    expect(await filtered(['STAR'])).toEqual([star]);
    expect(await filtered(['RISING', 'CORE'])).toEqual([rising, core].sort());
    expect(await filtered(['DORMANT'])).toEqual([dormant]);
    expect(await filtered(['NEW'])).toEqual([fresh]);
    const { creators } = await t.ok(TiersTestCreatorsDocument, { filter: { tiers: ['STAR', 'NEW'] }, first: 100 }, f.agency.token);
    expect(creators.totalCount).toBe(2);
    expect(creators.edges.map((e) => e.node.tier).sort()).toEqual(['NEW', 'STAR']);

    // Stale again the next day: the filter refreshes first, so a sale of yesterday makes a STAR.
    await sales(f, dormant, 'USD', TODAY, 5_000_000);
    setClock('2026-06-16T12:00:00Z');
    expect(await filtered(['STAR'])).toEqual([star, dormant].sort());
  });

  it('updateAgencySettings moves tiers at once, with the new thresholds', async () => {
    const f = await fixture('Thresholds');
    const a = await creator(f, 400);
    const yen = await creator(f, 400);
    await sales(f, a, 'USD', daysAgo(1), 300_000);
    await sales(f, yen, 'JPY', daysAgo(1), 150_000);
    expect(await tiersOf(f, { a, yen })).toEqual({ a: 'RISING', yen: 'CORE' });

    await t.ok(
      HealthTestUpdateSettingsDocument,
      {
        input: {
          tierThresholds: [
            { currency: 'USD', starMinGmvMinor: 300_000, risingMinGmvMinor: 100_000 },
            { currency: 'JPY', starMinGmvMinor: 1_000_000, risingMinGmvMinor: 100_000 },
          ],
        },
      },
      f.agency.token,
    );
    expect(await tiersOf(f, { a, yen })).toEqual({ a: 'STAR', yen: 'RISING' });
    // Back to the defaults: USD 1,000,000 / 200,000; JPY has none.
    await t.ok(HealthTestUpdateSettingsDocument, { input: { tierThresholds: null } }, f.agency.token);
    expect(await tiersOf(f, { a, yen })).toEqual({ a: 'RISING', yen: 'CORE' });
  });

  it('refreshCreatorTiers (what the ingest calls) updates only the creators named, in one UPDATE', async () => {
    const f = await fixture('Ingest hook');
    const a = await creator(f, 400);
    const b = await creator(f, 400);
    expect(await tiersOf(f, { a, b })).toEqual({ a: 'DORMANT', b: 'DORMANT' });
    await sales(f, a, 'USD', TODAY, 1_500_000);
    await sales(f, b, 'USD', TODAY, 1_500_000);
    const statements: string[] = [];
    await t.server.db.transaction(async (em) => {
      const before = t.sql.count;
      await refreshCreatorTiers(em, f.agency.agencyId, TODAY, [uuidOf(a)]);
      statements.push(...t.sql.statements.slice(before));
    });
    expect(statements.filter((s) => /UPDATE creators/.test(s))).toHaveLength(1);
    expect(await tiersOf(f, { a, b })).toEqual({ a: 'STAR', b: 'DORMANT' });
    // An empty list does nothing at all.
    await t.server.db.transaction((em) => refreshCreatorTiers(em, f.agency.agencyId, TODAY, []));
  });
});

describe('tiers and tenancy', () => {
  it("one agency's refresh and rollups never touch another's creators; their creator ids are invisible", async () => {
    const mine = await fixture('Mine');
    const theirs = await fixture('Theirs');
    const their = await creator(theirs, 400);
    await sales(theirs, their, 'USD', TODAY, 5_000_000);
    const own = await creator(mine, 400);
    setClock('2026-06-17T12:00:00Z');
    expect(await tiersOf(mine, { own })).toEqual({ own: 'DORMANT' });
    // Their creator was not refreshed by our read: still stale (as-of unknown).
    expect(await sql('SELECT tier_as_of FROM creators WHERE id = $1', [uuidOf(their)])).toEqual([{ tier_as_of: null }]);
    expect((await t.ok(TiersTestCreatorDocument, { id: their }, mine.agency.token)).creator).toBeNull();
    expect(await tierOf(theirs, their)).toBe('STAR');
  });

  it('the tier of a list of creators costs a fixed number of statements, stale or fresh', async () => {
    const countFor = async (n: number) => {
      const f = await fixture(`Count ${n}`);
      for (let i = 0; i < n; i++) await sales(f, await creator(f, 400), 'USD', TODAY, 100_000 * i);
      t.sql.reset();
      await tiersOf(f, {}); // stale: probe, settings, refresh
      const stale = t.sql.count;
      t.sql.reset();
      await tiersOf(f, {});
      return [stale, t.sql.count];
    };
    setClock('2026-06-18T12:00:00Z');
    const small = await countFor(2);
    const large = await countFor(12);
    expect(large).toEqual(small);
    // Stale: the refresh's transaction (begin, commit) around the probe, the settings and the
    // UPDATE, then the re-read of tiers; fresh: no more than a plain list.
    expect(small[0] - small[1]).toBe(6);
  });

  it('client viewers see the tiers of the creators enrolled with their client (and nobody else)', async () => {
    const f = await fixture('Viewer');
    const { createClient } = await t.ok(CreateClientDocument, { input: { name: 'Unrelated' } }, f.agency.token);
    const email = `viewer-${++counter}@example.com`;
    await t.ok(
      AccessMatrixCreateMemberDocument,
      { input: { email, name: 'V', role: 'CLIENT_VIEWER', clientId: createClient.id, password: 'correct-horse-battery' } },
      f.agency.token,
    );
    const viewer = (await t.ok(LoginDocument, { email, password: 'correct-horse-battery' })).login.token;
    const { createShop } = await t.ok(
      CreateShopDocument,
      { input: { clientId: createClient.id, name: 'Viewer shop', externalId: `ext-${++counter}`, region: 'US', currency: 'USD', timeZone: 'UTC' } },
      f.agency.token,
    );
    const { createCampaign } = await t.ok(
      CreateCampaignDocument,
      { input: { shopId: createShop.id, name: 'Summer', objective: 'SALES', startDate: '2026-06-01', commissionRateBps: 1000 } },
      f.agency.token,
    );
    const enrolled = await creator(f, 400);
    const other = await creator(f, 400);
    await t.ok(EnrollCreatorsDocument, { campaignId: createCampaign.id, creators: [{ creatorId: enrolled }] }, f.agency.token);
    await sales(f, enrolled, 'USD', TODAY, 250_000);
    const res = await t.gql(TiersTestCreatorsDocument, { filter: { tiers: ['RISING', 'DORMANT'] }, first: 10 }, viewer);
    expect(codes(res)).toEqual([]);
    expect(res.data!.creators.edges.map((e) => [e.node.id, e.node.tier])).toEqual([[enrolled, 'RISING']]);
    expect((await t.ok(TiersTestCreatorDocument, { id: other }, viewer)).creator).toBeNull();
    expect(await tierOf(f, other)).toBe('DORMANT');
  });
});
