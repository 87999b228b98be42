import { startTestServer, TestAgency, TestServer } from './support/server';

/**
 * totalCount on a first page comes with the page (one statement, COUNT(*) OVER ()); with a
 * cursor it is counted apart. Either way it is the number of all matching rows.
 */
let t: TestServer;
let acme: TestAgency;
let rival: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
  rival = await t.createAgency();
  for (let i = 0; i < 7; i++) await t.gql(`mutation { createClient(input: { name: "Count ${i}" }) { id } }`, {}, acme.token);
  for (let i = 0; i < 3; i++) await t.gql(`mutation { createClient(input: { name: "Rival ${i}" }) { id } }`, {}, rival.token);
});
afterAll(() => t.stop());

type Page = { clients: { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: Array<{ node: { name: string } }> } };

/** Runs a query and returns the data and the statements that touched the clients table. */
async function run(query: string, token = acme.token): Promise<{ data: Page; statements: string[] }> {
  t.sql.reset();
  const res = await t.gql<Page, object>(query, {}, token);
  expect(res.errors).toBeUndefined();
  return { data: res.data!, statements: t.sql.statements.filter((s) => /FROM "clients"/.test(s)) };
}

it('counts a first page in the page statement, and agrees with the separate count after a cursor', async () => {
  const first = await run('{ clients(first: 3) { totalCount pageInfo { endCursor hasNextPage } edges { node { name } } } }');
  expect(first.data.clients.totalCount).toBe(7);
  expect(first.data.clients.edges.map((e) => e.node.name)).toEqual(['Count 0', 'Count 1', 'Count 2']);
  expect(first.statements).toHaveLength(1);
  expect(first.statements[0]).toMatch(/COUNT\(\*\) OVER \(\)/);

  const next = await run(`{ clients(first: 3, after: "${first.data.clients.pageInfo.endCursor}") { totalCount pageInfo { endCursor hasNextPage } edges { node { name } } } }`);
  expect(next.data.clients.totalCount).toBe(7);
  expect(next.data.clients.edges.map((e) => e.node.name)).toEqual(['Count 3', 'Count 4', 'Count 5']);
  expect(next.statements).toHaveLength(2);
});

it('counts through fragments, for last pages, for empty and zero-size pages, per agency and filter', async () => {
  const fragment = await run('query { clients(last: 2) { ...Counted edges { node { name } } } } fragment Counted on ClientConnection { totalCount }');
  expect(fragment.data.clients.totalCount).toBe(7);
  expect(fragment.data.clients.edges.map((e) => e.node.name)).toEqual(['Count 5', 'Count 6']);
  expect(fragment.statements).toHaveLength(1);

  expect((await run('{ clients(first: 0) { totalCount edges { node { name } } } }')).data.clients.totalCount).toBe(7);
  expect((await run('{ clients(first: 5, filter: { search: "nothing like it" }) { totalCount edges { node { name } } } }')).data.clients.totalCount).toBe(0);
  expect((await run('{ clients(first: 5, filter: { search: "count 1" }) { totalCount edges { node { name } } } }')).data.clients.totalCount).toBe(1);
  expect((await run('{ clients(first: 1) { totalCount edges { node { name } } } }', rival.token)).data.clients.totalCount).toBe(3);
});

it('does not count when totalCount is not asked for', async () => {
  const page = await run('{ clients(first: 3) { edges { node { name } } } }');
  expect(page.statements).toHaveLength(1);
  expect(page.statements[0]).not.toMatch(/OVER/);
});
