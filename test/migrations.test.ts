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
});
