import { startTestServer, TestAgency, TestServer } from './support/server';

/**
 * A page of enrollments whose query asks for `creator` loads the creators with the page
 * (withPrefetch): the same statements as loading them field by field, the same answer, through
 * fragments too, and nothing extra when creator is not asked for.
 */
let t: TestServer;
let acme: TestAgency;
let campaignIds: string[];

async function ok<R>(query: string, token = acme.token): Promise<R> {
  const res = await t.gql<R, object>(query, {}, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
  const { createClient } = await ok<{ createClient: { id: string } }>(`mutation { createClient(input: { name: "Prefetch Co" }) { id } }`);
  const { createShop } = await ok<{ createShop: { id: string } }>(
    `mutation { createShop(input: { clientId: "${createClient.id}", name: "P shop", externalId: "p-1", region: "US", currency: "USD", timeZone: "UTC" }) { id } }`,
  );
  const creators: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { createCreator } = await ok<{ createCreator: { id: string } }>(`mutation { createCreator(input: { handle: "pf${i}", followerCount: ${100 + i} }) { id } }`);
    creators.push(createCreator.id);
  }
  campaignIds = [];
  for (let c = 0; c < 2; c++) {
    const { createCampaign } = await ok<{ createCampaign: { id: string } }>(
      `mutation { createCampaign(input: { shopId: "${createShop.id}", name: "PF ${c}", objective: SALES, startDate: "2026-01-01", commissionRateBps: 1000 }) { id } }`,
    );
    campaignIds.push(createCampaign.id);
    // Campaign 0 enrolls creators 0-2, campaign 1 creators 1-3: creators 1 and 2 are shared.
    const enroll = creators.slice(c, c + 3).map((id) => `{ creatorId: "${id}" }`).join(', ');
    await ok(`mutation { enrollCreators(campaignId: "${createCampaign.id}", creators: [${enroll}]) { id } }`);
  }
});
afterAll(() => t.stop());

type Tree = { campaigns: { edges: Array<{ node: { name: string; enrollments: { edges: Array<{ node: { status: string; creator?: { handle: string } } }> } } }> } };

async function run(query: string): Promise<{ data: Tree; statements: string[] }> {
  t.sql.reset();
  const data = await ok<Tree>(query);
  return { data, statements: t.sql.work };
}

// Enrolled in one statement: the same created_at, so the page order among them is by id; compare as sets.
const handles = (data: Tree) => data.campaigns.edges.map((c) => c.node.enrollments.edges.map((e) => e.node.creator?.handle).sort());

it('loads the creators with the page: one creators statement, the right creator on every enrollment', async () => {
  const { data, statements } = await run(
    '{ campaigns(first: 10) { edges { node { name enrollments(first: 10) { edges { node { status creator { handle } } } } } } } }',
  );
  expect(handles(data)).toEqual([
    ['pf0', 'pf1', 'pf2'],
    ['pf1', 'pf2', 'pf3'],
  ]);
  expect(statements.filter((s) => /FROM "creators"/.test(s))).toHaveLength(1);

  // Without creator: no creators statement, one statement fewer.
  const bare = await run('{ campaigns(first: 10) { edges { node { name enrollments(first: 10) { edges { node { status } } } } } } }');
  expect(bare.statements.filter((s) => /FROM "creators"/.test(s))).toHaveLength(0);
  expect(bare.statements.length).toBe(statements.length - 1);
});

it('sees creator through fragments and aliases the same way', async () => {
  const plain = await run('{ campaigns(first: 10) { edges { node { name enrollments(first: 10) { edges { node { status creator { handle } } } } } } } }');
  const viaFragments = await run(`
    query { campaigns(first: 10) { edges { node { name enrollments(first: 10) { ...Page } } } } }
    fragment Page on CampaignEnrollmentConnection { edges { ... on CampaignEnrollmentEdge { node { ...Row } } } }
    fragment Row on CampaignEnrollment { status creator: creator { handle } }`);
  expect(viaFragments.data).toEqual(plain.data);
  expect(viaFragments.statements.filter((s) => /FROM "creators"/.test(s))).toHaveLength(1);
  expect(viaFragments.statements.length).toBe(plain.statements.length);
});

it('answers a later read after a write with fresh rows (the loaded rows are forgotten)', async () => {
  const res = await t.gql<{ updateCreator: { handle: string }; }, object>(
    `mutation { updateCreator(id: "${(await ok<{ creatorByHandle: { id: string } }>('{ creatorByHandle(handle: "pf1") { id } }')).creatorByHandle.id}", input: { displayName: "Renamed" }) { handle } }`,
    {},
    acme.token,
  );
  expect(res.errors).toBeUndefined();
  const { data } = await run('{ campaigns(first: 1) { edges { node { name enrollments(first: 10) { edges { node { status creator { handle } } } } } } } }');
  expect(handles(data)).toEqual([['pf0', 'pf1', 'pf2']]);
});
