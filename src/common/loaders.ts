import DataLoader from 'dataloader';
import { EntityTarget, ObjectLiteral } from 'typeorm';
import type { RequestContext } from './context';
import { manyOf } from './raw-rows';
import { scopedQuery } from './tenancy';

/**
 * Per-request DataLoaders. Every loader is created on first use, keyed by a name (and, for
 * connections, the page arguments), and every batch runs with the request's agency filter.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  constructor(private readonly ctx: RequestContext) {}

  /** A loader under `key`, made by `create` the first time it is asked for in this request. */
  get<K, V>(key: string, batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(key) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, options);
      this.loaders.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /**
   * Rows by primary key within the caller's scope (agency; a client viewer's client): rows of
   * another agency load as null, exactly like ids that do not exist.
   */
  byId<T extends ObjectLiteral>(entity: EntityTarget<T>): DataLoader<string, T | null> {
    const name = typeof entity === 'function' ? entity.name : String(entity);
    return this.get<string, T | null>(`byId:${name}`, async (ids) => {
      const rows = await manyOf(scopedQuery(this.ctx, entity, 'row').andWhere('"row"."id" IN (:...ids)', { ids }));
      const byKey = new Map(rows.map((row) => [row.id as string, row]));
      return ids.map((id) => byKey.get(id) ?? null);
    });
  }

  /** Rows of an agency-owned table grouped by a parent column, for list fields that are not connections. */
  manyBy<T extends ObjectLiteral>(key: string, batch: (parentIds: readonly string[]) => Promise<Map<string, T[]>>): DataLoader<string, T[]> {
    return this.get<string, T[]>(key, async (ids) => {
      const grouped = await batch(ids);
      return ids.map((id) => grouped.get(id) ?? []);
    });
  }

  /** Forget every cached row: called after a write so later reads in the request see it. */
  clearAll(): void {
    for (const loader of this.loaders.values()) loader.clearAll();
  }
}
