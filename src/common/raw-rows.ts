import { EntityMetadata, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { prepareStatement } from '../db/prepared-statements';

/**
 * The list hot paths (connections, byId loaders) run their query builder's SQL with
 * `query()` and turn the raw rows into entities here, instead of `getMany()`: TypeORM's
 * generic transformer (grouping rows by primary key for joins, relation ids, the "Load"
 * broadcast) cost about twice the query itself per list, and the nested query hydrates
 * ~20,000 rows. This does what it does for a builder that selects one entity and joins
 * nothing: the same prototype (getters keep working), the same property names, the same
 * per-column conversion (`prepareHydratedValue`: dates, enums, column transformers).
 * Anything else (joins, embedded columns, lazy relations, listeners) falls back to getMany.
 */

type Converter = ((value: unknown) => unknown) | null;

interface Mapper {
  /** [raw key, property, conversion or null when the driver's value is already the entity's]. */
  columns: Array<[string, string, Converter]>;
  create: () => ObjectLiteral;
}

/** Column types whose driver value the entity keeps as is (see PostgresDriver.prepareHydratedValue). */
const AS_IS = new Set<unknown>(['uuid', 'text', 'varchar', 'character varying', 'char', 'character', 'int', 'integer', 'int4', 'int2', 'smallint', 'double precision', 'float8', 'real', 'float4', 'jsonb', 'json', 'citext', String]);

const MAX_MAPPERS_PER_ENTITY = 256;

/** Per entity, by alias (and the selected properties, for a partial select). */
const mappers = new WeakMap<EntityMetadata, Map<string, Mapper | null>>();

function buildMapper(qb: SelectQueryBuilder<ObjectLiteral>, metadata: EntityMetadata, alias: string, only: ReadonlySet<string> | null): Mapper | null {
  const dataSource = qb.connection;
  const driver = dataSource.driver;
  const target = metadata.target;
  if (
    typeof target !== 'function' ||
    metadata.embeddeds.length > 0 ||
    metadata.lazyRelations.length > 0 ||
    metadata.childEntityMetadatas.length > 0 ||
    metadata.afterLoadListeners.length > 0 ||
    dataSource.subscribers.length > 0 ||
    dataSource.options.typename
  ) {
    return null;
  }
  const columns = metadata.columns
    .filter((c: ColumnMetadata) => !c.isVirtual && (only ? only.has(c.propertyName) : c.isSelect))
    .map((c): [string, string, Converter] => [
      DriverUtils.buildAlias(driver, undefined, alias, c.databaseName),
      c.propertyName,
      AS_IS.has(c.type) && !c.transformer ? null : (value: unknown) => driver.prepareHydratedValue(value, c),
    ]);
  const Target = target as new () => ObjectLiteral;
  const create = metadata.isAlwaysUsingConstructor ? () => new Target() : () => Object.create(Target.prototype) as ObjectLiteral;
  return { columns, create };
}

/** The mapper for a builder's main alias, or null when it must go through TypeORM's transformer. */
function mapperOf(qb: SelectQueryBuilder<ObjectLiteral>): Mapper | null {
  const map = qb.expressionMap;
  const main = map.mainAlias;
  if (!main?.hasMetadata || map.joinAttributes.length > 0 || map.relationIdAttributes.length > 0) return null;
  // The whole entity, or some of its columns by property (pagination's selectOnly), never both.
  const whole = map.selects.some((s) => s.selection === main.name);
  const prefix = `${main.name}.`;
  const partial = map.selects.filter((s) => s.selection.startsWith(prefix)).map((s) => s.selection.slice(prefix.length));
  if (whole === partial.length > 0) return null;
  if (partial.some((p) => !main.metadata.findColumnWithPropertyPath(p))) return null;
  if (map.lockMode || map.cache || map.relationLoadStrategy === 'query' || main.metadata.deleteDateColumn) return null;
  let byAlias = mappers.get(main.metadata);
  if (!byAlias) mappers.set(main.metadata, (byAlias = new Map()));
  const key = whole ? main.name : `${main.name}:${partial.join(',')}`;
  let mapper = byAlias.get(key);
  if (mapper === undefined) {
    mapper = buildMapper(qb, main.metadata, main.name, whole ? null : new Set(partial));
    // Column subsets come from callers' queries: keep a bounded number per entity.
    if (byAlias.size < MAX_MAPPERS_PER_ENTITY) byAlias.set(key, mapper);
  }
  return mapper;
}

function hydrate<T>(mapper: Mapper, raw: Array<Record<string, unknown>>): T[] {
  const { columns, create } = mapper;
  const out = new Array<T>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const row = raw[i];
    const entity = create();
    for (let c = 0; c < columns.length; c++) {
      const [key, property, convert] = columns[c];
      const value = row[key];
      if (value === undefined) continue;
      entity[property] = convert === null ? value : convert(value);
    }
    out[i] = entity as T;
  }
  return out;
}

/**
 * The SQL text of a builder, by the shape of its query: the same list asked again (another
 * request, another agency, other filter values) has the same text with other parameters, so
 * TypeORM renders it once (getQuery was ~5 % of a small request's CPU). Only builders without
 * joins, groups, CTEs, locks or non-text conditions are keyed; outside production every hit is
 * checked against a fresh rendering, so the test suites would catch a key that misses a part.
 */
const sqlByShape = new Map<string, string>();
const MAX_SHAPES = 2_000;
const CHECK_CACHED_SQL = process.env.NODE_ENV !== 'production';

function shapeOf(qb: SelectQueryBuilder<ObjectLiteral>): string | null {
  const map = qb.expressionMap;
  const main = map.mainAlias;
  if (!main?.hasMetadata || map.joinAttributes.length || map.groupBys.length || map.havings.length || map.commonTableExpressions.length) return null;
  if (map.lockMode || map.comment || map.subQuery || map.extraAppendedAndWhereCondition || map.skip || map.take) return null;
  if (!map.wheres.every((w) => typeof w.condition === 'string')) return null;
  return JSON.stringify([
    main.metadata.tablePath,
    main.name,
    map.withDeleted,
    map.selects,
    map.wheres,
    map.orderBys,
    map.limit,
    map.offset,
  ]);
}

/** The builder's SQL and whether its text is stable across requests (then worth preparing). */
function sqlOf(qb: SelectQueryBuilder<ObjectLiteral>): { sql: string; stable: boolean } {
  const shape = shapeOf(qb);
  if (shape === null) return { sql: qb.getQuery(), stable: false };
  const cached = sqlByShape.get(shape);
  if (cached !== undefined) {
    if (CHECK_CACHED_SQL && cached !== qb.getQuery()) throw new Error(`Cached SQL differs for shape ${shape}`);
    return { sql: cached, stable: true };
  }
  const sql = qb.getQuery();
  if (sqlByShape.size >= MAX_SHAPES) sqlByShape.delete(sqlByShape.keys().next().value!);
  sqlByShape.set(shape, sql);
  return { sql, stable: true };
}

/** `qb.getQuery()`, from the shape cache (e.g. for a subquery spliced into another builder). */
export function queryText(qb: SelectQueryBuilder<ObjectLiteral>): string {
  return sqlOf(qb).sql;
}

/** Runs a builder's SQL on its query runner (the request's connection) and returns the raw rows. */
async function rawRows(qb: SelectQueryBuilder<ObjectLiteral>): Promise<Array<Record<string, unknown>>> {
  // As getQueryAndParameters, with the text from the shape cache.
  const { sql: text, stable } = sqlOf(qb);
  const [sql, parameters] = qb.connection.driver.escapeQueryWithParameters(text, qb.getParameters());
  // A stable shape whose parameters expand to the same text each time (no `IN (:...list)` of
  // varying length, say) runs as a prepared statement on request connections.
  if (stable) prepareStatement(sql);
  // Protected in TypeORM's types: the runner the builder was made on (the request's connection).
  const runner = (qb as unknown as { queryRunner?: QueryRunner }).queryRunner;
  return runner ? runner.query(sql, parameters) : qb.connection.query(sql, parameters);
}

/** `qb.getMany()`, through the raw rows. */
export async function manyOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<T[]> {
  const mapper = mapperOf(qb as SelectQueryBuilder<ObjectLiteral>);
  if (!mapper) return qb.getMany();
  return hydrate<T>(mapper, await rawRows(qb as SelectQueryBuilder<ObjectLiteral>));
}

/** `qb.getRawAndEntities()`, through the raw rows (one entity per row: the builder joins nothing). */
export async function rawAndManyOf<T extends ObjectLiteral, R>(qb: SelectQueryBuilder<T>): Promise<{ entities: T[]; raw: R[] }> {
  const mapper = mapperOf(qb as SelectQueryBuilder<ObjectLiteral>);
  if (!mapper) return qb.getRawAndEntities<R>();
  const raw = await rawRows(qb as SelectQueryBuilder<ObjectLiteral>);
  return { entities: hydrate<T>(mapper, raw), raw: raw as R[] };
}
