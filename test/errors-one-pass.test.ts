import { AppLogger } from '../src/common/logger';
import { codes, GqlResult, startTestServer, TestServer } from './support/server';

/** Records what the server logs at error level instead of printing it. */
class CapturingLogger extends AppLogger {
  readonly errors: string[] = [];
  constructor() {
    super('error');
  }
  override error(message: string): void {
    this.errors.push(message);
  }
}

let t: TestServer;
const log = new CapturingLogger();
let token: string;
let shopId: string;
let creatorIds: string[];

type Result = GqlResult<Record<string, unknown>>;
const run = (query: string, variables?: Record<string, unknown>): Promise<Result> => t.gql(query, variables, token);
const fieldsOf = (res: Result) => (res.errors?.[0].extensions?.fields ?? {}) as Record<string, string[]>;

/** The response is one BAD_USER_INPUT error, no data, and every field has exactly one short message. */
function expectOneError(res: Result): Record<string, string[]> {
  expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.data ?? null).toBeNull();
  const fields = fieldsOf(res);
  for (const [path, messages] of Object.entries(fields)) {
    expect([path, messages.length]).toEqual([path, 1]);
    // A short message about the value, not graphql-js's sentence naming the variable again.
    expect(messages[0]).not.toMatch(/Variable "\$|got invalid value/);
  }
  return fields;
}

beforeAll(async () => {
  t = await startTestServer({ log });
  ({ token } = await t.createAgency());
  const client = await run('mutation { createClient(input: { name: "Client" }) { id } }');
  const clientId = (client.data?.createClient as { id: string }).id;
  const shop = await run(
    'mutation ($in: CreateShopInput!) { createShop(input: $in) { id } }',
    { in: { clientId, name: 'Shop', externalId: 'ext-1', region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
  );
  shopId = (shop.data?.createShop as { id: string }).id;
  creatorIds = [];
  for (const handle of ['one_pass_a', 'one_pass_b']) {
    const res = await run('mutation ($in: CreateCreatorInput!) { createCreator(input: $in) { id } }', { in: { handle, followerCount: 10 } });
    creatorIds.push((res.data?.createCreator as { id: string }).id);
  }
});
afterAll(() => t.stop());

describe('bad values: the same argument paths inline and as variables', () => {
  // Each case: a field, the argument's GraphQL literal, the same value as a variable, and the paths expected.
  const cases: Array<{ name: string; field: string; arg: string; type: string; inline: () => string; value: () => unknown; fields: string[] }> = [
    {
      name: 'custom scalars (NonNegativeInt, EmailAddress)',
      field: 'createCreator',
      arg: 'input',
      type: 'CreateCreatorInput!',
      inline: () => '{ handle: "ab", followerCount: -5, email: "nope" }',
      value: () => ({ handle: 'ab', followerCount: -5, email: 'nope' }),
      fields: ['input.email', 'input.followerCount'],
    },
    {
      name: 'an unknown enum value, a bad LocalDate and a missing required field',
      field: 'createCampaign',
      arg: 'input',
      type: 'CreateCampaignInput!',
      inline: () => `{ shopId: "${shopId}", objective: NOPE, startDate: "2025-13-01" }`,
      value: () => ({ shopId, objective: 'NOPE', startDate: '2025-13-01' }),
      fields: ['input.commissionRateBps', 'input.name', 'input.objective', 'input.startDate'],
    },
    {
      name: 'items of a list, nested objects, null and an unknown field',
      field: 'upsertProducts',
      arg: 'products',
      type: '[ProductInput!]!',
      inline: () => '[{ sku: "A", title: "A", price: { amountMinor: 1.5, currency: "USD" } }, { sku: "B", title: null, price: { amountMinor: 1, currency: "USD", extra: 1 } }]',
      value: () => [
        { sku: 'A', title: 'A', price: { amountMinor: 1.5, currency: 'USD' } },
        { sku: 'B', title: null, price: { amountMinor: 1, currency: 'USD', extra: 1 } },
      ],
      fields: ['products.0.price.amountMinor', 'products.1.price.extra', 'products.1.title'],
    },
  ];

  it.each(cases)('$name', async ({ field, arg, type, inline, value, fields }) => {
    const extraArgs = field === 'upsertProducts' ? `, shopId: "${shopId}"` : '';
    const inlineRes = await run(`mutation { ${field}(${arg}: ${inline()}${extraArgs}) { __typename } }`);
    const variableRes = await run(`mutation ($v: ${type}) { ${field}(${arg}: $v${extraArgs}) { __typename } }`, { v: value() });

    for (const res of [inlineRes, variableRes]) {
      expect(res.status).toBe(400);
      expect(Object.keys(expectOneError(res)).sort()).toEqual(fields);
    }
    // The same value gets the same words either way, and an inline literal keeps its location.
    expect(fieldsOf(inlineRes)).toEqual(fieldsOf(variableRes));
    expect((inlineRes.errors?.[0] as { locations?: unknown[] }).locations?.length).toBeGreaterThan(0);
  });

  it('names the argument path of a variable passed inside a literal', async () => {
    const res = await run('mutation ($n: NonNegativeInt!) { createCreator(input: { handle: "ab", followerCount: $n }) { id } }', { n: -5 });
    expect(Object.keys(expectOneError(res))).toEqual(['input.followerCount']);
  });

  it('names where a variable is first passed when it is used twice', async () => {
    const res = await run(
      'mutation ($e: EmailAddress) { a: createCreator(input: { handle: "aa", followerCount: 1, email: $e }) { id } b: createCreator(input: { handle: "bb", followerCount: 1, email: $e }) { id } }',
      { e: 'nope' },
    );
    expect(Object.keys(expectOneError(res))).toEqual(['input.email']);
  });

  it('says a required variable was not given, at its argument', async () => {
    const res = await run('mutation ($in: CreateCreatorInput!) { createCreator(input: $in) { id } }', {});
    expect(expectOneError(res)).toEqual({ input: ['is required'] });
  });
});

describe('rule problems: class-validator and service rules in one response', () => {
  it('reports all five problems of a createCampaign at once and creates nothing', async () => {
    const res = await run('mutation ($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }', {
      in: {
        shopId,
        name: '  ', // class-validator: blank
        objective: 'SALES',
        startDate: '2025-03-10',
        endDate: '2025-03-01', // service: before the start
        commissionRateBps: 20000, // class-validator: over 10000
        targetRoas: -1, // class-validator: negative
        budget: { amountMinor: 500, currency: 'EUR' }, // service: not the shop's currency
      },
    });
    const fields = expectOneError(res);
    expect(Object.keys(fields).sort()).toEqual(['input.budget.currency', 'input.commissionRateBps', 'input.endDate', 'input.name', 'input.targetRoas']);
    expect(fields['input.endDate'][0]).toMatch(/before startDate 2025-03-10/);
    expect(fields['input.budget.currency'][0]).toMatch(/USD/);
    const count = await run('{ campaigns { totalCount } }');
    expect((count.data?.campaigns as { totalCount: number }).totalCount).toBe(0);
  });

  it('reports an update against the stored dates together with the input rules', async () => {
    const created = await run('mutation ($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }', {
      in: { shopId, name: 'Spring', objective: 'SALES', startDate: '2025-03-10', commissionRateBps: 1000 },
    });
    const id = (created.data?.createCampaign as { id: string }).id;
    const res = await run('mutation ($id: ID!, $in: UpdateCampaignInput!) { updateCampaign(id: $id, input: $in) { id } }', {
      id,
      in: { name: '', endDate: '2025-03-01', targetGmv: { amountMinor: 1, currency: 'JPY' } },
    });
    expect(Object.keys(expectOneError(res)).sort()).toEqual(['input.endDate', 'input.name', 'input.targetGmv.currency']);
  });

  it.each([
    ['an empty SKU', [''], { 'products.0.sku': ['must not be blank'] }],
    ['two blank SKUs, not also reported as duplicates', ['', '  '], { 'products.0.sku': ['must not be blank'], 'products.1.sku': ['must not be blank'] }],
    ['a duplicate SKU', ['A', 'A'], { 'products.1.sku': ['duplicates products.0.sku'] }],
  ])('upsertProducts with %s: one message per problem', async (_name, skus, expected) => {
    const res = await run('mutation ($shopId: ID!, $p: [ProductInput!]!) { upsertProducts(shopId: $shopId, products: $p) { id } }', {
      shopId,
      p: skus.map((sku) => ({ sku, title: 'T', price: { amountMinor: 100, currency: 'USD' } })),
    });
    expect(expectOneError(res)).toEqual(expected);
  });

  it('upsertProducts: blank fields, a negative amount and a bad shop id together', async () => {
    const res = await run('mutation ($p: [ProductInput!]!) { upsertProducts(shopId: "not-an-id", products: $p) { id } }', {
      p: [{ sku: '', title: '', price: { amountMinor: -1, currency: 'USD' } }],
    });
    expect(Object.keys(expectOneError(res)).sort()).toEqual(['products.0.price.amountMinor', 'products.0.sku', 'products.0.title', 'shopId']);
  });

  it('createShop: a blank name and an unknown time zone together', async () => {
    const res = await run('mutation ($in: CreateShopInput!) { createShop(input: $in) { id } }', {
      in: { clientId: 'nope', name: ' ', externalId: 'x', region: 'US', currency: 'USD', timeZone: 'Mars/Olympus' },
    });
    expect(Object.keys(expectOneError(res)).sort()).toEqual(['input.clientId', 'input.name', 'input.timeZone']);
  });

  it('enrollCreators: a rate out of range and a duplicate creator together', async () => {
    const created = await run('mutation ($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }', {
      in: { shopId, name: 'Enrol', objective: 'SALES', startDate: '2025-03-10', commissionRateBps: 1000 },
    });
    const campaignId = (created.data?.createCampaign as { id: string }).id;
    const res = await run('mutation ($c: ID!, $cr: [EnrollCreatorInput!]!) { enrollCreators(campaignId: $c, creators: $cr) { id } }', {
      c: campaignId,
      cr: [{ creatorId: creatorIds[0], commissionRateBps: 10001 }, { creatorId: creatorIds[0] }],
    });
    expect(Object.keys(expectOneError(res)).sort()).toEqual(['creators.0.commissionRateBps', 'creators.1.creatorId']);
  });

  it('updateCreator: clearing the follower count and a bad rate together', async () => {
    const res = await run('mutation ($id: ID!, $in: UpdateCreatorInput!) { updateCreator(id: $id, input: $in) { id } }', {
      id: creatorIds[1],
      in: { followerCount: null, engagementRate: 2 },
    });
    expect(Object.keys(expectOneError(res)).sort()).toEqual(['input.engagementRate', 'input.followerCount']);
  });
});

describe('rule problems of other mutations, in one response', () => {
  it('createMember: a short password and a CLIENT_VIEWER without a client together', async () => {
    const res = await run('mutation ($in: CreateMemberInput!) { createMember(input: $in) { id } }', {
      in: { email: 'viewer@example.com', name: ' ', role: 'CLIENT_VIEWER', password: 'short' },
    });
    expect(Object.keys(expectOneError(res)).sort()).toEqual(['input.clientId', 'input.name', 'input.password']);
  });

  it('createApiKey: a blank name and no scopes together', async () => {
    const res = await run('mutation { createApiKey(name: " ", scopes: []) { secret } }');
    expect(Object.keys(expectOneError(res)).sort()).toEqual(['name', 'scopes']);
  });
});

describe('subscriptions over HTTP', () => {
  it.each(['subscription { __typename }', 'subscription Named { __typename }'])('%s: 400 BAD_USER_INPUT pointing to graphql-ws, nothing logged', async (query) => {
    const before = log.errors.length;
    const res = await run(query);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].message).toMatch(/WebSocket/);
    expect(res.errors?.[0].message).toMatch(/graphql-ws/);
    expect(res.errors?.[0].message).toMatch(/\/graphql/);
    expect(log.errors.length).toBe(before);
  });
});
