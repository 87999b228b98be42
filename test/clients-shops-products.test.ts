import {
  ClientsDocument,
  CreateClientDocument,
  CreateShopDocument,
  NodeDocument,
  ProductInput,
  ShopProductsDocument,
  ShopsDocument,
  UpdateClientDocument,
  UpsertProductsDocument,
  ViewerDocument,
} from './generated/graphql';
import { missingId } from './support/ids';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let acme: TestAgency;
let rival: TestAgency;
/** Global ids of each agency's admin, as the API hands them out. */
let acmeAdminId: string;
let rivalAdminId: string;

let seq = 0;
/** A name no other test in this file uses. */
const unique = (prefix: string): string => `${prefix} ${++seq}-${Math.random().toString(36).slice(2, 7)}`;

/** A well-formed id of a row that does not exist. */

/** The keys of extensions.fields of the one error of a result. */
function fieldKeys(result: GqlResult<unknown>): string[] {
  expect(result.errors).toHaveLength(1);
  return Object.keys(result.errors?.[0].extensions?.fields ?? {}).sort();
}

/** Asserts one error with this code and exactly these field paths, and no data. */
function expectError(result: GqlResult<unknown>, code: string, fields?: string[]): void {
  expect(codes(result)).toEqual([code]);
  if (fields) expect(fieldKeys(result)).toEqual([...fields].sort());
  expect(result.data ?? null).toBeNull();
}

async function createClient(agency: TestAgency, name = unique('Client')) {
  return (await t.ok(CreateClientDocument, { input: { name } }, agency.token)).createClient;
}

async function createShop(agency: TestAgency, overrides: { clientId?: string; currency?: string; externalId?: string } = {}) {
  const clientId = overrides.clientId ?? (await createClient(agency)).id;
  const { createShop: shop } = await t.ok(
    CreateShopDocument,
    {
      input: {
        clientId,
        name: unique('Shop'),
        externalId: overrides.externalId ?? unique('ext').replace(/\s/g, '-'),
        region: 'US',
        currency: overrides.currency ?? 'USD',
        timeZone: 'America/Los_Angeles',
      },
    },
    agency.token,
  );
  return shop;
}

async function clientsNamed(agency: TestAgency, search: string) {
  return (await t.ok(ClientsDocument, { first: 100, filter: { search } }, agency.token)).clients;
}

async function shopProducts(agency: TestAgency, shopId: string) {
  const { node } = await t.ok(ShopProductsDocument, { id: shopId, first: 100 }, agency.token);
  if (!node || !('products' in node)) throw new Error(`shop ${shopId} not visible`);
  return node.products;
}

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const product = (sku: string, priceMinor: number, title = `Product ${sku}`): ProductInput => ({ sku, title, price: usd(priceMinor) });

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency('Acme Agency');
  rival = await t.createAgency('Rival Agency');
  acmeAdminId = (await t.ok(ViewerDocument, {}, acme.token)).viewer!.id;
  rivalAdminId = (await t.ok(ViewerDocument, {}, rival.token)).viewer!.id;
});
afterAll(() => t.stop());

describe('createClient', () => {
  it('creates an ONBOARDING client without manager or target by default, in the caller agency', async () => {
    const name = unique('Glow Labs');
    const { createClient: client } = await t.ok(CreateClientDocument, { input: { name: `  ${name}  ` } }, acme.token);
    expect(client).toMatchObject({ name, status: 'ONBOARDING', accountManager: null, monthlyGmvTarget: null });
    expect(client.agency.id).toBe((await t.ok(ViewerDocument, {}, acme.token)).agency.id);
    expect(Number.isNaN(Date.parse(client.createdAt))).toBe(false);

    const { node } = await t.ok(NodeDocument, { id: client.id }, acme.token);
    expect(node).toEqual({ __typename: 'Client', id: client.id, name });
  });

  it('takes the status, the account manager and the GMV target when given', async () => {
    const { createClient: client } = await t.ok(
      CreateClientDocument,
      { input: { name: unique('Managed'), status: 'ACTIVE', accountManagerId: acmeAdminId, monthlyGmvTarget: usd(123450) } },
      acme.token,
    );
    expect(client.status).toBe('ACTIVE');
    expect(client.accountManager?.id).toBe(acmeAdminId);
    expect(client.monthlyGmvTarget).toEqual({ amountMinor: 123450, amount: '1234.50', currency: 'USD' });
  });

  it("formats the target's exact amount in the currency's minor unit", async () => {
    const target = async (amountMinor: number, currency: string) =>
      (await t.ok(CreateClientDocument, { input: { name: unique('Target'), monthlyGmvTarget: { amountMinor, currency } } }, acme.token))
        .createClient.monthlyGmvTarget;
    expect(await target(5, 'USD')).toEqual({ amountMinor: 5, amount: '0.05', currency: 'USD' });
    expect(await target(0, 'EUR')).toEqual({ amountMinor: 0, amount: '0.00', currency: 'EUR' });
    expect(await target(1500000, 'JPY')).toEqual({ amountMinor: 1500000, amount: '1500000', currency: 'JPY' });
  });

  it("refuses another agency's member as account manager exactly like an unknown member, creating nothing", async () => {
    const name = unique('Poached');
    const foreign = await t.gql(CreateClientDocument, { input: { name, accountManagerId: rivalAdminId } }, acme.token);
    const unknown = await t.gql(CreateClientDocument, { input: { name, accountManagerId: missingId('Member') } }, acme.token);
    expectError(foreign, 'NOT_FOUND', ['input.accountManagerId']);
    expectError(unknown, 'NOT_FOUND', ['input.accountManagerId']);
    expect(foreign.errors?.[0].message).toBe(unknown.errors?.[0].message);
    expect((await clientsNamed(acme, name)).totalCount).toBe(0);
  });

  it('refuses a Client id as account manager as BAD_USER_INPUT naming the field', async () => {
    const other = await createClient(acme);
    const name = unique('Wrong Type');
    const res = await t.gql(CreateClientDocument, { input: { name, accountManagerId: other.id } }, acme.token);
    expectError(res, 'BAD_USER_INPUT', ['input.accountManagerId']);
    expect((await clientsNamed(acme, name)).totalCount).toBe(0);
  });

  it('refuses a negative target amount, creating nothing', async () => {
    const name = unique('Negative');
    const res = await t.gql(CreateClientDocument, { input: { name, monthlyGmvTarget: usd(-1) } }, acme.token);
    expectError(res, 'BAD_USER_INPUT', ['input.monthlyGmvTarget.amountMinor']);
    expect((await clientsNamed(acme, name)).totalCount).toBe(0);
  });

  it('refuses a currency code that is not ISO 4217', async () => {
    const name = unique('Funny Money');
    const res = await t.gql(CreateClientDocument, { input: { name, monthlyGmvTarget: { amountMinor: 100, currency: 'XYZ' } } }, acme.token);
    expectError(res, 'BAD_USER_INPUT', ['input.monthlyGmvTarget.currency']);
    expect((await clientsNamed(acme, name)).totalCount).toBe(0);
  });

  it('refuses an empty or blank name', async () => {
    for (const name of ['', '   ']) {
      expectError(await t.gql(CreateClientDocument, { input: { name } }, acme.token), 'BAD_USER_INPUT', ['input.name']);
    }
  });
});

describe('updateClient', () => {
  it('changes only the fields given', async () => {
    const { createClient: client } = await t.ok(
      CreateClientDocument,
      { input: { name: unique('Before'), status: 'ACTIVE', accountManagerId: acmeAdminId, monthlyGmvTarget: usd(500000) } },
      acme.token,
    );

    const renamed = unique('After');
    const { updateClient: afterRename } = await t.ok(UpdateClientDocument, { id: client.id, input: { name: renamed } }, acme.token);
    expect(afterRename).toEqual({ ...client, name: renamed });

    const { updateClient: paused } = await t.ok(UpdateClientDocument, { id: client.id, input: { status: 'PAUSED' } }, acme.token);
    expect(paused).toEqual({ ...client, name: renamed, status: 'PAUSED' });

    const { updateClient: retargeted } = await t.ok(
      UpdateClientDocument,
      { id: client.id, input: { monthlyGmvTarget: { amountMinor: 99, currency: 'EUR' } } },
      acme.token,
    );
    expect(retargeted).toEqual({ ...paused, monthlyGmvTarget: { amountMinor: 99, amount: '0.99', currency: 'EUR' } });

    const [stored] = (await clientsNamed(acme, renamed)).edges;
    expect(stored.node).toEqual(retargeted);
  });

  it('sets an account manager on a client that had none', async () => {
    const client = await createClient(acme);
    const { updateClient } = await t.ok(UpdateClientDocument, { id: client.id, input: { accountManagerId: acmeAdminId } }, acme.token);
    expect(updateClient.accountManager?.id).toBe(acmeAdminId);
  });

  it('clears the account manager and the GMV target when given null', async () => {
    const { createClient: client } = await t.ok(
      CreateClientDocument,
      { input: { name: unique('Clearable'), accountManagerId: acmeAdminId, monthlyGmvTarget: usd(100) } },
      acme.token,
    );
    const { updateClient } = await t.ok(
      UpdateClientDocument,
      { id: client.id, input: { accountManagerId: null, monthlyGmvTarget: null } },
      acme.token,
    );
    expect(updateClient).toEqual({ ...client, accountManager: null, monthlyGmvTarget: null });
    expect((await clientsNamed(acme, client.name)).edges[0].node).toEqual(updateClient);
  });

  it("answers NOT_FOUND for another agency's client, exactly as for an unknown one, and changes nothing", async () => {
    const theirs = await createClient(rival);
    const foreign = await t.gql(UpdateClientDocument, { id: theirs.id, input: { name: 'Hijacked' } }, acme.token);
    const unknown = await t.gql(UpdateClientDocument, { id: missingId('Client'), input: { name: 'Hijacked' } }, acme.token);
    expectError(foreign, 'NOT_FOUND');
    expectError(unknown, 'NOT_FOUND');
    expect(foreign.errors?.[0].message).toBe(unknown.errors?.[0].message);
    expect(fieldKeys(foreign)).toEqual(fieldKeys(unknown));

    expect((await t.ok(NodeDocument, { id: theirs.id }, acme.token)).node).toBeNull();
    expect((await t.ok(NodeDocument, { id: theirs.id }, rival.token)).node).toEqual({ __typename: 'Client', id: theirs.id, name: theirs.name });
  });

  it("refuses another agency's member as account manager, leaving the client as it was", async () => {
    const { createClient: client } = await t.ok(
      CreateClientDocument,
      { input: { name: unique('Loyal'), accountManagerId: acmeAdminId } },
      acme.token,
    );
    const res = await t.gql(UpdateClientDocument, { id: client.id, input: { name: unique('Moved'), accountManagerId: rivalAdminId } }, acme.token);
    expectError(res, 'NOT_FOUND', ['input.accountManagerId']);
    expect((await clientsNamed(acme, client.name)).edges.map((e) => e.node)).toEqual([client]);
  });

  it('refuses a Client id as account manager, a blank name and a negative target as BAD_USER_INPUT', async () => {
    const client = await createClient(acme);
    const wrongType = await t.gql(UpdateClientDocument, { id: client.id, input: { accountManagerId: client.id } }, acme.token);
    expectError(wrongType, 'BAD_USER_INPUT', ['input.accountManagerId']);
    expectError(await t.gql(UpdateClientDocument, { id: client.id, input: { name: ' ' } }, acme.token), 'BAD_USER_INPUT', ['input.name']);
    expectError(
      await t.gql(UpdateClientDocument, { id: client.id, input: { monthlyGmvTarget: usd(-100) } }, acme.token),
      'BAD_USER_INPUT',
      ['input.monthlyGmvTarget.amountMinor'],
    );
    expect((await clientsNamed(acme, client.name)).edges.map((e) => e.node)).toEqual([client]);
  });
});

describe('clients', () => {
  // A fresh agency, so counts are not disturbed by the clients other tests create.
  let agency: TestAgency;
  const names = ['Glow Labs', 'AFTERGLOW Cosmetics', '100% Natural', '100 Natural', 'Snake_Case Co', 'SnakeXCase Co'];
  const statuses = ['ONBOARDING', 'ACTIVE', 'PAUSED', 'CHURNED', 'ACTIVE', 'ONBOARDING'] as const;

  beforeAll(async () => {
    agency = await t.createAgency();
    for (const [i, name] of names.entries()) {
      await t.ok(CreateClientDocument, { input: { name, status: statuses[i] } }, agency.token);
    }
  });

  const list = async (filter?: { status?: Array<(typeof statuses)[number]>; search?: string }, first = 100) =>
    (await t.ok(ClientsDocument, { first, filter }, agency.token)).clients;
  const namesOf = (connection: { edges: Array<{ node: { name: string } }> }) => connection.edges.map((e) => e.node.name);

  it('lists every client of the agency, oldest first, with totalCount', async () => {
    const all = await list();
    expect(namesOf(all)).toEqual(names);
    expect(all.totalCount).toBe(names.length);
  });

  it('counts every match in totalCount, not just the page', async () => {
    const page = await list(undefined, 2);
    expect(namesOf(page)).toEqual(names.slice(0, 2));
    expect(page.totalCount).toBe(names.length);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('filters by a list of statuses', async () => {
    const activeOrPaused = await list({ status: ['ACTIVE', 'PAUSED'] });
    expect(namesOf(activeOrPaused)).toEqual(['AFTERGLOW Cosmetics', '100% Natural', 'Snake_Case Co']);
    expect(activeOrPaused.totalCount).toBe(3);

    const churned = await list({ status: ['CHURNED'] });
    expect(namesOf(churned)).toEqual(['100 Natural']);
    expect(churned.totalCount).toBe(1);
  });

  it('searches names case-insensitively, combined with the status filter', async () => {
    const glow = await list({ search: 'gLoW' });
    expect(namesOf(glow)).toEqual(['Glow Labs', 'AFTERGLOW Cosmetics']);
    expect(glow.totalCount).toBe(2);

    const onboardingGlow = await list({ search: 'glow', status: ['ONBOARDING'] });
    expect(namesOf(onboardingGlow)).toEqual(['Glow Labs']);
    expect(onboardingGlow.totalCount).toBe(1);
  });

  it("matches '%' and '_' in the search literally, not as wildcards", async () => {
    const percent = await list({ search: '%' });
    expect(namesOf(percent)).toEqual(['100% Natural']);
    expect(percent.totalCount).toBe(1);

    const underscore = await list({ search: 'e_c' });
    expect(namesOf(underscore)).toEqual(['Snake_Case Co']);
    expect(underscore.totalCount).toBe(1);

    expect((await list({ search: '0%N' })).totalCount).toBe(0);
  });

  it("never lists another agency's clients", async () => {
    const theirs = await list({ search: 'Snake_Case' });
    expect(theirs.totalCount).toBe(1);
    const seenByAcme = await t.ok(ClientsDocument, { first: 100, filter: { search: 'Snake_Case' } }, acme.token);
    expect(seenByAcme.clients).toMatchObject({ totalCount: 0, edges: [] });
    expect((await t.ok(NodeDocument, { id: theirs.edges[0].node.id }, acme.token)).node).toBeNull();
  });
});

describe('createShop', () => {
  it('creates an ACTIVE shop whose client resolves', async () => {
    const client = await createClient(acme);
    const externalId = unique('tts').replace(/\s/g, '-');
    const { createShop: shop } = await t.ok(
      CreateShopDocument,
      { input: { clientId: client.id, name: 'Glow US', externalId, region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
      acme.token,
    );
    expect(shop).toMatchObject({
      name: 'Glow US',
      externalId,
      region: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      status: 'ACTIVE',
      client: { id: client.id, name: client.name },
    });
    expect((await t.ok(NodeDocument, { id: shop.id }, acme.token)).node).toEqual({ __typename: 'Shop', id: shop.id, name: 'Glow US' });
  });

  it("refuses an unknown client and another agency's client alike, as NOT_FOUND on input.clientId", async () => {
    const theirs = await createClient(rival);
    const input = { name: 'Nope', region: 'US', currency: 'USD', timeZone: 'UTC' };
    const before = (await t.ok(ShopsDocument, { first: 100 }, acme.token)).shops.totalCount;

    const foreign = await t.gql(CreateShopDocument, { input: { ...input, clientId: theirs.id, externalId: unique('x') } }, acme.token);
    const unknown = await t.gql(CreateShopDocument, { input: { ...input, clientId: missingId('Client'), externalId: unique('x') } }, acme.token);
    expectError(foreign, 'NOT_FOUND', ['input.clientId']);
    expectError(unknown, 'NOT_FOUND', ['input.clientId']);
    expect(foreign.errors?.[0].message).toBe(unknown.errors?.[0].message);

    expect((await t.ok(ShopsDocument, { first: 100 }, acme.token)).shops.totalCount).toBe(before);
    expect((await t.ok(ShopsDocument, { clientId: theirs.id }, rival.token)).shops.totalCount).toBe(0);
  });

  it('refuses an id of another type as clientId as BAD_USER_INPUT', async () => {
    const shop = await createShop(acme);
    const res = await t.gql(
      CreateShopDocument,
      { input: { clientId: shop.id, name: 'Nope', externalId: unique('x'), region: 'US', currency: 'USD', timeZone: 'UTC' } },
      acme.token,
    );
    expectError(res, 'BAD_USER_INPUT', ['input.clientId']);
  });

  it('refuses a time zone that is not IANA, creating nothing', async () => {
    const client = await createClient(acme);
    for (const timeZone of ['Mars/Olympus_Mons', 'PST8PDT-ish']) {
      const res = await t.gql(
        CreateShopDocument,
        { input: { clientId: client.id, name: 'Bad Zone', externalId: unique('x'), region: 'US', currency: 'USD', timeZone } },
        acme.token,
      );
      expectError(res, 'BAD_USER_INPUT', ['input.timeZone']);
    }
    expect((await t.ok(ShopsDocument, { clientId: client.id }, acme.token)).shops.totalCount).toBe(0);
  });

  it('refuses a blank name or externalId', async () => {
    const client = await createClient(acme);
    const input = { clientId: client.id, region: 'US', currency: 'USD', timeZone: 'UTC' };
    expectError(await t.gql(CreateShopDocument, { input: { ...input, name: ' ', externalId: unique('x') } }, acme.token), 'BAD_USER_INPUT', [
      'input.name',
    ]);
    expectError(await t.gql(CreateShopDocument, { input: { ...input, name: 'Shop', externalId: '  ' } }, acme.token), 'BAD_USER_INPUT', [
      'input.externalId',
    ]);
    expect((await t.ok(ShopsDocument, { clientId: client.id }, acme.token)).shops.totalCount).toBe(0);
  });

  it('refuses a second shop with the same externalId in the agency as CONFLICT, even under another client', async () => {
    const first = await createClient(acme);
    const second = await createClient(acme);
    const externalId = unique('dup').replace(/\s/g, '-');
    await createShop(acme, { clientId: first.id, externalId });

    for (const [clientId, id] of [
      [first.id, externalId],
      [second.id, externalId],
      [second.id, `  ${externalId} `],
    ]) {
      const res = await t.gql(
        CreateShopDocument,
        { input: { clientId, name: 'Copy', externalId: id, region: 'US', currency: 'USD', timeZone: 'UTC' } },
        acme.token,
      );
      expect(codes(res)).toEqual(['CONFLICT']);
      expect(res.data ?? null).toBeNull();
    }

    const all = (await t.ok(ShopsDocument, { first: 100 }, acme.token)).shops.edges.map((e) => e.node);
    expect(all.filter((s) => s.externalId === externalId)).toHaveLength(1);
    expect((await t.ok(ShopsDocument, { clientId: first.id }, acme.token)).shops.totalCount).toBe(1);
    expect((await t.ok(ShopsDocument, { clientId: second.id }, acme.token)).shops.totalCount).toBe(0);
  });

  it('allows the same externalId in another agency', async () => {
    const externalId = unique('shared').replace(/\s/g, '-');
    const mine = await createShop(acme, { externalId });
    const theirs = await createShop(rival, { externalId });
    expect(theirs.externalId).toBe(externalId);
    expect(theirs.id).not.toBe(mine.id);
  });
});

describe('shops', () => {
  it('lists only the shops of the client given, with totalCount', async () => {
    const glow = await createClient(acme);
    const other = await createClient(acme);
    const a = await createShop(acme, { clientId: glow.id });
    const b = await createShop(acme, { clientId: glow.id });
    const c = await createShop(acme, { clientId: other.id });

    const { shops } = await t.ok(ShopsDocument, { clientId: glow.id }, acme.token);
    expect(shops.edges.map((e) => e.node.id)).toEqual([a.id, b.id]);
    expect(shops.totalCount).toBe(2);
    expect(shops.edges.every((e) => e.node.client.id === glow.id)).toBe(true);

    const page = await t.ok(ShopsDocument, { clientId: glow.id, first: 1 }, acme.token);
    expect(page.shops.edges.map((e) => e.node.id)).toEqual([a.id]);
    expect(page.shops.totalCount).toBe(2);
    expect(page.shops.pageInfo.hasNextPage).toBe(true);

    const all = await t.ok(ShopsDocument, { first: 100 }, acme.token);
    expect(all.shops.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
  });

  it("lists nothing for another agency's client and never shows its shops", async () => {
    const theirs = await createShop(rival);
    const filtered = await t.ok(ShopsDocument, { clientId: theirs.client.id }, acme.token);
    expect(filtered.shops).toMatchObject({ totalCount: 0, edges: [] });

    const all = await t.ok(ShopsDocument, { first: 100 }, acme.token);
    expect(all.shops.edges.map((e) => e.node.id)).not.toContain(theirs.id);
    expect((await t.ok(NodeDocument, { id: theirs.id }, acme.token)).node).toBeNull();
  });

  it('refuses an id of another type as clientId as BAD_USER_INPUT', async () => {
    const shop = await createShop(acme);
    expectError(await t.gql(ShopsDocument, { clientId: shop.id }, acme.token), 'BAD_USER_INPUT', ['clientId']);
  });
});

describe('upsertProducts', () => {
  it('inserts products and returns them in input order; Shop.products lists them', async () => {
    const shop = await createShop(acme);
    const input = [product('ZZ-9', 1999), product('AA-1', 500), { ...product('MM-5', 12345), unitCost: usd(4000) }];
    const { upsertProducts } = await t.ok(UpsertProductsDocument, { shopId: shop.id, products: input }, acme.token);

    expect(upsertProducts.map((p) => p.sku)).toEqual(['ZZ-9', 'AA-1', 'MM-5']);
    expect(upsertProducts[2]).toMatchObject({
      title: 'Product MM-5',
      price: { amountMinor: 12345, amount: '123.45', currency: 'USD' },
      unitCost: { amountMinor: 4000, amount: '40.00', currency: 'USD' },
      shop: { id: shop.id },
    });
    expect(upsertProducts[0].unitCost).toBeNull();

    const products = await shopProducts(acme, shop.id);
    expect(products.totalCount).toBe(3);
    expect(products.edges.map((e) => e.node).sort((x, y) => x.sku.localeCompare(y.sku))).toEqual(
      [...upsertProducts].sort((x, y) => x.sku.localeCompare(y.sku)),
    );
  });

  it('updates existing products by SKU: same ids, new title and price, no new rows', async () => {
    const shop = await createShop(acme);
    const inserted = (await t.ok(UpsertProductsDocument, { shopId: shop.id, products: [product('A', 100), product('B', 200)] }, acme.token))
      .upsertProducts;

    const { upsertProducts: updated } = await t.ok(
      UpsertProductsDocument,
      { shopId: shop.id, products: [product('B', 250, 'Bigger B'), product('C', 300), product('A', 150, 'Better A')] },
      acme.token,
    );
    expect(updated.map((p) => p.sku)).toEqual(['B', 'C', 'A']);
    expect(updated[0]).toMatchObject({ id: inserted[1].id, title: 'Bigger B', price: { amountMinor: 250, amount: '2.50' } });
    expect(updated[2]).toMatchObject({ id: inserted[0].id, title: 'Better A', price: { amountMinor: 150, amount: '1.50' } });
    expect([inserted[0].id, inserted[1].id]).not.toContain(updated[1].id);

    const products = await shopProducts(acme, shop.id);
    expect(products.totalCount).toBe(3);
    const bySku = Object.fromEntries(products.edges.map((e) => [e.node.sku, e.node]));
    expect(bySku.A).toMatchObject({ id: inserted[0].id, title: 'Better A', price: { amountMinor: 150 } });
    expect(bySku.B).toMatchObject({ id: inserted[1].id, title: 'Bigger B', price: { amountMinor: 250 } });
  });

  it('keeps the same SKU apart in different shops', async () => {
    const one = await createShop(acme);
    const two = await createShop(acme);
    const [a] = (await t.ok(UpsertProductsDocument, { shopId: one.id, products: [product('SAME', 100)] }, acme.token)).upsertProducts;
    const [b] = (await t.ok(UpsertProductsDocument, { shopId: two.id, products: [product('SAME', 900)] }, acme.token)).upsertProducts;
    expect(b.id).not.toBe(a.id);
    expect((await shopProducts(acme, one.id)).edges.map((e) => e.node.price.amountMinor)).toEqual([100]);
  });

  it("refuses a price in another currency than the shop's and writes none of the batch", async () => {
    const shop = await createShop(acme, { currency: 'USD' });
    await t.ok(UpsertProductsDocument, { shopId: shop.id, products: [product('KEEP', 100, 'Original')] }, acme.token);

    const res = await t.gql(
      UpsertProductsDocument,
      {
        shopId: shop.id,
        products: [product('KEEP', 999, 'Changed'), product('NEW', 100), { sku: 'EURO', title: 'Euro', price: { amountMinor: 100, currency: 'EUR' } }],
      },
      acme.token,
    );
    expectError(res, 'BAD_USER_INPUT', ['products.2.price.currency']);

    const products = await shopProducts(acme, shop.id);
    expect(products.totalCount).toBe(1);
    expect(products.edges[0].node).toMatchObject({ sku: 'KEEP', title: 'Original', price: { amountMinor: 100 } });
  });

  it("refuses a unit cost in another currency than the shop's", async () => {
    const shop = await createShop(acme, { currency: 'GBP' });
    const res = await t.gql(
      UpsertProductsDocument,
      { shopId: shop.id, products: [{ sku: 'TEA', title: 'Tea', price: { amountMinor: 450, currency: 'GBP' }, unitCost: usd(100) }] },
      acme.token,
    );
    expectError(res, 'BAD_USER_INPUT', ['products.0.unitCost.currency']);
    expect((await shopProducts(acme, shop.id)).totalCount).toBe(0);
  });

  it('refuses a SKU repeated in one batch, naming the repeat, and writes nothing', async () => {
    const shop = await createShop(acme);
    const res = await t.gql(UpsertProductsDocument, { shopId: shop.id, products: [product('X', 1), product('Y', 2), product('X', 3)] }, acme.token);
    expectError(res, 'BAD_USER_INPUT', ['products.2.sku']);
    expect((await shopProducts(acme, shop.id)).totalCount).toBe(0);
  });

  it('reports every bad product of a batch at once', async () => {
    const shop = await createShop(acme);
    const res = await t.gql(
      UpsertProductsDocument,
      { shopId: shop.id, products: [product('X', 1), { ...product('Y', 2), price: { amountMinor: 2, currency: 'JPY' } }, product('X', 3)] },
      acme.token,
    );
    expectError(res, 'BAD_USER_INPUT', ['products.1.price.currency', 'products.2.sku']);
    expect((await shopProducts(acme, shop.id)).totalCount).toBe(0);
  });

  it('refuses a negative price and a blank SKU or title, naming each product', async () => {
    const shop = await createShop(acme);
    const res = await t.gql(
      UpsertProductsDocument,
      { shopId: shop.id, products: [product('OK', 1), product('NEG', -1), product(' ', 1), { ...product('T', 1), title: '' }] },
      acme.token,
    );
    expectError(res, 'BAD_USER_INPUT', ['products.1.price.amountMinor', 'products.2.sku', 'products.3.title']);
    expect((await shopProducts(acme, shop.id)).totalCount).toBe(0);
  });

  it('takes at most 1000 products per call', async () => {
    const shop = await createShop(acme);
    const batch = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => product(`${prefix}-${i}`, i));

    const tooMany = await t.gql(UpsertProductsDocument, { shopId: shop.id, products: batch(1001, 'over') }, acme.token);
    expectError(tooMany, 'BAD_USER_INPUT', ['products']);
    expect((await shopProducts(acme, shop.id)).totalCount).toBe(0);

    const { upsertProducts } = await t.ok(UpsertProductsDocument, { shopId: shop.id, products: batch(1000, 'max') }, acme.token);
    expect(upsertProducts).toHaveLength(1000);
    expect(upsertProducts[999].sku).toBe('max-999');
    expect((await shopProducts(acme, shop.id)).totalCount).toBe(1000);
  });

  it("answers NOT_FOUND for another agency's shop, exactly as for an unknown shop, and writes nothing", async () => {
    const theirs = await createShop(rival);
    const foreign = await t.gql(UpsertProductsDocument, { shopId: theirs.id, products: [product('SNEAKY', 1)] }, acme.token);
    const unknown = await t.gql(UpsertProductsDocument, { shopId: missingId('Shop'), products: [product('SNEAKY', 1)] }, acme.token);
    expectError(foreign, 'NOT_FOUND', ['shopId']);
    expectError(unknown, 'NOT_FOUND', ['shopId']);
    expect(foreign.errors?.[0].message).toBe(unknown.errors?.[0].message);
    expect((await shopProducts(rival, theirs.id)).totalCount).toBe(0);
  });

  it('refuses an id of another type as shopId as BAD_USER_INPUT', async () => {
    const client = await createClient(acme);
    expectError(await t.gql(UpsertProductsDocument, { shopId: client.id, products: [product('P', 1)] }, acme.token), 'BAD_USER_INPUT', [
      'shopId',
    ]);
  });
});
