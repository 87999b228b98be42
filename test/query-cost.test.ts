import { ApolloServer } from '@apollo/server';
import { getNamedType, getNullableType, isLeafType, isListType, isObjectType } from 'graphql';
import { formatError } from '../src/common/error-formatting';
import { AppError, ErrorCode } from '../src/common/errors';
import { httpStatusPlugin } from '../src/common/http-status';
import { COST, isConnectionType, QUERY_LIMITS } from '../src/common/limits';
import { buildAppSchema } from '../src/schema';
import { CreateCampaignDocument, CreateClientDocument, CreateShopDocument, UpsertProductsDocument } from './generated/graphql';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let acme: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
});
afterAll(() => t.stop());

/** Runs a query and returns its result and the SQL statements it caused beyond signing in. */
async function run(query: string, variables: Record<string, unknown> = {}, token: string = acme.token) {
  t.sql.reset();
  const res = await t.gql(query, variables, token);
  return { res, work: t.sql.work };
}

const fakeIds = (type: string, n: number) =>
  Array.from({ length: n }, (_, i) => Buffer.from(`${type}:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64url'));

describe('the cost model prices every list at its real bound', () => {
  it('declares a bound for every list of objects that is not a connection, and no hand-written complexity', async () => {
    const schema = await buildAppSchema();
    const unbounded: string[] = [];
    const handPriced: string[] = [];
    const connectionsWithoutPageSize: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const name = `${type.name}.${field.name}`;
        if (field.extensions?.complexity !== undefined) handPriced.push(name);
        const named = getNamedType(field.type);
        if (isConnectionType(named) && !field.args.some((a) => a.name === 'first')) connectionsWithoutPageSize.push(name);
        if (!isListType(getNullableType(field.type)) || isLeafType(named)) continue;
        const edges = isConnectionType(type) && field.name === 'edges';
        if (!edges && typeof field.extensions?.maxItems !== 'number') unbounded.push(name);
      }
    }
    expect(unbounded).toEqual([]);
    expect(handPriced).toEqual([]);
    expect(connectionsWithoutPageSize).toEqual([]);
    // The real bounds, where they are enforced: ArrayMaxSize on productIds, the services' caps.
    const bound = (type: string, field: string) => (schema.getType(type) as import('graphql').GraphQLObjectType).getFields()[field].extensions.maxItems;
    expect(bound('Campaign', 'products')).toBe(500);
    expect(bound('Query', 'nodes')).toBe(100);
    expect(bound('Mutation', 'upsertProducts')).toBe(1000);
    expect(bound('Mutation', 'enrollCreators')).toBe(500);
  });

  it('refuses the 16-million-object query (products → shop → campaigns → products) before any SQL runs', async () => {
    const query = '{ campaigns(first: 8) { edges { node { products { shop { campaigns(first: 8) { edges { node { products { id } } } } } } } } } }';
    const { res, work } = await run(query);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].extensions).toMatchObject({ limit: QUERY_LIMITS.maxCost });
    // 8 × 500 × 8 × 500 products: priced at the real bound of Campaign.products, not at 10.
    expect(res.errors?.[0].extensions?.cost as number).toBeGreaterThan(8 * 500 * 8 * 500);
    expect(work).toEqual([]);
  });

  it('prices the same trick through fragments, inline fragments and node(id:)', async () => {
    const query = `query ($id: ID!) { node(id: $id) { ... on Shop { campaigns(first: 10) { edges { node { ...P } } } } } }
      fragment P on Campaign { products { shop { campaigns(first: 10) { edges { node { products { id } } } } } } }`;
    const { res, work } = await run(query, { id: fakeIds('Shop', 1)[0] });
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors?.[0].extensions?.cost as number).toBeGreaterThan(10 * 500 * 10 * 500);
    expect(work).toEqual([]);
  });

  it('prices a nested connection under N parents at N × its page, and totalCount at a page per parent', async () => {
    const ids = fakeIds('Client', 100);
    const shape = (ask: string) =>
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Client { shops(first: 50) { edges { node { ${Array.from({ length: 10 }, (_, i) => `c${i}: campaigns(first: 0) { ${ask} }`).join(' ')} } } } } } }`;
    const counted = await run(shape('totalCount'), { ids });
    expect(codes(counted.res)).toEqual(['QUERY_TOO_COMPLEX']);
    // 100 clients × 50 shops × 10 counts, each a page's worth of work.
    expect(counted.res.errors?.[0].extensions?.cost as number).toBeGreaterThanOrEqual(100 * 50 * 10 * COST.totalCount);
    expect(counted.work).toEqual([]);
    // The same shape asking no counts is cheap: it is the counting that was priced.
    expect((await run(shape('pageInfo { hasNextPage }'), { ids })).res.errors).toBeUndefined();
  });

  it('admits the largest products list a modest page asks for, and runs it', async () => {
    const { createClient } = await t.ok(CreateClientDocument, { input: { name: 'Catalogue' } }, acme.token);
    const { createShop } = await t.ok(
      CreateShopDocument,
      { input: { clientId: createClient.id, name: 'US', externalId: 'cost-1', region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
      acme.token,
    );
    const products = Array.from({ length: 500 }, (_, i) => ({ sku: `S-${i}`, title: `P ${i}`, price: { amountMinor: 100, currency: 'USD' } }));
    const { upsertProducts } = await t.ok(UpsertProductsDocument, { shopId: createShop.id, products }, acme.token);
    await t.ok(
      CreateCampaignDocument,
      {
        input: { shopId: createShop.id, name: 'All', objective: 'SALES', startDate: '2026-01-01', commissionRateBps: 1000, productIds: upsertProducts.map((p) => p.id) },
      },
      acme.token,
    );
    const res = await t.gql('{ campaigns(first: 10) { edges { node { products { id sku title } } } } }', {}, acme.token);
    expect(res.errors).toBeUndefined();
    expect((res.data as any).campaigns.edges[0].node.products).toHaveLength(500);
  });
});

describe('page sizes are checked before the cost', () => {
  it('answers first: 2147483647 with BAD_USER_INPUT naming first, HTTP 400, before any SQL', async () => {
    const { res, work } = await run('{ clients(first: 2147483647) { edges { node { id } } } }');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.fields).toEqual({ first: ['first must be at most 100'] });
    expect(work).toEqual([]);
  });

  it('does the same for a variable, for last, and for a nested connection', async () => {
    const byVariable = await run('query ($n: Int) { clients(first: $n) { totalCount } }', { n: 1000 });
    expect(byVariable.res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { first: ['first must be at most 100'] } });
    const negativeLast = await run('{ clients(last: -1) { totalCount } }');
    expect(negativeLast.res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { last: ['last must be zero or more'] } });
    const nested = await run('{ clients(first: 100) { edges { node { shops(first: 100000) { edges { node { products(first: 100000) { totalCount } } } } } } } }');
    expect(codes(nested.res)).toEqual(['BAD_USER_INPUT']);
    expect(nested.res.status).toBe(400);
    for (const r of [byVariable, negativeLast, nested]) expect(r.work).toEqual([]);
  });
});

describe('HTTP statuses of operations refused as a whole', () => {
  it('answers 401 with WWW-Authenticate to an operation refused for want of a token', async () => {
    const res = await t.gql('{ clients { totalCount } }');
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.data).toBeUndefined();
    const badToken = await t.gql('{ clients { totalCount } }', {}, 'not-a-token');
    expect(badToken.status).toBe(401);
  });

  it('keeps 200 for an UNAUTHENTICATED error inside an executed operation (a wrong password)', async () => {
    const res = await t.gql('mutation { login(email: "nobody@example.com", password: "wrong-password") { token } }');
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.status).toBe(200);
  });

  it('answers 400 to depth, alias and cost refusals', async () => {
    let selection = 'id';
    for (let i = 0; i < 8; i++) selection = `shop { campaigns(first: 1) { edges { node { ${selection} } } } }`;
    const deep = await t.gql(`{ campaigns(first: 1) { edges { node { ${selection} } } } }`, {}, acme.token);
    const aliases = await t.gql(`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`, {}, acme.token);
    for (const res of [deep, aliases]) {
      expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(res.status).toBe(400);
    }
  });

  /** A small Apollo server with the app's error formatting and status plugin, for errors the app cannot be made to throw cheaply. */
  async function tiny(refusal: () => AppError, inResolver = false) {
    const server = new ApolloServer({
      typeDefs: 'type Query { ok: Int }',
      resolvers: { Query: { ok: () => (inResolver ? Promise.reject(refusal()) : 1) } },
      formatError,
      plugins: [
        httpStatusPlugin(),
        {
          async requestDidStart() {
            return {
              async didResolveOperation() {
                if (!inResolver) throw refusal();
              },
            };
          },
        },
      ],
    });
    await server.start();
    const res = await server.executeOperation({ query: '{ ok }' });
    await server.stop();
    const body = res.body.kind === 'single' ? res.body.singleResult : null;
    return { status: res.http.status, headers: res.http.headers, errors: body?.errors };
  }

  it('answers 403 to FORBIDDEN and 503 with Retry-After to SERVICE_UNAVAILABLE, keeping `http` out of the body', async () => {
    const forbidden = await tiny(() => new AppError(ErrorCode.FORBIDDEN, 'Not for you'));
    expect(forbidden.status).toBe(403);
    const down = await tiny(() => AppError.serviceUnavailable('The database is unreachable', 5));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(down.errors?.[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 });
    // An outage met by a resolver mid-execution still answers 503: the client should retry.
    const midway = await tiny(() => AppError.serviceUnavailable('The database is unreachable', 5), true);
    expect(midway.status).toBe(503);
    // Other errors inside an executed operation keep 200.
    const inside = await tiny(() => new AppError(ErrorCode.FORBIDDEN, 'Not for you'), true);
    expect(inside.status ?? 200).toBe(200);
  });
});

describe('execution stops a runaway request (object ceiling, deadline)', () => {
  let small: TestServer;
  let slow: TestServer;
  let admin: TestAgency;
  let shopId: string;
  beforeAll(async () => {
    small = await startTestServer({ env: { QUERY_MAX_OBJECTS: '10' } });
    admin = await small.createAgency();
    for (let i = 0; i < 12; i++) await small.ok(CreateClientDocument, { input: { name: `Client ${i}` } }, admin.token);
    const { clients } = (await small.gql<{ clients: { edges: Array<{ node: { id: string } }> } }, object>('{ clients(first: 1) { edges { node { id } } } }', {}, admin.token)).data!;
    const { createShop } = await small.ok(
      CreateShopDocument,
      { input: { clientId: clients.edges[0].node.id, name: 'US', externalId: 'guard-1', region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
      admin.token,
    );
    shopId = createShop.id;
    slow = await startTestServer({ env: { QUERY_DEADLINE_MS: '1' }, shareDatabaseOf: small });
  });
  afterAll(async () => {
    await slow.stop();
    await small.stop();
  });

  it('ends a response that grows past the object ceiling with one QUERY_TOO_COMPLEX and no partial data', async () => {
    const res = await small.gql('{ clients(first: 20) { edges { node { id name } } } }', {}, admin.token);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors?.[0].extensions).toMatchObject({ reason: 'OBJECTS', limit: 10 });
    expect(res.data).toBeUndefined();
    expect(res.status).toBe(400);
    // Under the ceiling the same query runs.
    expect((await small.gql('{ clients(first: 5) { edges { node { id } } } }', {}, admin.token)).errors).toBeUndefined();
  });

  it('keeps a mutation whose nested read it stopped: the write committed, and the error says so', async () => {
    const products = Array.from({ length: 8 }, (_, i) => ({ sku: `G-${i}`, title: `P ${i}`, price: { amountMinor: 100, currency: 'USD' } }));
    const res = await small.gql<{ upsertProducts: Array<{ sku: string; shop: { clients: unknown } | null }> }, object>(
      `mutation ($shopId: ID!, $products: [ProductInput!]!) {
        upsertProducts(shopId: $shopId, products: $products) { sku shop { products(first: 20) { edges { node { id } } } } }
      }`,
      { shopId, products },
      admin.token,
    );
    expect(codes(res)).toContain('QUERY_TOO_COMPLEX');
    expect(res.status).toBe(200);
    // upsertProducts returns [Product!]!, so GraphQL nulls `data` up to the root; the message says the writes stand.
    expect(res.errors?.find((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX')?.message).toMatch(/have committed/);
    const count = await small.gql<{ node: { products: { totalCount: number } } }, object>(
      'query ($id: ID!) { node(id: $id) { ... on Shop { products(first: 0) { totalCount } } } }',
      { id: shopId },
      admin.token,
    );
    expect(count.data?.node.products.totalCount).toBe(8);
  });

  it('ends a request past its deadline with QUERY_TOO_COMPLEX', async () => {
    const res = await slow.gql('{ clients(first: 20) { edges { node { shops(first: 5) { edges { node { products(first: 5) { edges { node { id } } } } } } } } } }', {}, admin.token);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors?.[0].extensions).toMatchObject({ reason: 'DEADLINE', limit: 1 });
    expect(res.data).toBeUndefined();
  });
});
