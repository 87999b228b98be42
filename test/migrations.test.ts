import { createDataSource } from '../src/db/data-source';
import { createTestDatabase, TestDatabase } from './support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('migrations', () => {
  it('build exactly the schema the entities describe, and revert to nothing', async () => {
    const db = createDataSource({ url: database.url });
    await db.initialize();
    try {
      const applied = await db.runMigrations({ transaction: 'each' });
      expect(applied.length).toBeGreaterThan(0);
      // What `migration:generate` would write now: nothing, or a migration is missing.
      const pending = await db.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);

      for (let i = 0; i < applied.length; i++) await db.undoLastMigration({ transaction: 'each' });
      const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`);
      expect(tables).toEqual([]);
      const types = await db.query(`SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`);
      expect(types).toEqual([]);

      // And forward again, as a deploy after a rollback would.
      expect((await db.runMigrations({ transaction: 'each' })).length).toBe(applied.length);
    } finally {
      await db.destroy();
    }
  });

  it('MembersPerAgency reverts only while no address is in two agencies, and keeps the members', async () => {
    const db = createDataSource({ url: database.url });
    await db.initialize();
    try {
      await db.runMigrations({ transaction: 'each' });
      const [a, b] = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'];
      await db.query(`INSERT INTO agencies (id, name, slug) VALUES ($1, 'A', 'mig-a'), ($2, 'B', 'mig-b')`, [a, b]);
      const member = `INSERT INTO members (agency_id, email, name, password_hash, role) VALUES ($1, 'same@example.com', 'Same', 'x', 'ANALYST') RETURNING id`;
      const [{ id: inA }] = await db.query(member, [a]);
      await db.query(member, [b]);
      // Up: one address, two agencies, both found by the sign-in look-up (ids only).
      const candidates = await db.query(`SELECT * FROM app_auth_member_candidates('same@example.com', NULL, 5)`);
      expect(candidates.map((c: { agency_id: string }) => c.agency_id)).toEqual([a, b]);
      expect(await db.query(`SELECT agency_id FROM app_auth_member_candidates('same@example.com', 'mig-b', 5)`)).toEqual([{ agency_id: b }]);
      expect(await db.query(`SELECT agency_id FROM app_auth_member_candidates('same@example.com', $1, 5)`, [a])).toEqual([{ agency_id: a }]);

      // Later migrations first, down to MembersPerAgency.
      while ((await db.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== 'MembersPerAgency1795244000000') {
        await db.undoLastMigration({ transaction: 'each' });
      }
      await expect(db.undoLastMigration({ transaction: 'each' })).rejects.toThrow(/several agencies/);
      await db.query(`DELETE FROM members WHERE agency_id = $1`, [b]);
      await db.undoLastMigration({ transaction: 'each' });
      expect(await db.query(`SELECT id FROM app_auth_member_owner('same@example.com')`)).toEqual([{ id: inA }]);
      await expect(db.query(member, [a])).rejects.toThrow(/unique/);

      await db.runMigrations({ transaction: 'each' });
      expect(await db.query(`SELECT count(*)::int AS n FROM members`)).toEqual([{ n: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
