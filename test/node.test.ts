import { randomUUID } from 'node:crypto';
import {
  AuditLogDocument,
  ClientsDocument,
  ContentTestSubmitDocument,
  ContentTestShipSampleDocument,
  ContentTestSaveTemplateDocument,
  ContentTestInviteDocument,
  CreateApiKeyDocument,
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  CreatorsDocument,
  EnrollCreatorsDocument,
  IngestOrdersDocument,
  IngestOrdersListDocument,
  EnrollmentsTestSetStatusDocument,
  NodeDocument,
  NodeQuery,
  NodesDocument,
  UpdateClientDocument,
  UpdateCreatorDocument,
  UpsertProductsDocument,
  ViewerDocument,
} from './generated/graphql';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let acme: TestAgency;
let rival: TestAgency;
/** One object of every Node type in each agency: typename -> { id, the field the Node query reads }. */
let acmeObjects: World;
let rivalObjects: World;

type NodeValue = NonNullable<NodeQuery['node']>;
type World = Record<NodeValue['__typename'], NodeValue>;

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 7)}`;

/** Creates one object of every Node type through the API; returns them as node(id) should show them. */
async function buildWorld(agency: TestAgency): Promise<World> {
  const token = agency.token;
  const { viewer, agency: agencyRow } = await t.ok(ViewerDocument, {}, token);
  const { createClient } = await t.ok(CreateClientDocument, { input: { name: unique('Client') } }, token);
  const { createShop } = await t.ok(
    CreateShopDocument,
    {
      input: { clientId: createClient.id, name: unique('Shop'), externalId: unique('ext'), region: 'US', currency: 'USD', timeZone: 'America/Chicago' },
    },
    token,
  );
  const { upsertProducts } = await t.ok(
    UpsertProductsDocument,
    { shopId: createShop.id, products: [{ sku: unique('SKU'), title: 'Widget', price: { amountMinor: 1999, currency: 'USD' } }] },
    token,
  );
  const { createCreator } = await t.ok(
    CreateCreatorDocument,
    { input: { handle: `h_${++seq}_${Math.random().toString(36).slice(2, 8)}`, followerCount: 1000 } },
    token,
  );
  const { createCampaign } = await t.ok(
    CreateCampaignDocument,
    {
      input: {
        shopId: createShop.id,
        name: unique('Campaign'),
        objective: 'SALES',
        startDate: '2030-01-01',
        commissionRateBps: 1500,
        productIds: [upsertProducts[0].id],
      },
    },
    token,
  );
  const { enrollCreators } = await t.ok(EnrollCreatorsDocument, { campaignId: createCampaign.id, creators: [{ creatorId: createCreator.id }] }, token);
  const externalId = String(7_300_000_000_000_000_000n + BigInt(++seq));
  await t.ok(
    IngestOrdersDocument,
    { shopId: createShop.id, orders: [{ externalId, status: 'PLACED', quantity: 1, gmv: { amountMinor: 1999, currency: 'USD' }, placedAt: '2026-01-05T12:00:00Z' }] },
    token,
  );
  const { orders } = await t.ok(IngestOrdersListDocument, { shopId: createShop.id }, token);
  await t.ok(EnrollmentsTestSetStatusDocument, { id: enrollCreators[0].id, status: 'ACCEPTED' }, token);
  const { submitContent } = await t.ok(ContentTestSubmitDocument, { input: { enrollmentId: enrollCreators[0].id, caption: 'First cut #ad' } }, token);
  const { shipSample } = await t.ok(
    ContentTestShipSampleDocument,
    { input: { enrollmentId: enrollCreators[0].id, productId: upsertProducts[0].id, quantity: 2, cost: { amountMinor: 500, currency: 'USD' }, trackingNumber: '1Z1' } },
    token,
  );
  const { saveOutreachTemplate } = await t.ok(ContentTestSaveTemplateDocument, { input: { name: unique('Template'), channel: 'EMAIL', body: 'Hi {{creator.handle}}' } }, token);
  const { createCreator: invitee } = await t.ok(CreateCreatorDocument, { input: { handle: `i_${++seq}_${Math.random().toString(36).slice(2, 8)}`, followerCount: 10 } }, token);
  const { inviteCreators } = await t.ok(ContentTestInviteDocument, { campaignId: createCampaign.id, creatorIds: [invitee.id], templateId: saveOutreachTemplate.id }, token);
  const { createApiKey } = await t.ok(CreateApiKeyDocument, { name: unique('Key'), scopes: ['READ'] }, token);
  const { auditLog } = await t.ok(AuditLogDocument, { first: 1 }, token);

  return {
    Agency: { __typename: 'Agency', id: agencyRow.id, name: agencyRow.name },
    Member: { __typename: 'Member', id: viewer!.id, email: viewer!.email },
    Client: { __typename: 'Client', id: createClient.id, name: createClient.name },
    Shop: { __typename: 'Shop', id: createShop.id, name: createShop.name },
    Product: { __typename: 'Product', id: upsertProducts[0].id, sku: upsertProducts[0].sku },
    Creator: { __typename: 'Creator', id: createCreator.id, handle: createCreator.handle },
    Campaign: { __typename: 'Campaign', id: createCampaign.id, name: createCampaign.name },
    CampaignEnrollment: { __typename: 'CampaignEnrollment', id: enrollCreators[0].id, status: submitContent.enrollment.status },
    Content: { __typename: 'Content', id: submitContent.id, revision: submitContent.revision },
    Sample: { __typename: 'Sample', id: shipSample.id, quantity: shipSample.quantity },
    OutreachTemplate: { __typename: 'OutreachTemplate', id: saveOutreachTemplate.id, name: saveOutreachTemplate.name },
    OutreachMessage: { __typename: 'OutreachMessage', id: inviteCreators.messages[0].id, message: inviteCreators.messages[0].message },
    ApiKey: { __typename: 'ApiKey', id: createApiKey.apiKey.id, prefix: createApiKey.apiKey.prefix },
    AuditEntry: { __typename: 'AuditEntry', id: auditLog.edges[0].node.id, operation: auditLog.edges[0].node.operation },
    Order: { __typename: 'Order', id: orders.edges[0].node.id, externalId },
  };
}

/** A well-formed id of `typeName` that no row has. */
const missingId = (typeName: string) => Buffer.from(`${typeName}:${randomUUID()}`, 'utf8').toString('base64url');

function fieldKeys(result: GqlResult<unknown>): string[] {
  return Object.keys(result.errors?.[0]?.extensions?.fields ?? {});
}

const TYPES = ['Agency', 'Member', 'Client', 'Shop', 'Product', 'Creator', 'Campaign', 'CampaignEnrollment', 'Content', 'Sample', 'OutreachTemplate', 'OutreachMessage', 'ApiKey', 'AuditEntry', 'Order'] as const;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency('Acme Node Agency');
  rival = await t.createAgency('Rival Node Agency');
  acmeObjects = await buildWorld(acme);
  rivalObjects = await buildWorld(rival);
});
afterAll(() => t.stop());

describe('node(id)', () => {
  it.each(TYPES)('round-trips the id of a %s to the same object', async (typeName) => {
    const expected = acmeObjects[typeName];
    const res = await t.gql(NodeDocument, { id: expected.id }, acme.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.node).toEqual(expected);
  });

  it('resolves an id taken from a list to the same object', async () => {
    const { clients } = await t.ok(ClientsDocument, { first: 1 }, acme.token);
    const listed = clients.edges[0].node;
    const { node } = await t.ok(NodeDocument, { id: listed.id }, acme.token);
    expect(node).toEqual({ __typename: 'Client', id: listed.id, name: listed.name });
  });

  it.each(TYPES)("answers null for another agency's %s id, exactly as for an id that never existed", async (typeName) => {
    const foreign = await t.gql(NodeDocument, { id: rivalObjects[typeName].id }, acme.token);
    const missing = await t.gql(NodeDocument, { id: missingId(typeName) }, acme.token);
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data).toEqual({ node: null });
    expect(missing.errors).toBeUndefined();
    const answer = (r: GqlResult<unknown>) => ({ status: r.status, data: r.data, errors: r.errors });
    expect(answer(foreign)).toEqual(answer(missing));
    // The rival still sees its own object: null above is tenancy, not a broken id.
    expect((await t.ok(NodeDocument, { id: rivalObjects[typeName].id }, rival.token)).node).toEqual(rivalObjects[typeName]);
  });

  it('refuses a malformed id as BAD_USER_INPUT on id', async () => {
    const malformed = [
      'not-an-id',
      'a b c',
      Buffer.from('Client:not-a-uuid').toString('base64url'),
      Buffer.from(`NoSuchType:${randomUUID()}`).toString('base64url'),
      Buffer.from(randomUUID()).toString('base64url'),
    ];
    for (const id of malformed) {
      const res = await t.gql(NodeDocument, { id }, acme.token);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldKeys(res)).toEqual(['id']);
      expect(res.data?.node ?? null).toBeNull();
    }
  });

  it('needs a token: UNAUTHENTICATED, with no data', async () => {
    const res = await t.gql(NodeDocument, { id: acmeObjects.Client.id });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data?.node ?? null).toBeNull();

    const many = await t.gql(NodesDocument, { ids: [acmeObjects.Client.id] });
    expect(codes(many)).toEqual(['UNAUTHENTICATED']);
    expect(many.data?.nodes ?? null).toBeNull();
  });
});

describe('nodes(ids)', () => {
  it('returns every type in the order asked for', async () => {
    const ids = [...TYPES].reverse().map((type) => acmeObjects[type].id);
    const { nodes } = await t.ok(NodesDocument, { ids }, acme.token);
    expect(nodes).toEqual([...TYPES].reverse().map((type) => ({ __typename: type, id: acmeObjects[type].id })));
  });

  it("answers null for every one of another agency's ids", async () => {
    const res = await t.gql(NodesDocument, { ids: TYPES.map((type) => rivalObjects[type].id) }, acme.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes).toEqual(TYPES.map(() => null));
  });

  it('mixes objects, nulls for missing and foreign ids, and an error at the index of a malformed one', async () => {
    const ids = [acmeObjects.Client.id, missingId('Shop'), rivalObjects.Creator.id, 'garbage', acmeObjects.Creator.id];
    const res = await t.gql(NodesDocument, { ids }, acme.token);
    expect(res.data?.nodes).toEqual([
      { __typename: 'Client', id: acmeObjects.Client.id },
      null,
      null,
      null,
      { __typename: 'Creator', id: acmeObjects.Creator.id },
    ]);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].path).toEqual(['nodes', 3]);
    expect(fieldKeys(res)).toEqual(['ids.3']);
  });

  it('takes at most 100 ids', async () => {
    const hundred = Array.from({ length: 100 }, () => missingId('Client'));
    const ok = await t.gql(NodesDocument, { ids: hundred }, acme.token);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.nodes).toEqual(hundred.map(() => null));

    const tooMany = await t.gql(NodesDocument, { ids: [...hundred, acmeObjects.Client.id] }, acme.token);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(fieldKeys(tooMany)).toEqual(['ids']);
    expect(tooMany.data?.nodes ?? null).toBeNull();
  });
});

describe('ids of the wrong type', () => {
  it('refuses a Creator id as updateClient id, changing nothing', async () => {
    const res = await t.gql(UpdateClientDocument, { id: acmeObjects.Creator.id, input: { name: 'Renamed' } }, acme.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldKeys(res)).toEqual(['id']);
    const { clients } = await t.ok(ClientsDocument, { first: 100 }, acme.token);
    expect(clients.edges.map((e) => e.node.name)).not.toContain('Renamed');
  });

  it('refuses a Client id as updateCreator id, changing nothing', async () => {
    const res = await t.gql(UpdateCreatorDocument, { id: acmeObjects.Client.id, input: { displayName: 'Renamed' } }, acme.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldKeys(res)).toEqual(['id']);
    const { creators } = await t.ok(CreatorsDocument, { first: 100 }, acme.token);
    expect(creators.edges.map((e) => e.node.displayName)).not.toContain('Renamed');
  });

  it("tells a wrong-type id from another agency's id of the right type (NOT_FOUND)", async () => {
    const res = await t.gql(UpdateClientDocument, { id: rivalObjects.Client.id, input: { name: 'Hijacked' } }, acme.token);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect((await t.ok(NodeDocument, { id: rivalObjects.Client.id }, rival.token)).node).toEqual(rivalObjects.Client);
  });
});
