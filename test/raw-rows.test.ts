import { seedDemoData } from '../src/cli/demo-data';
import { manyOf, rawAndManyOf } from '../src/common/raw-rows';
import { startTestServer, TestServer } from './support/server';

/**
 * The list hot paths hydrate raw rows themselves (src/common/raw-rows.ts) instead of through
 * TypeORM's getMany: for every entity of the app, on the demo data, the two must give the same
 * objects — same class, same properties, same values (dates, enums, bigint strings, arrays).
 */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await seedDemoData(t.server.db);
}, 120_000);
afterAll(() => t.stop());

it('hydrates every entity exactly like getMany', async () => {
  const db = t.server.db;
  let compared = 0;
  for (const metadata of db.entityMetadatas) {
    if (metadata.tableType !== 'regular' || metadata.primaryColumns.length === 0) continue;
    const order = Object.fromEntries(metadata.primaryColumns.map((c) => [`row.${c.propertyPath}`, 'ASC' as const]));
    const query = () => db.getRepository(metadata.target).createQueryBuilder('row').orderBy(order).limit(200);
    const expected = await query().getMany();
    const actual = await manyOf(query());
    expect(actual).toStrictEqual(expected);
    actual.forEach((row, i) => expect(Object.getPrototypeOf(row)).toBe(Object.getPrototypeOf(expected[i])));
    const withRaw = await rawAndManyOf<object, { __n: string }>(query().addSelect('COUNT(*) OVER ()', '__n'));
    expect(withRaw.entities).toStrictEqual(expected);
    expect(withRaw.raw.every((r) => Number(r.__n) === withRaw.raw.length || withRaw.raw.length === 200)).toBe(true);
    if (expected.length > 0) compared++;
  }
  // The demo data fills most tables: the comparison is not vacuous.
  expect(compared).toBeGreaterThan(10);
});

it('hydrates a partial select (some columns by property) exactly like getMany', async () => {
  const db = t.server.db;
  let compared = 0;
  for (const metadata of db.entityMetadatas) {
    if (metadata.tableType !== 'regular' || metadata.primaryColumns.length === 0 || metadata.embeddeds.length > 0) continue;
    // Every other column, and the primary key.
    const properties = [...new Set([...metadata.primaryColumns, ...metadata.columns.filter((_, i) => i % 2 === 1)].map((c) => c.propertyPath))];
    const order = Object.fromEntries(metadata.primaryColumns.map((c) => [`row.${c.propertyPath}`, 'ASC' as const]));
    const query = () =>
      db
        .getRepository(metadata.target)
        .createQueryBuilder('row')
        .select(properties.map((p) => `row.${p}`))
        .orderBy(order)
        .limit(50);
    const expected = await query().getMany();
    const actual = await manyOf(query());
    expect(actual).toStrictEqual(expected);
    if (expected.length > 0) compared++;
  }
  expect(compared).toBeGreaterThan(10);
});

it('reads only the columns a page’s query selects, and all of them when a field needs more', async () => {
  const admin = await t.createAgency('Columns Agency');
  for (const handle of ['cols_a', 'cols_b']) {
    const res = await t.gql(`mutation { createCreator(input: { handle: "${handle}", followerCount: 10, email: "${handle}@example.com" }) { id } }`, {}, admin.token);
    expect(res.errors).toBeUndefined();
  }
  const page = async (selection: string) => {
    t.sql.reset();
    const res = await t.gql<{ creators: { edges: Array<{ node: Record<string, unknown> }> } }, object>(`{ creators(first: 5) { edges { node { ${selection} } } } }`, {}, admin.token);
    expect(res.errors).toBeUndefined();
    return { nodes: res.data!.creators.edges.map((e) => e.node), sql: t.sql.work.find((s) => /FROM "creators"/.test(s))! };
  };
  const narrow = await page('id handle followerCount');
  expect(narrow.nodes).toEqual([expect.objectContaining({ handle: 'cols_a', followerCount: 10 }), expect.objectContaining({ handle: 'cols_b', followerCount: 10 })]);
  expect(narrow.sql).toMatch(/"follower_count"/);
  expect(narrow.sql).not.toMatch(/"email"|"engagement_rate"/);
  // email has a resolver (personal data rule), tier too: the whole row is read.
  const wide = await page('handle email tier');
  expect(wide.nodes[0]).toMatchObject({ handle: 'cols_a', email: 'cols_a@example.com' });
  expect(wide.sql).toMatch(/"email"/);
  // Same ids either way.
  expect((await page('id')).nodes).toEqual(narrow.nodes.map((n) => ({ id: n.id })));
});

it('falls back to getMany for what it does not hydrate itself (a join)', async () => {
  const db = t.server.db;
  const qb = db
    .getRepository('CampaignEnrollment')
    .createQueryBuilder('e')
    .leftJoinAndSelect('e.creator', 'creator')
    .orderBy('e.id', 'ASC')
    .limit(5);
  const rows = await manyOf(qb);
  expect(rows).toStrictEqual(await qb.getMany());
  expect((rows[0] as { creator?: unknown }).creator).toBeDefined();
});
