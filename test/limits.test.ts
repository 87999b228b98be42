import request from 'supertest';
import { QUERY_LIMITS } from '../src/common/limits';
import { ClientsDocument, CreateClientDocument, CreateShopDocument, UpsertProductsDocument } from './generated/graphql';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let acme: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
});
afterAll(() => t.stop());

/** Runs a query and returns its result and the SQL statements it caused beyond signing in. */
async function run(query: string) {
  t.sql.reset();
  const res = await t.gql(query, {}, acme.token);
  const work = t.sql.work;
  return { res, work };
}

describe('query limits (checked before any resolver runs)', () => {
  it('refuses a query nested deeper than the limit, naming the limit and the depth', async () => {
    let selection = 'id';
    for (let i = 0; i < 8; i++) selection = `shop { campaigns(first: 1) { edges { node { ${selection} } } } }`;
    const { res, work } = await run(`{ campaigns(first: 1) { edges { node { ${selection} } } } }`);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors?.[0].extensions).toMatchObject({ limit: QUERY_LIMITS.maxDepth, depth: expect.any(Number) });
    expect(res.errors?.[0].extensions?.depth as number).toBeGreaterThan(QUERY_LIMITS.maxDepth);
    expect(work).toEqual([]);
  });

  it('counts depth through fragments too', async () => {
    let fragments = 'fragment F0 on Campaign { id }';
    for (let i = 1; i <= 8; i++) fragments += ` fragment F${i} on Campaign { shop { campaigns(first: 1) { edges { node { ...F${i - 1} } } } } }`;
    const { res } = await run(`{ campaigns(first: 1) { edges { node { ...F8 } } } } ${fragments}`);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses more aliases than the limit', async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: clients(first: 1) { totalCount }`).join(' ');
    const { res, work } = await run(`{ ${fields} }`);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors?.[0].extensions).toMatchObject({ limit: QUERY_LIMITS.maxAliases, aliases: QUERY_LIMITS.maxAliases + 1 });
    expect(work).toEqual([]);
  });

  it('refuses a query whose cost (page sizes multiplied down the tree) is over the limit, and says the cost', async () => {
    const { res, work } = await run(
      '{ clients(first: 100) { edges { node { shops(first: 100) { edges { node { campaigns(first: 100) { edges { node { id name } } } } } } } } } }',
    );
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors?.[0].extensions).toMatchObject({ limit: QUERY_LIMITS.maxCost });
    expect(res.errors?.[0].extensions?.cost as number).toBeGreaterThan(1_000_000);
    expect(res.status).toBe(400);
    expect(work).toEqual([]);
  });

  it('prices nodes(ids:) by the number of ids (its declared bound, sized by ids)', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => Buffer.from(`Client:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64url'));
    const deep = 'shops(first: 100) { edges { node { campaigns(first: 10) { edges { node { id name } } } } } }';
    const priced = await t.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Client { ${deep} } } }`, { ids }, acme.token);
    expect(codes(priced)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(priced.errors?.[0].extensions?.cost as number).toBeGreaterThan(100 * 100 * 10);
    const one = await t.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Client { ${deep} } } }`, { ids: ids.slice(0, 1) }, acme.token);
    expect(one.errors).toBeUndefined();
  });

  it('lets the same shape through with page sizes that fit', async () => {
    const { res } = await run('{ clients(first: 10) { edges { node { shops(first: 10) { edges { node { campaigns(first: 10) { edges { node { id } } } } } } } } } }');
    expect(res.errors).toBeUndefined();
  });

  it('refuses a document with more tokens than the limit while parsing it', async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxTokens }, () => '__typename').join(' ');
    const { res, work } = await run(`{ ${fields} }`);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors?.[0].extensions?.limit).toBe(QUERY_LIMITS.maxTokens);
    expect(res.status).toBe(400);
    expect(work).toEqual([]);
  });

  it('accepts a 1,000-product batch but refuses a body over 2 MB with 413', async () => {
    const { createClient } = await t.ok(CreateClientDocument, { input: { name: 'Big catalogue' } }, acme.token);
    const { createShop } = await t.ok(
      CreateShopDocument,
      { input: { clientId: createClient.id, name: 'US', externalId: 'big-1', region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
      acme.token,
    );
    const products = Array.from({ length: 1000 }, (_, i) => ({
      sku: `SKU-${String(i).padStart(5, '0')}-LONGER-SKU-NAME`,
      title: `Product number ${i} with a realistic, fairly long title for a TikTok Shop listing`,
      price: { amountMinor: 1999 + i, currency: 'USD' },
      unitCost: { amountMinor: 700, currency: 'USD' },
    }));
    const batch = await t.gql(UpsertProductsDocument, { shopId: createShop.id, products }, acme.token);
    expect(batch.errors).toBeUndefined();
    expect(batch.data?.upsertProducts).toHaveLength(1000);

    const huge = await request(`http://127.0.0.1:${t.server.port}`)
      .post('/graphql')
      .set('authorization', `Bearer ${acme.token}`)
      .send({ query: '{ __typename }', variables: { padding: 'x'.repeat(2.1 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('runs every statement under a statement_timeout', async () => {
    const [{ statement_timeout }] = await t.server.db.query('SHOW statement_timeout');
    expect(statement_timeout).toBe('15s');
  });
});

describe('rate limiting', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ env: { RATE_LIMIT_BURST: '3', RATE_LIMIT_PER_MINUTE: '6' } });
  });
  afterAll(() => limited.stop());

  it('refuses a caller past their bucket with 429, Retry-After and retryAfterSeconds, and leaves others alone', async () => {
    const a = await limited.createAgency(); // its login spends one anonymous token, not a's
    const b = await limited.createAgency();
    for (let i = 0; i < 3; i++) expect((await limited.gql(ClientsDocument, {}, a.token)).errors).toBeUndefined();
    const refused = await limited.gql(ClientsDocument, {}, a.token);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.status).toBe(429);
    const retry = refused.errors?.[0].extensions?.retryAfterSeconds as number;
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(refused.headers['retry-after']).toBe(String(retry));
    expect(refused.errors?.[0].extensions).not.toHaveProperty('http');
    expect((await limited.gql(ClientsDocument, {}, b.token)).errors).toBeUndefined();
  });
});

describe('rate limiting across API nodes (Redis)', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  beforeAll(async () => {
    const env = { RATE_LIMIT_BURST: '4', RATE_LIMIT_PER_MINUTE: '6', REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
    nodeA = await startTestServer({ env });
    nodeB = await startTestServer({ env, shareDatabaseOf: nodeA });
  });
  afterAll(async () => {
    await nodeB.stop();
    await nodeA.stop();
  });

  it('draws one bucket per caller on every node', async () => {
    const member = await nodeA.createAgency();
    for (const node of [nodeA, nodeB, nodeA, nodeB]) expect((await node.gql(ClientsDocument, {}, member.token)).errors).toBeUndefined();
    expect(codes(await nodeB.gql(ClientsDocument, {}, member.token))).toEqual(['RATE_LIMITED']);
    expect(codes(await nodeA.gql(ClientsDocument, {}, member.token))).toEqual(['RATE_LIMITED']);
  });
});
