import { randomUUID } from 'node:crypto';
import {
  CampaignFilter,
  CampaignsDocument,
  CampaignsTestCampaignDocument,
  CampaignsTestClientCampaignsDocument,
  CampaignsTestCreatorCampaignsDocument,
  CampaignsTestEnrollmentDocument,
  CampaignsTestShopCampaignsDocument,
  CampaignStatus,
  CreateCampaignDocument,
  CreateCampaignInput,
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  EnrollCreatorsDocument,
  NodeDocument,
  SetCampaignStatusDocument,
  UpdateCampaignDocument,
  UpsertProductsDocument,
} from './generated/graphql';
import { missingId } from './support/ids';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;

/** An agency with a client, a USD shop with three products, and three creators. */
interface World {
  agency: TestAgency;
  token: string;
  clientId: string;
  shopId: string;
  productIds: string[];
  creatorIds: string[];
}

let worldCounter = 0;

async function createShop(token: string, clientId: string, currency = 'USD'): Promise<string> {
  const { createShop } = await t.ok(
    CreateShopDocument,
    { input: { clientId, name: `Shop ${++worldCounter}`, externalId: `ext-${worldCounter}-${randomUUID()}`, region: 'US', currency, timeZone: 'America/New_York' } },
    token,
  );
  return createShop.id;
}

async function createProducts(token: string, shopId: string, count: number): Promise<string[]> {
  const { upsertProducts } = await t.ok(
    UpsertProductsDocument,
    {
      shopId,
      products: Array.from({ length: count }, (_, i) => ({
        sku: `SKU-${++worldCounter}-${i}`,
        title: `Product ${i}`,
        price: { amountMinor: 1999 + i, currency: 'USD' },
      })),
    },
    token,
  );
  return upsertProducts.map((p) => p.id);
}

async function setup(): Promise<World> {
  const agency = await t.createAgency(`Campaign Agency ${++worldCounter}`);
  const token = agency.token;
  const { createClient } = await t.ok(CreateClientDocument, { input: { name: `Client ${worldCounter}` } }, token);
  const shopId = await createShop(token, createClient.id);
  const productIds = await createProducts(token, shopId, 3);
  const creatorIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { createCreator } = await t.ok(CreateCreatorDocument, { input: { handle: `creator_${worldCounter}_${i}`, followerCount: 1000 * (i + 1) } }, token);
    creatorIds.push(createCreator.id);
  }
  return { agency, token, clientId: createClient.id, shopId, productIds, creatorIds };
}

function campaignInput(shopId: string, overrides: Partial<CreateCampaignInput> = {}): CreateCampaignInput {
  return { shopId, name: 'Spring Push', objective: 'SALES', startDate: '2025-03-01', commissionRateBps: 1500, ...overrides };
}

async function createCampaign(w: World, overrides: Partial<CreateCampaignInput> = {}) {
  return (await t.ok(CreateCampaignDocument, { input: campaignInput(w.shopId, overrides) }, w.token)).createCampaign;
}

/** The node of a `node(id:)` query narrowed to its type; fails the test when it is null. */
function present<T extends { id: string }>(node: T | Record<PropertyKey, never> | null | undefined): T {
  if (!node || !('id' in node)) throw new Error('expected a node, got null');
  return node as T;
}

async function campaign(w: World, id: string) {
  return present((await t.ok(CampaignsTestCampaignDocument, { id }, w.token)).node);
}

async function campaignCount(w: World): Promise<number> {
  return (await t.ok(CampaignsDocument, {}, w.token)).campaigns.totalCount;
}

/** Asserts one error with this code and, when given, exactly these extensions.fields keys. */
function expectError(res: GqlResult<unknown>, code: string, fields?: string[]): void {
  expect(codes(res)).toEqual([code]);
  if (fields) expect(Object.keys(res.errors?.[0].extensions?.fields ?? {}).sort()).toEqual([...fields].sort());
  expect(res.data ?? null).toBeNull();
}

const sorted = (ids: string[]) => [...ids].sort();

/** Another agency with data of its own, whose ids must behave like ids that do not exist. */
let rival: World;
let rivalCampaignId: string;

beforeAll(async () => {
  t = await startTestServer();
  rival = await setup();
  rivalCampaignId = (await createCampaign(rival, { name: 'Rival Campaign', productIds: [rival.productIds[0]] })).id;
});
afterAll(() => t.stop());

describe('createCampaign', () => {
  it('creates a DRAFT campaign with money in the shop currency and the given products', async () => {
    const w = await setup();
    const created = await createCampaign(w, {
      name: '  Summer Launch  ',
      objective: 'LAUNCH',
      startDate: '2025-06-01',
      endDate: '2025-06-30',
      budget: { amountMinor: 500000, currency: 'USD' },
      targetGmv: { amountMinor: 2500050, currency: 'USD' },
      targetRoas: 3.5,
      commissionRateBps: 1200,
      productIds: [w.productIds[2], w.productIds[0]],
    });
    expect(created).toMatchObject({
      name: 'Summer Launch',
      objective: 'LAUNCH',
      status: 'DRAFT',
      startDate: '2025-06-01',
      endDate: '2025-06-30',
      budget: { amountMinor: 500000, amount: '5000.00', currency: 'USD' },
      targetGmv: { amountMinor: 2500050, amount: '25000.50', currency: 'USD' },
      targetRoas: 3.5,
      commissionRateBps: 1200,
      shop: { id: w.shopId },
    });
    expect(sorted(created.products.map((p) => p.id))).toEqual(sorted([w.productIds[2], w.productIds[0]]));

    const stored = await campaign(w, created.id);
    expect(stored).toMatchObject({ name: 'Summer Launch', status: 'DRAFT', budget: { amountMinor: 500000, currency: 'USD' } });
    expect(sorted(stored.products.map((p) => p.id))).toEqual(sorted([w.productIds[2], w.productIds[0]]));
    expect(stored.enrollments.totalCount).toBe(0);
  });

  it('leaves optional fields empty when they are not given', async () => {
    const w = await setup();
    const created = await createCampaign(w);
    expect(created).toMatchObject({ status: 'DRAFT', endDate: null, budget: null, targetGmv: null, targetRoas: null, products: [] });
  });

  it('refuses money in another currency than the shop one', async () => {
    const w = await setup();
    const budgetOnly = await t.gql(CreateCampaignDocument, { input: campaignInput(w.shopId, { budget: { amountMinor: 1000, currency: 'GBP' } }) }, w.token);
    expectError(budgetOnly, 'BAD_USER_INPUT', ['input.budget.currency']);

    const both = await t.gql(
      CreateCampaignDocument,
      { input: campaignInput(w.shopId, { budget: { amountMinor: 1000, currency: 'GBP' }, targetGmv: { amountMinor: 5000, currency: 'GBP' } }) },
      w.token,
    );
    expectError(both, 'BAD_USER_INPUT', ['input.budget.currency', 'input.targetGmv.currency']);
    expect(await campaignCount(w)).toBe(0);
  });

  it('refuses an endDate before the startDate, and accepts a one-day campaign', async () => {
    const w = await setup();
    const res = await t.gql(CreateCampaignDocument, { input: campaignInput(w.shopId, { startDate: '2025-03-10', endDate: '2025-03-09' }) }, w.token);
    expectError(res, 'BAD_USER_INPUT', ['input.endDate']);
    expect(await campaignCount(w)).toBe(0);

    const oneDay = await createCampaign(w, { startDate: '2025-03-10', endDate: '2025-03-10' });
    expect(oneDay).toMatchObject({ startDate: '2025-03-10', endDate: '2025-03-10' });
  });

  it('refuses a commissionRateBps outside 0..10000', async () => {
    const w = await setup();
    for (const commissionRateBps of [-1, 10001]) {
      const res = await t.gql(CreateCampaignDocument, { input: campaignInput(w.shopId, { commissionRateBps }) }, w.token);
      expectError(res, 'BAD_USER_INPUT', ['input.commissionRateBps']);
    }
    expect(await campaignCount(w)).toBe(0);

    expect((await createCampaign(w, { commissionRateBps: 0 })).commissionRateBps).toBe(0);
    expect((await createCampaign(w, { commissionRateBps: 10000 })).commissionRateBps).toBe(10000);
  });

  it('reports every bad field at once: blank name, negative amount, negative targetRoas', async () => {
    const w = await setup();
    const res = await t.gql(
      CreateCampaignDocument,
      { input: campaignInput(w.shopId, { name: '   ', budget: { amountMinor: -1, currency: 'USD' }, targetRoas: -0.5 }) },
      w.token,
    );
    expectError(res, 'BAD_USER_INPUT', ['input.name', 'input.budget.amountMinor', 'input.targetRoas']);
    expect(await campaignCount(w)).toBe(0);
  });

  it("refuses a product of another shop with NOT_FOUND naming its index, and creates nothing", async () => {
    const w = await setup();
    const otherShopId = await createShop(w.token, w.clientId);
    const [otherShopProduct] = await createProducts(w.token, otherShopId, 1);

    const res = await t.gql(CreateCampaignDocument, { input: campaignInput(w.shopId, { productIds: [w.productIds[0], otherShopProduct] }) }, w.token);
    expectError(res, 'NOT_FOUND', ['input.productIds.1']);
    expect(await campaignCount(w)).toBe(0);
  });

  it("treats another agency's product like a product that does not exist", async () => {
    const w = await setup();
    const foreign = await t.gql(CreateCampaignDocument, { input: campaignInput(w.shopId, { productIds: [rival.productIds[0]] }) }, w.token);
    const unknown = await t.gql(CreateCampaignDocument, { input: campaignInput(w.shopId, { productIds: [missingId('Product')] }) }, w.token);
    expectError(foreign, 'NOT_FOUND', ['input.productIds.0']);
    expectError(unknown, 'NOT_FOUND', ['input.productIds.0']);
    expect(foreign.errors?.[0].extensions).toEqual(unknown.errors?.[0].extensions);
    expect(await campaignCount(w)).toBe(0);
  });

  it('refuses an id of another type in productIds as BAD_USER_INPUT', async () => {
    const w = await setup();
    const res = await t.gql(CreateCampaignDocument, { input: campaignInput(w.shopId, { productIds: [w.productIds[0], w.creatorIds[0]] }) }, w.token);
    expectError(res, 'BAD_USER_INPUT', ['input.productIds.1']);
    expect(await campaignCount(w)).toBe(0);
  });

  it("treats another agency's shop like a shop that does not exist", async () => {
    const w = await setup();
    const foreign = await t.gql(CreateCampaignDocument, { input: campaignInput(rival.shopId) }, w.token);
    const unknown = await t.gql(CreateCampaignDocument, { input: campaignInput(missingId('Shop')) }, w.token);
    expectError(foreign, 'NOT_FOUND', ['input.shopId']);
    expectError(unknown, 'NOT_FOUND', ['input.shopId']);
    expect(foreign.errors?.[0].extensions).toEqual(unknown.errors?.[0].extensions);
    expect(await campaignCount(w)).toBe(0);

    const rivalCampaigns = await t.ok(CampaignsDocument, {}, rival.token);
    expect(rivalCampaigns.campaigns.edges.map((e) => e.node.id)).toEqual([rivalCampaignId]);
  });
});

describe('updateCampaign', () => {
  it('changes only the fields given', async () => {
    const w = await setup();
    const created = await createCampaign(w, {
      endDate: '2025-03-31',
      budget: { amountMinor: 100000, currency: 'USD' },
      targetRoas: 2,
      productIds: [w.productIds[0]],
    });

    const renamed = (await t.ok(UpdateCampaignDocument, { id: created.id, input: { name: 'Renamed' } }, w.token)).updateCampaign;
    expect(renamed).toEqual({ ...created, name: 'Renamed' });

    const repriced = (
      await t.ok(UpdateCampaignDocument, { id: created.id, input: { commissionRateBps: 2000, budget: { amountMinor: 250000, currency: 'USD' } } }, w.token)
    ).updateCampaign;
    expect(repriced).toEqual({
      ...created,
      name: 'Renamed',
      commissionRateBps: 2000,
      budget: { amountMinor: 250000, amount: '2500.00', currency: 'USD' },
    });

    const stored = await campaign(w, created.id);
    expect(stored).toMatchObject({ name: 'Renamed', commissionRateBps: 2000, endDate: '2025-03-31', targetRoas: 2, status: 'DRAFT' });
    expect(stored.products.map((p) => p.id)).toEqual([w.productIds[0]]);
  });

  it('replaces the product list with productIds', async () => {
    const w = await setup();
    const created = await createCampaign(w, { productIds: [w.productIds[0], w.productIds[1]] });

    const replaced = (await t.ok(UpdateCampaignDocument, { id: created.id, input: { productIds: [w.productIds[2]] } }, w.token)).updateCampaign;
    expect(replaced.products.map((p) => p.id)).toEqual([w.productIds[2]]);
    expect((await campaign(w, created.id)).products.map((p) => p.id)).toEqual([w.productIds[2]]);

    const emptied = (await t.ok(UpdateCampaignDocument, { id: created.id, input: { productIds: [] } }, w.token)).updateCampaign;
    expect(emptied.products).toEqual([]);
    expect((await campaign(w, created.id)).products).toEqual([]);
  });

  it('clears endDate and budget when given null', async () => {
    const w = await setup();
    const created = await createCampaign(w, { endDate: '2025-04-30', budget: { amountMinor: 100000, currency: 'USD' } });

    const cleared = (await t.ok(UpdateCampaignDocument, { id: created.id, input: { endDate: null, budget: null } }, w.token)).updateCampaign;
    expect(cleared).toEqual({ ...created, endDate: null, budget: null });
    expect(await campaign(w, created.id)).toMatchObject({ endDate: null, budget: null, startDate: created.startDate });
  });

  it('validates like createCampaign and leaves the campaign unchanged', async () => {
    const w = await setup();
    const created = await createCampaign(w, { startDate: '2025-03-01', endDate: '2025-03-31' });

    const endBeforeStart = await t.gql(UpdateCampaignDocument, { id: created.id, input: { endDate: '2025-02-28' } }, w.token);
    expectError(endBeforeStart, 'BAD_USER_INPUT', ['input.endDate']);
    const wrongCurrency = await t.gql(UpdateCampaignDocument, { id: created.id, input: { name: 'X', targetGmv: { amountMinor: 1, currency: 'EUR' } } }, w.token);
    expectError(wrongCurrency, 'BAD_USER_INPUT', ['input.targetGmv.currency']);
    const badRate = await t.gql(UpdateCampaignDocument, { id: created.id, input: { commissionRateBps: 10001 } }, w.token);
    expectError(badRate, 'BAD_USER_INPUT', ['input.commissionRateBps']);
    const notAProduct = await t.gql(UpdateCampaignDocument, { id: created.id, input: { productIds: [w.creatorIds[0]] } }, w.token);
    expectError(notAProduct, 'BAD_USER_INPUT', ['input.productIds.0']);

    const stored = await campaign(w, created.id);
    expect(stored).toMatchObject({ name: created.name, endDate: '2025-03-31', targetGmv: null, commissionRateBps: created.commissionRateBps });
  });

  it('writes nothing when a product is not found', async () => {
    const w = await setup();
    const created = await createCampaign(w, { productIds: [w.productIds[0]] });

    const res = await t.gql(
      UpdateCampaignDocument,
      { id: created.id, input: { name: 'Half-written', productIds: [w.productIds[1], rival.productIds[0]] } },
      w.token,
    );
    expectError(res, 'NOT_FOUND', ['input.productIds.1']);

    const stored = await campaign(w, created.id);
    expect(stored.name).toBe(created.name);
    expect(stored.products.map((p) => p.id)).toEqual([w.productIds[0]]);
  });

  it('refuses to change COMPLETED and CANCELLED campaigns with CONFLICT', async () => {
    const w = await setup();
    const completed = await createCampaign(w, { name: 'Done' });
    await t.ok(SetCampaignStatusDocument, { id: completed.id, status: 'ACTIVE' }, w.token);
    await t.ok(SetCampaignStatusDocument, { id: completed.id, status: 'COMPLETED' }, w.token);
    const cancelled = await createCampaign(w, { name: 'Called off' });
    await t.ok(SetCampaignStatusDocument, { id: cancelled.id, status: 'CANCELLED' }, w.token);

    for (const [c, status] of [[completed, 'COMPLETED'], [cancelled, 'CANCELLED']] as const) {
      const res = await t.gql(UpdateCampaignDocument, { id: c.id, input: { name: 'Rewritten history', productIds: [w.productIds[0]] } }, w.token);
      expectError(res, 'CONFLICT');
      expect(await campaign(w, c.id)).toMatchObject({ name: c.name, status, products: [] });
    }
  });

  it("treats another agency's campaign like a campaign that does not exist", async () => {
    const w = await setup();
    const foreign = await t.gql(UpdateCampaignDocument, { id: rivalCampaignId, input: { name: 'Hijacked' } }, w.token);
    const unknown = await t.gql(UpdateCampaignDocument, { id: missingId('Campaign'), input: { name: 'Hijacked' } }, w.token);
    expectError(foreign, 'NOT_FOUND');
    expectError(unknown, 'NOT_FOUND');
    expect(foreign.errors?.[0].extensions).toEqual(unknown.errors?.[0].extensions);

    expect((await t.ok(NodeDocument, { id: rivalCampaignId }, w.token)).node).toBeNull();
    expect(present((await t.ok(CampaignsTestCampaignDocument, { id: rivalCampaignId }, rival.token)).node).name).toBe('Rival Campaign');
  });
});

describe('setCampaignStatus', () => {
  const STATUSES: CampaignStatus[] = ['DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELLED'];
  const ALLOWED: Record<CampaignStatus, CampaignStatus[]> = {
    DRAFT: ['ACTIVE', 'CANCELLED'],
    ACTIVE: ['PAUSED', 'COMPLETED', 'CANCELLED'],
    PAUSED: ['ACTIVE', 'COMPLETED', 'CANCELLED'],
    COMPLETED: [],
    CANCELLED: [],
  };
  /** Allowed moves that reach each state from DRAFT. */
  const PATH: Record<CampaignStatus, CampaignStatus[]> = {
    DRAFT: [],
    ACTIVE: ['ACTIVE'],
    PAUSED: ['ACTIVE', 'PAUSED'],
    COMPLETED: ['ACTIVE', 'COMPLETED'],
    CANCELLED: ['CANCELLED'],
  };
  const PAIRS = STATUSES.flatMap((from) =>
    STATUSES.map((to) => ({ from, to, outcome: ALLOWED[from].includes(to) ? 'allowed' : 'INVALID_TRANSITION' })),
  );

  let w: World;
  beforeAll(async () => {
    w = await setup();
  });

  it('tests every CampaignStatus of the schema', async () => {
    const res = await t.gql<{ __type: { enumValues: Array<{ name: string }> } }, Record<string, never>>(
      '{ __type(name: "CampaignStatus") { enumValues { name } } }',
    );
    expect(sorted(res.data!.__type.enumValues.map((v) => v.name))).toEqual(sorted(STATUSES));
    expect(PAIRS).toHaveLength(25);
  });

  it.each(PAIRS)('$from -> $to: $outcome', async ({ from, to, outcome }) => {
    const { id } = await createCampaign(w, { name: `${from} to ${to}` });
    for (const step of PATH[from]) await t.ok(SetCampaignStatusDocument, { id, status: step }, w.token);
    expect((await campaign(w, id)).status).toBe(from);

    const res = await t.gql(SetCampaignStatusDocument, { id, status: to }, w.token);
    if (outcome === 'allowed') {
      expect(res.errors).toBeUndefined();
      expect(res.data?.setCampaignStatus).toEqual({ id, status: to });
      expect((await campaign(w, id)).status).toBe(to);
    } else {
      expectError(res, 'INVALID_TRANSITION');
      expect(sorted((res.errors?.[0].extensions?.allowed as string[]) ?? ['missing'])).toEqual(sorted(ALLOWED[from]));
      expect((await campaign(w, id)).status).toBe(from);
    }
  });

  it("treats another agency's campaign like a campaign that does not exist", async () => {
    const foreign = await t.gql(SetCampaignStatusDocument, { id: rivalCampaignId, status: 'CANCELLED' }, w.token);
    const unknown = await t.gql(SetCampaignStatusDocument, { id: missingId('Campaign'), status: 'CANCELLED' }, w.token);
    expectError(foreign, 'NOT_FOUND');
    expectError(unknown, 'NOT_FOUND');
    expect(foreign.errors?.[0].extensions).toEqual(unknown.errors?.[0].extensions);
    expect(present((await t.ok(CampaignsTestCampaignDocument, { id: rivalCampaignId }, rival.token)).node).status).toBe('DRAFT');
  });
});

describe('enrollCreators', () => {
  it('invites creators in input order with their commission override and content due date', async () => {
    const w = await setup();
    const c = await createCampaign(w);
    const { enrollCreators } = await t.ok(
      EnrollCreatorsDocument,
      {
        campaignId: c.id,
        creators: [{ creatorId: w.creatorIds[2], commissionRateBps: 2000, contentDueDate: '2025-03-15' }, { creatorId: w.creatorIds[0] }],
      },
      w.token,
    );
    expect(enrollCreators.map((e) => e.creator.id)).toEqual([w.creatorIds[2], w.creatorIds[0]]);
    expect(enrollCreators[0]).toMatchObject({ status: 'INVITED', commissionRateBps: 2000, contentDueDate: '2025-03-15', campaign: { id: c.id } });
    expect(enrollCreators[1]).toMatchObject({ status: 'INVITED', commissionRateBps: null, contentDueDate: null, campaign: { id: c.id } });

    const stored = await campaign(w, c.id);
    expect(stored.enrollments.totalCount).toBe(2);
    expect(sorted(stored.enrollments.edges.map((e) => e.node.id))).toEqual(sorted(enrollCreators.map((e) => e.id)));
  });

  it('resolves enrollment.campaign and enrollment.creator, and lists the enrollment in Creator.campaigns', async () => {
    const w = await setup();
    const c = await createCampaign(w, { name: 'Resolvable' });
    const [enrollment] = (await t.ok(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[1], commissionRateBps: 900 }] }, w.token))
      .enrollCreators;

    const node = present((await t.ok(CampaignsTestEnrollmentDocument, { id: enrollment.id }, w.token)).node);
    expect(node).toEqual({
      id: enrollment.id,
      status: 'INVITED',
      campaign: { id: c.id, name: 'Resolvable', status: 'DRAFT' },
      creator: { id: w.creatorIds[1], handle: enrollment.creator.handle },
    });

    const creator = present((await t.ok(CampaignsTestCreatorCampaignsDocument, { id: w.creatorIds[1] }, w.token)).node);
    expect(creator.campaigns.totalCount).toBe(1);
    expect(creator.campaigns.edges[0].node).toEqual({
      id: enrollment.id,
      status: 'INVITED',
      commissionRateBps: 900,
      campaign: { id: c.id, name: 'Resolvable' },
      creator: { id: w.creatorIds[1] },
    });
    const other = present((await t.ok(CampaignsTestCreatorCampaignsDocument, { id: w.creatorIds[0] }, w.token)).node);
    expect(other.campaigns.totalCount).toBe(0);
  });

  it('returns an existing enrollment unchanged when enrolled again on the same terms (or none given)', async () => {
    const w = await setup();
    const c = await createCampaign(w);
    const [first] = (
      await t.ok(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0], commissionRateBps: 1000, contentDueDate: '2025-03-10' }] }, w.token)
    ).enrollCreators;

    const again = (
      await t.ok(
        EnrollCreatorsDocument,
        { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0], commissionRateBps: 1000, contentDueDate: '2025-03-10' }, { creatorId: w.creatorIds[1] }] },
        w.token,
      )
    ).enrollCreators;
    expect(again[0]).toEqual(first);
    expect(again[1]).toMatchObject({ status: 'INVITED', creator: { id: w.creatorIds[1] } });
    expect(again[1].id).not.toBe(first.id);
    expect((await campaign(w, c.id)).enrollments.totalCount).toBe(2);

    // Terms left out are not compared: a bare retry is harmless too.
    const retried = (await t.ok(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0] }] }, w.token)).enrollCreators;
    expect(retried).toEqual([first]);
    const stored = await campaign(w, c.id);
    expect(stored.enrollments.totalCount).toBe(2);
    expect(stored.enrollments.edges.find((e) => e.node.id === first.id)?.node).toEqual(first);
  });

  it('answers CONFLICT naming updateEnrollment when enrolled again on other terms, and enrolls nobody of that call', async () => {
    const w = await setup();
    const c = await createCampaign(w);
    const [first] = (
      await t.ok(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0], commissionRateBps: 1000, contentDueDate: '2025-03-10' }] }, w.token)
    ).enrollCreators;

    const res = await t.gql(
      EnrollCreatorsDocument,
      { campaignId: c.id, creators: [{ creatorId: w.creatorIds[1] }, { creatorId: w.creatorIds[0], commissionRateBps: 3000, contentDueDate: '2025-04-01' }] },
      w.token,
    );
    expectError(res, 'CONFLICT', ['creators.1.commissionRateBps', 'creators.1.contentDueDate']);
    expect(res.errors?.[0].message).toContain('updateEnrollment');
    expect(res.errors?.[0].extensions?.fields?.['creators.1.commissionRateBps'][0]).toContain(first.id);

    // An explicit null is a term too: "no override" differs from 1000.
    expectError(
      await t.gql(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0], commissionRateBps: null }] }, w.token),
      'CONFLICT',
      ['creators.0.commissionRateBps'],
    );
    expectError(
      await t.gql(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0], contentDueDate: '2025-03-11' }] }, w.token),
      'CONFLICT',
      ['creators.0.contentDueDate'],
    );

    const stored = await campaign(w, c.id);
    expect(stored.enrollments.totalCount).toBe(1);
    expect(stored.enrollments.edges[0].node).toEqual(first);
  });

  it('refuses the same creator twice in one call and enrolls nobody', async () => {
    const w = await setup();
    const c = await createCampaign(w);
    const res = await t.gql(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0] }, { creatorId: w.creatorIds[0] }] }, w.token);
    expectError(res, 'BAD_USER_INPUT', ['creators.1.creatorId']);
    expect((await campaign(w, c.id)).enrollments.totalCount).toBe(0);
  });

  it('refuses a commission override outside 0..10000 and a non-creator id', async () => {
    const w = await setup();
    const c = await createCampaign(w);
    const badRate = await t.gql(
      EnrollCreatorsDocument,
      { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0] }, { creatorId: w.creatorIds[1], commissionRateBps: 10001 }] },
      w.token,
    );
    expectError(badRate, 'BAD_USER_INPUT', ['creators.1.commissionRateBps']);
    const notACreator = await t.gql(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0] }, { creatorId: w.productIds[0] }] }, w.token);
    expectError(notACreator, 'BAD_USER_INPUT', ['creators.1.creatorId']);
    expect((await campaign(w, c.id)).enrollments.totalCount).toBe(0);
  });

  it("treats another agency's creator like one that does not exist, and enrolls nobody (all or none)", async () => {
    const w = await setup();
    const c = await createCampaign(w);
    const foreign = await t.gql(
      EnrollCreatorsDocument,
      { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0] }, { creatorId: rival.creatorIds[0] }, { creatorId: w.creatorIds[1] }] },
      w.token,
    );
    const unknown = await t.gql(
      EnrollCreatorsDocument,
      { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0] }, { creatorId: missingId('Creator') }, { creatorId: w.creatorIds[1] }] },
      w.token,
    );
    expectError(foreign, 'NOT_FOUND', ['creators.1.creatorId']);
    expectError(unknown, 'NOT_FOUND', ['creators.1.creatorId']);
    expect(foreign.errors?.[0].extensions).toEqual(unknown.errors?.[0].extensions);

    expect((await campaign(w, c.id)).enrollments.totalCount).toBe(0);
    const rivalCreator = present((await t.ok(CampaignsTestCreatorCampaignsDocument, { id: rival.creatorIds[0] }, rival.token)).node);
    expect(rivalCreator.campaigns.totalCount).toBe(0);
  });

  it('refuses COMPLETED and CANCELLED campaigns with CONFLICT', async () => {
    const w = await setup();
    const completed = await createCampaign(w);
    await t.ok(SetCampaignStatusDocument, { id: completed.id, status: 'ACTIVE' }, w.token);
    await t.ok(SetCampaignStatusDocument, { id: completed.id, status: 'COMPLETED' }, w.token);
    const cancelled = await createCampaign(w);
    await t.ok(SetCampaignStatusDocument, { id: cancelled.id, status: 'CANCELLED' }, w.token);

    for (const c of [completed, cancelled]) {
      const res = await t.gql(EnrollCreatorsDocument, { campaignId: c.id, creators: [{ creatorId: w.creatorIds[0] }] }, w.token);
      expectError(res, 'CONFLICT');
      expect((await campaign(w, c.id)).enrollments.totalCount).toBe(0);
    }
  });

  it("treats another agency's campaign like a campaign that does not exist", async () => {
    const w = await setup();
    const foreign = await t.gql(EnrollCreatorsDocument, { campaignId: rivalCampaignId, creators: [{ creatorId: w.creatorIds[0] }] }, w.token);
    const unknown = await t.gql(EnrollCreatorsDocument, { campaignId: missingId('Campaign'), creators: [{ creatorId: w.creatorIds[0] }] }, w.token);
    expectError(foreign, 'NOT_FOUND', ['campaignId']);
    expectError(unknown, 'NOT_FOUND', ['campaignId']);
    expect(foreign.errors?.[0].extensions).toEqual(unknown.errors?.[0].extensions);
    expect(present((await t.ok(CampaignsTestCampaignDocument, { id: rivalCampaignId }, rival.token)).node).enrollments.totalCount).toBe(0);
  });
});

describe('campaigns query', () => {
  let w: World;
  let otherClientId: string;
  let otherShopId: string;
  /** Campaign ids by name; created in this order. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    w = await setup();
    otherClientId = (await t.ok(CreateClientDocument, { input: { name: 'Second Client' } }, w.token)).createClient.id;
    otherShopId = await createShop(w.token, otherClientId);

    const make = async (name: string, input: Partial<CreateCampaignInput>, moves: CampaignStatus[]) => {
      const { id } = await createCampaign(w, { name, ...input });
      for (const status of moves) await t.ok(SetCampaignStatusDocument, { id, status }, w.token);
      ids[name] = id;
    };
    await make('Summer Launch', { objective: 'LAUNCH', startDate: '2025-06-01', endDate: '2025-06-30' }, ['ACTIVE']);
    await make('Summer Sales Push', { objective: 'SALES', startDate: '2025-06-15' }, []);
    await make('Winter Awareness', { shopId: otherShopId, objective: 'AWARENESS', startDate: '2025-12-01', endDate: '2025-12-31' }, ['ACTIVE', 'PAUSED']);
    await make('100% Off_Sale', { shopId: otherShopId, objective: 'SALES', startDate: '2025-01-01', endDate: '2025-01-31' }, ['CANCELLED']);
  });

  /** Names of the campaigns the root query returns for this filter, in list order. */
  async function names(filter: CampaignFilter | undefined, token = w.token): Promise<string[]> {
    const { campaigns } = await t.ok(CampaignsDocument, { filter, first: 100 }, token);
    expect(campaigns.totalCount).toBe(campaigns.edges.length);
    return campaigns.edges.map((e) => e.node.name);
  }

  it("lists the agency's campaigns oldest first, and never another agency's", async () => {
    expect(await names(undefined)).toEqual(['Summer Launch', 'Summer Sales Push', 'Winter Awareness', '100% Off_Sale']);
    expect(await names(undefined, rival.token)).toEqual(['Rival Campaign']);
    expect(await names({ search: 'Rival' })).toEqual([]);
    expect(await names({ shopId: rival.shopId })).toEqual([]);
    expect(await names({ clientId: rival.clientId })).toEqual([]);
    expect((await t.ok(NodeDocument, { id: rivalCampaignId }, w.token)).node).toBeNull();
  });

  it('filters by a list of statuses', async () => {
    expect(await names({ status: ['ACTIVE', 'PAUSED'] })).toEqual(['Summer Launch', 'Winter Awareness']);
    expect(await names({ status: ['DRAFT'] })).toEqual(['Summer Sales Push']);
    expect(await names({ status: ['COMPLETED'] })).toEqual([]);
  });

  it('filters by a list of objectives', async () => {
    expect(await names({ objective: ['SALES'] })).toEqual(['Summer Sales Push', '100% Off_Sale']);
    expect(await names({ objective: ['SALES', 'LAUNCH'] })).toEqual(['Summer Launch', 'Summer Sales Push', '100% Off_Sale']);
  });

  it('filters by shop and by client', async () => {
    expect(await names({ shopId: w.shopId })).toEqual(['Summer Launch', 'Summer Sales Push']);
    expect(await names({ shopId: otherShopId })).toEqual(['Winter Awareness', '100% Off_Sale']);
    expect(await names({ clientId: w.clientId })).toEqual(['Summer Launch', 'Summer Sales Push']);
    expect(await names({ clientId: otherClientId })).toEqual(['Winter Awareness', '100% Off_Sale']);
    expect(await names({ clientId: w.clientId, shopId: otherShopId })).toEqual([]);
  });

  it('filters by activeOn: started on or before the day and not ended before it, open-ended included', async () => {
    expect(await names({ activeOn: '2025-05-31' })).toEqual([]);
    expect(await names({ activeOn: '2025-06-01' })).toEqual(['Summer Launch']);
    expect(await names({ activeOn: '2025-06-15' })).toEqual(['Summer Launch', 'Summer Sales Push']);
    expect(await names({ activeOn: '2025-06-30' })).toEqual(['Summer Launch', 'Summer Sales Push']);
    expect(await names({ activeOn: '2025-07-01' })).toEqual(['Summer Sales Push']);
    expect(await names({ activeOn: '2025-12-31' })).toEqual(['Summer Sales Push', 'Winter Awareness']);
    expect(await names({ activeOn: '2025-01-15' })).toEqual(['100% Off_Sale']);
  });

  it('searches names case-insensitively, taking % and _ literally', async () => {
    expect(await names({ search: 'summer' })).toEqual(['Summer Launch', 'Summer Sales Push']);
    expect(await names({ search: 'SALE' })).toEqual(['Summer Sales Push', '100% Off_Sale']);
    expect(await names({ search: '%' })).toEqual(['100% Off_Sale']);
    expect(await names({ search: '_' })).toEqual(['100% Off_Sale']);
    expect(await names({ search: 'autumn' })).toEqual([]);
  });

  it('combines filters with AND', async () => {
    expect(await names({ objective: ['SALES'], activeOn: '2025-06-20' })).toEqual(['Summer Sales Push']);
    expect(await names({ status: ['ACTIVE', 'DRAFT'], search: 'launch', shopId: w.shopId })).toEqual(['Summer Launch']);
  });

  it('refuses a malformed filter as BAD_USER_INPUT naming the field', async () => {
    expectError(await t.gql(CampaignsDocument, { filter: { shopId: w.creatorIds[0] } }, w.token), 'BAD_USER_INPUT', ['filter.shopId']);
    expectError(await t.gql(CampaignsDocument, { filter: { clientId: w.shopId } }, w.token), 'BAD_USER_INPUT', ['filter.clientId']);
    expectError(await t.gql(CampaignsDocument, { filter: { search: '' } }, w.token), 'BAD_USER_INPUT', ['filter.search']);
  });

  it('lists and filters the campaigns of a client and of a shop', async () => {
    const client = present((await t.ok(CampaignsTestClientCampaignsDocument, { id: w.clientId }, w.token)).node);
    expect(client.campaigns.edges.map((e) => e.node.name)).toEqual(['Summer Launch', 'Summer Sales Push']);
    expect(client.campaigns.totalCount).toBe(2);

    const drafts = present((await t.ok(CampaignsTestClientCampaignsDocument, { id: w.clientId, filter: { status: ['DRAFT'] } }, w.token)).node);
    expect(drafts.campaigns).toEqual({ totalCount: 1, edges: [{ node: { id: ids['Summer Sales Push'], name: 'Summer Sales Push' } }] });

    const shop = present((await t.ok(CampaignsTestShopCampaignsDocument, { id: otherShopId }, w.token)).node);
    expect(shop.campaigns.edges.map((e) => e.node.name)).toEqual(['Winter Awareness', '100% Off_Sale']);

    const winter = present((await t.ok(CampaignsTestShopCampaignsDocument, { id: otherShopId, filter: { search: 'winter', activeOn: '2025-12-24' } }, w.token)).node);
    expect(winter.campaigns).toEqual({ totalCount: 1, edges: [{ node: { id: ids['Winter Awareness'], name: 'Winter Awareness' } }] });

    const active = present((await t.ok(CampaignsTestShopCampaignsDocument, { id: w.shopId, filter: { status: ['ACTIVE'] } }, w.token)).node);
    expect(active.campaigns.edges.map((e) => e.node.name)).toEqual(['Summer Launch']);
  });

  it("never shows another agency's client, shop or campaigns through nested lists", async () => {
    expect((await t.ok(CampaignsTestClientCampaignsDocument, { id: rival.clientId }, w.token)).node).toBeNull();
    expect((await t.ok(CampaignsTestShopCampaignsDocument, { id: rival.shopId }, w.token)).node).toBeNull();
    const rivalShop = present((await t.ok(CampaignsTestShopCampaignsDocument, { id: rival.shopId }, rival.token)).node);
    expect(rivalShop.campaigns.edges.map((e) => e.node.id)).toEqual([rivalCampaignId]);
  });
});
