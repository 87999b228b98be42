import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

/**
 * Bad input at the edge: every case here once answered INTERNAL_SERVER_ERROR or was stored
 * silently changed; each must now be BAD_USER_INPUT naming its argument path (or
 * UNAUTHENTICATED for a token), and write nothing.
 */

let t: TestServer;
let acme: TestAgency;
type Result = GqlResult<Record<string, any>>;
const run = (query: string, variables?: Record<string, unknown>, token: string = acme.token): Promise<Result> => t.gql(query, variables, token);
const fieldsOf = (res: Result) => (res.errors?.[0]?.extensions?.fields ?? {}) as Record<string, string[]>;

/** The one BAD_USER_INPUT error of a refused request, with its field messages. */
function refused(res: Result): Record<string, string[]> {
  expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  // 400 when refused before execution; 200 when a resolver refused it (a cursor), as for any field error.
  expect([400, 200]).toContain(res.status);
  return fieldsOf(res);
}

const cursor = (k: string, v: unknown[]) => Buffer.from(JSON.stringify({ k, v })).toString('base64url');

let enrollmentId: string;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency('Edge Agency');
  const client = await run('mutation { createClient(input: { name: "Edge Client" }) { id } }');
  const shop = await run('mutation ($in: CreateShopInput!) { createShop(input: $in) { id } }', {
    in: { clientId: client.data!.createClient.id, name: 'Edge Shop', externalId: 'edge-1', region: 'US', currency: 'USD', timeZone: 'UTC' },
  });
  const campaign = await run('mutation ($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }', {
    in: { shopId: shop.data!.createShop.id, name: 'Edge Campaign', objective: 'SALES', startDate: '2025-01-01', commissionRateBps: 1000 },
  });
  const creator = await run('mutation { createCreator(input: { handle: "edge_creator", followerCount: 10 }) { id } }');
  const enrolled = await run('mutation ($c: ID!, $cr: ID!) { enrollCreators(campaignId: $c, creators: [{ creatorId: $cr }]) { id } }', {
    c: campaign.data!.createCampaign.id,
    cr: creator.data!.createCreator.id,
  });
  enrollmentId = enrolled.data!.enrollCreators[0].id;
  await run('mutation ($id: ID!) { setEnrollmentStatus(id: $id, status: ACCEPTED) { id } }', { id: enrollmentId });
});
afterAll(() => t.stop());

/** Rows of a table, read as the database owner (row-level security does not hide any). */
async function count(table: string): Promise<number> {
  const db = new Client({ connectionString: t.database.url });
  await db.connect();
  try {
    return (await db.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n;
  } finally {
    await db.end();
  }
}

describe('NUL characters', () => {
  it('in a variable, an inline literal and a search filter: BAD_USER_INPUT on the path', async () => {
    const before = await count('clients');
    const asVariable = await run('mutation ($in: CreateClientInput!) { createClient(input: $in) { id } }', { in: { name: 'a\u0000b' } });
    expect(refused(asVariable)).toEqual({ 'input.name': ['must not contain the NUL character (U+0000)'] });
    const inline = await run('mutation { createClient(input: { name: "a\\u0000b" }) { id } }');
    expect(refused(inline)).toEqual({ 'input.name': ['must not contain the NUL character (U+0000)'] });
    const search = await run('query ($s: String) { clients(filter: { search: $s }) { totalCount } creators(filter: { search: $s }) { totalCount } }', { s: '\u0000' });
    expect(Object.keys(refused(search))).toEqual(['filter.search']);
    expect(await count('clients')).toBe(before);
  });

  it('with a type error in the same request: one error lists both', async () => {
    const res = await run('mutation ($in: CreateCreatorInput!) { createCreator(input: $in) { id } }', {
      in: { handle: 'ok_handle', displayName: 'x\u0000', followerCount: 'many' },
    });
    expect(Object.keys(refused(res)).sort()).toEqual(['input.displayName', 'input.followerCount']);
  });
});

describe('dates out of range', () => {
  it('LocalDate 0000-01-01 and DateTime in year 0 are BAD_USER_INPUT', async () => {
    const campaigns = await run('query { campaigns(filter: { activeOn: "0000-01-01" }) { totalCount } }');
    expect(refused(campaigns)).toEqual({ 'filter.activeOn': ['must be from 1970-01-01 to 9999-12-31'] });
    const audit = await run('query ($f: AuditLogFilter) { auditLog(filter: $f) { totalCount } }', { f: { from: '0000-01-01T00:00:00Z' } });
    expect(refused(audit)).toEqual({ 'filter.from': ['must be from 1970-01-01 to 9999-12-31'] });
    const due = await run('mutation ($id: ID!) { updateEnrollment(id: $id, input: { contentDueDate: "1969-12-31" }) { id } }', { id: enrollmentId });
    expect(Object.keys(refused(due))).toEqual(['input.contentDueDate']);
  });
});

describe('forged cursors', () => {
  const id = randomUUID();
  it.each([
    ['a day that does not exist', 'query ($c: String) { campaigns(orderBy: { field: START_DATE, direction: ASC }, after: $c) { totalCount } }', cursor('start_date:ASC,id:ASC', ['2024-02-30', id]), 'after'],
    ['an instant on a day that does not exist', 'query ($c: String) { clients(after: $c) { totalCount } }', cursor('created_at:ASC,id:ASC', ['2024-02-30T00:00:00.000Z', id]), 'after'],
    ['2^53-1 for an int4 column', 'query ($c: String) { creators(orderBy: { field: FOLLOWER_COUNT, direction: ASC }, after: $c) { totalCount } }', cursor('follower_count:ASC,id:ASC', [2 ** 53 - 1, id]), 'after'],
    ['NUL in a text key', 'query ($c: String) { clients(orderBy: { field: NAME, direction: ASC }, last: 5, before: $c) { totalCount } }', cursor('lower(name):ASC,id:ASC', ['a\u0000', id]), 'before'],
    ['year 0', 'query ($c: String) { campaigns(orderBy: { field: START_DATE, direction: ASC }, after: $c) { totalCount } }', cursor('start_date:ASC,id:ASC', ['0000-01-01', id]), 'after'],
  ])('%s: BAD_USER_INPUT on the cursor argument', async (_name, query, value, arg) => {
    const res = await run(query, { c: value });
    expect(Object.keys(refused(res))).toEqual([arg]);
  });
});

describe('numbers are whole and fit their column', () => {
  it.each([[1.5], [1e21], [1e-7], ['0x10'], [2 ** 31], [-1]])('followerCount %p is refused, nothing stored', async (value) => {
    const before = await count('creators');
    const res = await run('mutation ($in: CreateCreatorInput!) { createCreator(input: $in) { followerCount } }', {
      in: { handle: `n_${Math.random().toString(36).slice(2, 8)}`, followerCount: value },
    });
    expect(Object.keys(refused(res))).toEqual(['input.followerCount']);
    expect(await count('creators')).toBe(before);
  });

  it('inline literals too, and 2^31-1 is accepted', async () => {
    const inline = await run('mutation { createCreator(input: { handle: "float_one", followerCount: 1.5 }) { id } }');
    expect(Object.keys(refused(inline))).toEqual(['input.followerCount']);
    const max = await run('mutation { createCreator(input: { handle: "max_int4", followerCount: 2147483647 }) { followerCount } }');
    expect(max.data?.createCreator.followerCount).toBe(2147483647);
  });
});

describe('text: bounded, visible, normalised', () => {
  it('a 1 MB sampleTrackingNumber is refused and not stored; 100 characters are', async () => {
    const mutation = 'mutation ($id: ID!, $n: String) { setEnrollmentStatus(id: $id, status: SAMPLE_SHIPPED, sampleTrackingNumber: $n) { sampleTrackingNumber } }';
    const huge = await run(mutation, { id: enrollmentId, n: 'x'.repeat(1024 * 1024) });
    expect(refused(huge)).toEqual({ sampleTrackingNumber: ['must be at most 100 characters'] });
    const fits = await run(mutation, { id: enrollmentId, n: 'T'.repeat(100) });
    expect(fits.data?.setEnrollmentStatus.sampleTrackingNumber).toBe('T'.repeat(100));
  });

  it('names of zero-width spaces, BOMs and joiners are blank', async () => {
    const before = await count('clients');
    for (const name of ['\u200B\u200B', '\uFEFF \u200D', '\u2060\u00AD']) {
      const res = await run('mutation ($in: CreateClientInput!) { createClient(input: $in) { id } }', { in: { name } });
      expect(refused(res)).toEqual({ 'input.name': ['must not be blank'] });
    }
    expect(Object.keys(refused(await run('mutation { updateAgency(name: "\\u200B") { name } }')))).toEqual(['name']);
    expect(Object.keys(refused(await run('mutation { createApiKey(name: "\\u200B", scopes: [READ]) { secret } }')))).toEqual(['name']);
    expect(await count('clients')).toBe(before);
  });

  it('a name of 201 characters is refused, 200 are stored; text is stored in NFC', async () => {
    const long = await run('mutation ($in: CreateClientInput!) { createClient(input: $in) { id } }', { in: { name: 'n'.repeat(201) } });
    expect(refused(long)).toEqual({ 'input.name': ['must be at most 200 characters'] });
    // 200 characters that are 400 UTF-16 units: the limit counts characters.
    const emoji = await run('mutation ($in: CreateClientInput!) { createClient(input: $in) { name } }', { in: { name: '😀'.repeat(200) } });
    expect(emoji.errors).toBeUndefined();
    const decomposed = await run('mutation ($in: CreateClientInput!) { createClient(input: $in) { name } }', { in: { name: 'E\u0301cole' } });
    expect(decomposed.data?.createClient.name).toBe('\u00C9cole');
    const inline = await run('mutation { createClient(input: { name: "Cafe\\u0301" }) { name } }');
    expect(inline.data?.createClient.name).toBe('Caf\u00E9');
  });

  it('a lone surrogate is refused', async () => {
    const res = await run('mutation ($in: CreateClientInput!) { createClient(input: $in) { id } }', { in: { name: 'a\uD800b' } });
    expect(Object.keys(refused(res))).toEqual(['input.name']);
  });
});

describe('token claims', () => {
  const secret = 'test-secret-that-is-at-least-32-characters-long';
  it.each([
    ['an agency that is not a uuid', { agency: 'not-a-uuid' }, () => acme.memberId],
    ['a subject that is not a uuid', { agency: '' }, () => "1'; select 1"],
    ['a NUL in the agency', { agency: 'a\u0000' }, () => acme.memberId],
  ])('a validly signed token with %s is UNAUTHENTICATED', async (_name, claims, subject) => {
    const payload = claims.agency === '' ? { agency: acme.agencyId } : claims;
    const token = jwt.sign(payload, secret, { algorithm: 'HS256', issuer: 'agency-graph', subject: subject(), expiresIn: 60 });
    const res = await t.gql('query { viewer { id } }', {}, token);
    expect({ status: res.status, codes: codes(res) }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
  });

});
