import { EntityManager, ObjectLiteral } from 'typeorm';

/**
 * Entity rows fetched in the same statement as the figures they go with (a leaderboard's
 * creators, a profit table's products), so a page of results is one round trip: the select list
 * names every column as `<prefix><column>`, and `hydrate` turns such a row back into the entity
 * exactly as TypeORM would (column types and transformers).
 */
export function entityColumns(em: EntityManager, entity: new () => ObjectLiteral, alias: string, prefix: string): string {
  return em.connection
    .getMetadata(entity)
    .columns.map((column) => `${alias}."${column.databaseName}" AS "${prefix}${column.databaseName}"`)
    .join(', ');
}

export function hydrate<T extends ObjectLiteral>(em: EntityManager, entity: new () => T, row: Record<string, unknown>, prefix: string): T {
  const metadata = em.connection.getMetadata(entity);
  const target = metadata.create() as T;
  for (const column of metadata.columns) {
    column.setEntityValue(target, em.connection.driver.prepareHydratedValue(row[`${prefix}${column.databaseName}`], column));
  }
  return target;
}
