import { getArgumentValues, getNamedType, GraphQLResolveInfo, isObjectType, SelectionSetNode } from 'graphql';
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError } from './errors';
import type { Loaders } from './loaders';
import { manyOf, queryText, rawAndManyOf } from './raw-rows';

/** Relay connections with keyset cursors: stable when rows are inserted between pages. */

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

/** The arguments every nested connection takes (as the contract has them). */
@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, at most ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

/** Root connections page both ways. */
@ArgsType()
export class PageArgs extends ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: `Page size from the end, at most ${MAX_PAGE_SIZE}.` })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;

  /** Set by `withCountHint`: the query selects totalCount, so a first page counts in its own statement. */
  countInPage?: boolean;

  /** Set by `withPrefetch`: rows the query asks for under each node, loaded with the page (nested connections). */
  prefetch?: Prefetch[];

  /**
   * Set by `withCountHint`: the fields the query selects under `edges { node }` when each of them
   * reads the row's property of that name as is (or is `id`); the page then reads only those
   * columns (see selectOnly). Absent when any field needs more (a resolver, a nested object).
   */
  nodeFields?: string[];
}

/** A to-one relation of a list's rows, loaded by id through `Loaders.byId`. */
export interface Prefetch {
  /** The GraphQL field under `edges { node { … } }` that resolves it. */
  field: string;
  entity: EntityTarget<ObjectLiteral>;
  /** The row property holding the related row's id. */
  property: string;
}

/** The selection sets of the fields called `name` directly in `sets` (through fragments too). */
function subSelections(sets: readonly SelectionSetNode[], name: string, info: GraphQLResolveInfo): SelectionSetNode[] {
  const found: SelectionSetNode[] = [];
  const visit = (set: SelectionSetNode, depth: number) => {
    if (depth > 5) return;
    for (const s of set.selections) {
      if (s.kind === 'Field') {
        if (s.name.value === name && s.selectionSet) found.push(s.selectionSet);
      } else if (s.kind === 'InlineFragment') visit(s.selectionSet, depth + 1);
      else {
        const fragment = info.fragments[s.name.value];
        if (fragment) visit(fragment.selectionSet, depth + 1);
      }
    }
  };
  for (const set of sets) visit(set, 0);
  return found;
}

/**
 * Marks a nested page whose query selects, under `edges { node { … } }`, fields resolved by id
 * through `Loaders.byId` (e.g. an enrollment's creator): the page's batch loads them too, in one
 * statement per relation as the field would, so their resolvers answer without a promise
 * (`Loaders.loadById`). The same statements, fewer of graphql-js's per-row promises.
 */
export function withPrefetch<P extends ForwardPageArgs>(page: P, info: GraphQLResolveInfo, relations: readonly Prefetch[]): P {
  const roots = info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  const nodes = subSelections(subSelections(roots, 'edges', info), 'node', info);
  const wanted = relations.filter((r) => subSelections(nodes, r.field, info).length > 0);
  if (wanted.length) (page as PageArgs).prefetch = wanted;
  return page;
}

function selectsField(set: SelectionSetNode | undefined, name: string, info: GraphQLResolveInfo, depth = 0): boolean {
  if (!set || depth > 5) return false;
  return set.selections.some((s) =>
    s.kind === 'Field'
      ? s.name.value === name
      : s.kind === 'InlineFragment'
        ? selectsField(s.selectionSet, name, info, depth + 1)
        : selectsField(info.fragments[s.name.value]?.selectionSet, name, info, depth + 1),
  );
}

/**
 * Marks a root page with what its query selects: with totalCount, and no cursor, the count comes
 * with the page (`COUNT(*) OVER ()`), one round trip instead of two; with only plain node fields,
 * the page reads only their columns (`nodeFields`).
 */
export function withCountHint<P extends PageArgs>(page: P, info: GraphQLResolveInfo): P {
  page.countInPage = info.fieldNodes.some((node) => selectsField(node.selectionSet, 'totalCount', info));
  page.nodeFields = plainNodeFields(info);
  return page;
}

/** Marks a nested page with the columns its query reads (see withCountHint and selectOnly). */
export function withNodeFields<P extends ForwardPageArgs>(page: P, info: GraphQLResolveInfo): P {
  (page as PageArgs).nodeFields = plainNodeFields(info);
  return page;
}

/**
 * For a root field that returns one row by id (e.g. `shop(id) { products(first: 10) }`): starts
 * the loads of the nested pages its query selects directly on the row, with the arguments and
 * columns the fields' own resolvers will ask for, so the fields find them in their loaders. On a
 * pipelined connection (TenantScope.openSpeculative) they go out with the row's own statement
 * instead of one round trip later. `loads` maps a field of `typeName` (taking page arguments
 * only) to the call its resolver makes. A row that turns out invisible costs one empty page.
 */
export function prefetchNestedPages(info: GraphQLResolveInfo, typeName: string, loads: Record<string, (page: ForwardPageArgs) => Promise<unknown>>): void {
  const type = info.schema.getType(typeName);
  const set = info.fieldNodes.length === 1 ? info.fieldNodes[0].selectionSet : undefined;
  if (!set || !isObjectType(type)) return;
  for (const selection of set.selections) {
    if (selection.kind !== 'Field' || selection.directives?.length || !loads[selection.name.value]) continue;
    const field = type.getFields()[selection.name.value];
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, selection, info.variableValues);
    } catch {
      continue; // the field itself reports its arguments
    }
    const page = Object.assign(new ForwardPageArgs(), args);
    withNodeFields(page, { ...info, fieldName: field.name, fieldNodes: [selection], returnType: field.type, parentType: type } as GraphQLResolveInfo);
    void loads[selection.name.value](page).catch(() => undefined);
  }
}

/** What the resolvers of some fields read of their row, by `Type.field` (see declareFieldNeeds). */
const fieldNeeds = new Map<string, readonly string[]>();

/**
 * Declares the row properties the resolvers of `type`'s fields read (a nested connection reads
 * the row's `id`, a relation its foreign key), so a page whose query selects them can still read
 * only the columns it needs. A field with a resolver and no declaration makes the page read whole rows.
 */
export function declareFieldNeeds(type: string, needs: Record<string, readonly string[]>): void {
  for (const [field, properties] of Object.entries(needs)) fieldNeeds.set(`${type}.${field}`, properties);
}

/** The row properties the fields selected under `edges { node }` read, or undefined when one is not known. */
function plainNodeFields(info: GraphQLResolveInfo): string[] | undefined {
  const connection = getNamedType(info.returnType);
  const edge = isObjectType(connection) ? connection.getFields().edges : undefined;
  const edgeType = edge ? getNamedType(edge.type) : undefined;
  const nodeType = edgeType && isObjectType(edgeType) ? getNamedType(edgeType.getFields().node?.type) : undefined;
  if (!nodeType || !isObjectType(nodeType)) return undefined;
  const fields = nodeType.getFields();
  const roots = info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  const names = new Set<string>();
  let plain = true;
  const visit = (set: SelectionSetNode, depth: number) => {
    if (depth > 5) plain = false;
    for (const s of set.selections) {
      if (!plain) return;
      if (s.kind === 'Field') {
        const name = s.name.value;
        if (name === '__typename') continue;
        const needs = fieldNeeds.get(`${nodeType.name}.${name}`);
        if (needs) {
          for (const property of needs) names.add(property);
          continue;
        }
        // graphql-js reads source[name] for a field without a resolver; `id` reads the row's id.
        if (s.selectionSet || (name !== 'id' && (!fields[name] || fields[name].resolve !== undefined))) plain = false;
        names.add(name);
      } else if (s.kind === 'InlineFragment') visit(s.selectionSet, depth + 1);
      else {
        const fragment = info.fragments[s.name.value];
        if (fragment) visit(fragment.selectionSet, depth + 1);
      }
    }
  };
  for (const set of subSelections(subSelections(roots, 'edges', info), 'node', info)) visit(set, 0);
  return plain ? [...names] : undefined;
}

/**
 * Narrows a page's SELECT to the columns its query reads (`nodeFields`), the primary key and the
 * ordering's keys (cursors), and `extra` properties: fewer columns read, sent and parsed. Only for
 * a builder that selects its whole entity and nothing else, and only when every field is a column.
 */
function selectOnly(qb: SelectQueryBuilder<ObjectLiteral>, keys: SortKey[], fields: string[] | undefined, extra: string[] = []): void {
  const map = qb.expressionMap;
  const main = map.mainAlias;
  if (!fields || !main?.hasMetadata || map.selects.length !== 1 || map.selects[0].selection !== main.name) return;
  const columns = new Set(main.metadata.columns.map((c) => c.propertyName));
  if (main.metadata.embeddeds.length > 0 || !fields.every((f) => columns.has(f))) return;
  const wanted = new Set([...main.metadata.primaryColumns.map((c) => c.propertyName), ...fields, ...keys.map((k) => k.property), ...extra]);
  // Sorted: the same columns give the same SQL text (one cached shape, one prepared statement).
  qb.select([...wanted].sort().map((property) => `${main.name}.${property}`));
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** What connection resolvers return; totalCount runs its (batched) count only when asked for. */
export class Connection<T> {
  constructor(
    readonly edges: Edge<T>[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

  get totalCount(): Promise<number> {
    return this.count();
  }
}

/** Builds the `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name = nodeType.name): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor: string;
    @Field(() => nodeType) node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionObject {
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: 'All rows that match, across every page.' }) totalCount: number;
  }
  return ConnectionObject as unknown as ClassType<Connection<T>>;
}

/** One column of a keyset ordering; the last key of every ordering is the primary key. */
export interface SortKey {
  /** Database column. */
  column: string;
  /** What the column holds, to refuse a forged cursor before it reaches SQL ('int' is int4, 'bigint' int8). */
  kind: 'timestamp' | 'uuid' | 'int' | 'bigint' | 'text' | 'date';
  /** Entity property holding the column's value, for building cursors. */
  property: string;
  direction: 'ASC' | 'DESC';
  /**
   * Compare and order by lower(column), so "acme" sorts next to "Acme" whatever the database's
   * collation. The cursor keeps the raw value and SQL lowers both sides, so the two always agree.
   */
  caseInsensitive?: boolean;
}

/** The SQL a key orders and compares by, on `alias`. */
function keyExpression(alias: string, key: SortKey): string {
  const column = `"${alias}"."${key.column}"`;
  return key.caseInsensitive ? `lower(${column})` : column;
}

/** A cursor value as SQL compares it with keyExpression. */
function valueExpression(key: SortKey, parameter: string): string {
  return key.caseInsensitive ? `lower(CAST(:${parameter} AS text))` : `:${parameter}`;
}

export interface ListSpec<T extends ObjectLiteral> {
  /** A fresh query over the rows of this list: alias, tenant scope and filters applied. */
  query: () => SelectQueryBuilder<T>;
  keys: SortKey[];
}

interface NormalizedPage {
  limit: number;
  backward: boolean;
  after: unknown[] | null;
  before: unknown[] | null;
}

function keySignature(keys: SortKey[]): string {
  return keys.map((k) => `${k.caseInsensitive ? `lower(${k.column})` : k.column}:${k.direction}`).join(',');
}

function encodeCursor(keys: SortKey[], row: ObjectLiteral): string {
  const values = keys.map((k) => {
    const v = row[k.property];
    return v instanceof Date ? v.toISOString() : v;
  });
  return Buffer.from(JSON.stringify({ k: keySignature(keys), v: values })).toString('base64url');
}

function decodeCursor(keys: SortKey[], cursor: string, path: string): unknown[] {
  let parsed: { k?: unknown; v?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw AppError.badField(path, 'Not a cursor this connection issued');
  }
  if (!parsed || !Array.isArray(parsed.v) || parsed.v.length !== keys.length) {
    throw AppError.badField(path, 'Not a cursor this connection issued');
  }
  if (parsed.k !== keySignature(keys)) {
    throw AppError.badField(path, 'This cursor belongs to a different ordering; start again without it');
  }
  if (!parsed.v.every((v, i) => isValidKeyValue(keys[i].kind, v))) {
    throw AppError.badField(path, 'Not a cursor this connection issued');
  }
  return parsed.v;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT4 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** As encodeCursor writes instants (toISOString). */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether year-month-day names a day that exists, in years 1..9999 (PostgreSQL has no year 0). */
function isRealDay(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Whether a cursor value can be compared with its column in SQL without an error: a timestamp
 * that is a real instant, a day that exists, an int within the column's size, a uuid, text with
 * no NUL. Anything else is a forged cursor (BAD_USER_INPUT), not a database error.
 */
function isValidKeyValue(kind: SortKey['kind'], value: unknown): boolean {
  switch (kind) {
    case 'timestamp': {
      const m = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
      return !!m && isRealDay(m[1], m[2], m[3]) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
    }
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT4.min && value <= INT4.max;
    case 'bigint':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'text':
      return typeof value === 'string' && !value.includes('\u0000');
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      return !!m && isRealDay(m[1], m[2], m[3]);
    }
  }
}

/** A page size argument out of range is BAD_USER_INPUT naming it (also checked before execution, see limits). */
export function checkPageSize(name: string, value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < 0) throw AppError.badField(name, `${name} must be zero or more`);
  if (value > MAX_PAGE_SIZE) throw AppError.badField(name, `${name} must be at most ${MAX_PAGE_SIZE}`);
}

function normalizePage(keys: SortKey[], args: PageArgs): NormalizedPage {
  checkPageSize('first', args.first);
  checkPageSize('last', args.last);
  const hasFirst = args.first !== null && args.first !== undefined;
  const hasLast = args.last !== null && args.last !== undefined;
  if (hasFirst && hasLast) throw AppError.badField('last', 'Pass first or last, not both');
  return {
    limit: (hasLast ? args.last : args.first) ?? DEFAULT_PAGE_SIZE,
    backward: hasLast,
    after: args.after ? decodeCursor(keys, args.after, 'after') : null,
    before: args.before ? decodeCursor(keys, args.before, 'before') : null,
  };
}

/**
 * (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ..., with each key's direction; `beyond` picks rows
 * after the cursor in the list's order, otherwise rows before it.
 */
function applyCursor(qb: SelectQueryBuilder<ObjectLiteral>, keys: SortKey[], values: unknown[], beyond: boolean, tag: string): void {
  const alias = qb.alias;
  const params: Record<string, unknown> = {};
  const disjuncts = keys.map((key, i) => {
    const ascending = key.direction === 'ASC' === beyond;
    const equalities = keys.slice(0, i).map((k, j) => `${keyExpression(alias, k)} = ${valueExpression(k, `${tag}${j}`)}`);
    params[`${tag}${i}`] = values[i];
    return [...equalities, `${keyExpression(alias, key)} ${ascending ? '>' : '<'} ${valueExpression(key, `${tag}${i}`)}`].join(' AND ');
  });
  qb.andWhere(`((${disjuncts.join(') OR (')}))`, params);
}

function orderByCondition(alias: string, keys: SortKey[], reverse: boolean): Record<string, 'ASC' | 'DESC'> {
  return Object.fromEntries(
    keys.map((k) => [keyExpression(alias, k), (k.direction === 'ASC') !== reverse ? 'ASC' : 'DESC']),
  );
}

function orderBySql(alias: string, keys: SortKey[], reverse: boolean): string {
  return Object.entries(orderByCondition(alias, keys, reverse))
    .map(([expr, dir]) => `${expr} ${dir}`)
    .join(', ');
}

function scopedQuery<T extends ObjectLiteral>(spec: ListSpec<T>, page: NormalizedPage): SelectQueryBuilder<T> {
  const qb = spec.query();
  if (page.after) applyCursor(qb, spec.keys, page.after, true, '__after');
  if (page.before) applyCursor(qb, spec.keys, page.before, false, '__before');
  return qb;
}

/** An edge whose cursor is built only if the query asks for it (most list queries do not). */
class LazyEdge<T extends ObjectLiteral> implements Edge<T> {
  constructor(
    private readonly keys: SortKey[],
    readonly node: T,
  ) {}

  get cursor(): string {
    return encodeCursor(this.keys, this.node);
  }
}

function toConnection<T extends ObjectLiteral>(
  spec: ListSpec<T>,
  page: NormalizedPage,
  rows: T[],
  count: () => Promise<number>,
): Connection<T> {
  const more = rows.length > page.limit;
  const nodes = rows.slice(0, page.limit);
  if (page.backward) nodes.reverse();
  const edges = nodes.map((node) => new LazyEdge(spec.keys, node));
  const first = edges[0];
  const last = edges[edges.length - 1];
  const pageInfo = {
    hasNextPage: page.backward ? page.before !== null : more,
    hasPreviousPage: page.backward ? more : page.after !== null,
    get startCursor() {
      return first?.cursor ?? null;
    },
    get endCursor() {
      return last?.cursor ?? null;
    },
  } as PageInfo;
  return new Connection(edges, pageInfo, count);
}

/** One page of a root list: one query for the page, one more only if totalCount is asked for. */
export async function fetchConnection<T extends ObjectLiteral>(spec: ListSpec<T>, args: PageArgs): Promise<Connection<T>> {
  const page = normalizePage(spec.keys, args);
  const qb = scopedQuery(spec, page);
  selectOnly(qb, spec.keys, args.nodeFields);
  qb.orderBy(orderByCondition(qb.alias, spec.keys, page.backward));
  // One row more than asked for tells whether there is a next page (also for first: 0).
  qb.limit(page.limit + 1);
  // Without a cursor the window counts every matching row: the totalCount, in the same statement.
  if ((args as PageArgs).countInPage && !page.after && !page.before) {
    const { entities, raw } = await rawAndManyOf<T, { __total: string }>(qb.addSelect('COUNT(*) OVER ()', '__total'));
    const total = raw.length > 0 ? Number(raw[0].__total) : 0;
    return toConnection(spec, page, entities, () => Promise.resolve(total));
  }
  const rows = await manyOf(qb);
  let counted: Promise<number> | undefined;
  return toConnection(spec, page, rows, () => (counted ??= spec.query().getCount()));
}

/**
 * The same page of a nested list for many parents in one statement: for each parent id a
 * LATERAL subquery reads that parent's first `limit + 1` rows in order (through the
 * (parent, created_at, id) indexes), so the cost follows the page, not all of a parent's
 * children. Used by DataLoaders.
 */
export async function fetchConnectionsByParent<T extends ObjectLiteral>(
  spec: ListSpec<T>,
  parent: { column: string; property: string },
  parentIds: readonly string[],
  args: PageArgs,
  countByParent: () => Promise<Map<string, number>>,
): Promise<Map<string, Connection<T>>> {
  const page = normalizePage(spec.keys, args);
  const byParent = new Map<string, T[]>(parentIds.map((id) => [id, []]));
  const inner = scopedQuery(spec, page);
  const alias = inner.alias;
  inner
    .andWhere(`"${alias}"."${parent.column}" = "__parent"."id"`)
    .select(`"${alias}"."id"`, 'id')
    .orderBy(orderByCondition(alias, spec.keys, page.backward))
    .limit(page.limit + 1);
  const outer = spec.query();
  selectOnly(outer, spec.keys, args.nodeFields, [parent.property]);
  const rows = await manyOf(
    outer
      .andWhere(
        `"${outer.alias}"."id" IN (SELECT "__page"."id" FROM unnest(CAST(:__parents AS uuid[])) AS "__parent"("id") CROSS JOIN LATERAL (${queryText(inner)}) "__page")`,
      )
      .setParameters({ ...inner.getParameters(), __parents: [...parentIds] })
      .orderBy({
        [`"${outer.alias}"."${parent.column}"`]: 'ASC',
        ...orderByCondition(outer.alias, spec.keys, page.backward),
      }),
  );
  for (const row of rows) byParent.get(row[parent.property])?.push(row);
  let counts: Promise<Map<string, number>> | undefined;
  const result = new Map<string, Connection<T>>();
  for (const [id, rows] of byParent) {
    result.set(
      id,
      toConnection(spec, page, rows, async () => ((await (counts ??= countByParent())).get(id) ?? 0)),
    );
  }
  return result;
}

/** Row counts per parent for a nested list, in one GROUP BY statement. */
export async function countByParent<T extends ObjectLiteral>(
  spec: ListSpec<T>,
  parentColumn: string,
  parentIds: readonly string[],
): Promise<Map<string, number>> {
  const qb = spec.query();
  const rows: Array<{ parent: string; n: string }> = await qb
    .select(`"${qb.alias}"."${parentColumn}"`, 'parent')
    .addSelect('COUNT(*)', 'n')
    .andWhere(`"${qb.alias}"."${parentColumn}" IN (:...__parents)`, { __parents: parentIds })
    .groupBy(`"${qb.alias}"."${parentColumn}"`)
    .getRawMany();
  return new Map(rows.map((r) => [r.parent, Number(r.n)]));
}

/** The usual ordering: oldest first, so pages stay put when rows are added. */
export const CREATED_ORDER: SortKey[] = [
  { column: 'created_at', kind: 'timestamp', property: 'createdAt', direction: 'ASC' },
  { column: 'id', kind: 'uuid', property: 'id', direction: 'ASC' },
];

/** The keys of a chosen ordering: the field, then the primary key in the same direction to break ties. */
export function orderedBy(key: Omit<SortKey, 'direction'>, direction: 'ASC' | 'DESC'): SortKey[] {
  return [
    { ...key, direction },
    { column: 'id', kind: 'uuid', property: 'id', direction },
  ];
}

/**
 * A nested connection (e.g. Client.shops) through a per-request DataLoader: every parent in
 * the response that asks for the same page and filter is served by one statement.
 */
export function loadNestedConnection<T extends ObjectLiteral>(
  loaders: Loaders,
  name: string,
  spec: ListSpec<T>,
  parent: { column: string; property: string },
  parentId: string,
  args: PageArgs,
  filterKey: unknown = null,
): Promise<Connection<T>> {
  const prefetch = args.prefetch ?? [];
  // Parents whose pages read other columns (other fields selected under another alias) are loaded apart.
  const key = `connection:${name}:${JSON.stringify([args.first, args.after, args.last, args.before, filterKey, prefetch.map((p) => p.field), args.nodeFields?.slice().sort() ?? null])}`;
  return loaders
    .get<string, Connection<T>>(key, async (ids) => {
      const pages = await fetchConnectionsByParent(spec, parent, ids, args, () => countByParent(spec, parent.column, ids));
      for (const relation of prefetch) {
        const related = new Set<string>();
        for (const page of pages.values()) {
          for (const edge of page.edges) {
            const id = edge.node[relation.property];
            if (typeof id === 'string') related.add(id);
          }
        }
        if (related.size) await loaders.byId(relation.entity).loadMany([...related]);
      }
      return ids.map((id) => pages.get(id)!);
    })
    .load(parentId);
}
