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
