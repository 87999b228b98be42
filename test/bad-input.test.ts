import { randomUUID } from 'node:crypto';
import {
  astFromValue,
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isRequiredArgument,
  isRequiredInputField,
  print,
} from 'graphql';
import { getMetadataStorage as validationRules } from 'class-validator';
import { Client } from 'pg';
import { getMetadataStorage as typeGraphqlTypes } from 'type-graphql';
import { textLimit } from '../src/common/text-input';
import { buildAppSchema } from '../src/schema';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

/**
 * Generated from the schema: every argument and input field of every field reachable from Query
 * and Mutation gets NUL strings, over-long strings, non-integer and out-of-range numbers and
 * out-of-range dates, one position at a time, with minimal valid values everywhere else. A new
 * field or argument is covered without touching this file; a new scalar makes it fail until it
 * gets its values below.
 */

type Path = Array<string | number>;

/** A value of each scalar that passes its own checks. */
const VALID: Record<string, () => unknown> = {
  String: () => 'valid',
  ID: () => Buffer.from(`Client:${randomUUID()}`).toString('base64url'),
  Int: () => 1,
  NonNegativeInt: () => 1,
  SafeInt: () => 100,
  Float: () => 0.5,
  Boolean: () => true,
  LocalDate: () => '2025-01-01',
  DateTime: () => '2025-01-01T00:00:00Z',
  EmailAddress: () => 'someone@example.com',
  Currency: () => 'USD',
  CountryCode: () => 'US',
  URL: () => 'https://example.com/valid',
};

const NUL = 'bad\u0000value';
const long = (limit: number) => 'x'.repeat(limit + 1);

/** Values each scalar must refuse with BAD_USER_INPUT on the value's path; `limit` is the text limit there. */
const REFUSED: Record<string, (limit: number) => unknown[]> = {
  String: (limit) => [NUL, long(limit)],
  ID: (limit) => [NUL, long(limit)],
  EmailAddress: (limit) => [NUL, long(limit)],
  Currency: (limit) => [NUL, long(limit)],
  CountryCode: (limit) => [NUL, long(limit)],
  URL: (limit) => [`https://example.com/${NUL}`, `https://example.com/${'a'.repeat(limit)}`],
  Int: () => [1.5, 2 ** 31, -(2 ** 31) - 1, '0x10', 1e21],
  NonNegativeInt: () => [1.5, 1e21, 1e-7, '0x10', 2 ** 31, -1],
  SafeInt: () => [1.5, 2 ** 53, -(2 ** 53), '0x10', 1e21],
  LocalDate: () => ['0000-01-01', '1969-12-31', '2024-02-30', '10000-01-01', NUL],
  DateTime: () => ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '2024-02-30T00:00:00Z', NUL],
  Float: () => [],
  Boolean: () => [],
};

/** Values out of every Float field's range (ratios, ROAS), refused with any client error code. */
const EXTREME: Record<string, unknown[]> = {
  Float: [1.7976931348623157e308, -1.7976931348623157e308],
};

interface Position {
  path: Path;
  type: GraphQLNamedType;
  limit: number;
}

/** Every leaf position inside an argument, with the text limit the server should apply there. */
function positionsOf(type: GraphQLInputType, path: Path, limit: number, depth = 0): Position[] {
  if (isNonNullType(type)) return positionsOf(type.ofType, path, limit, depth);
  if (isListType(type)) return positionsOf(type.ofType, [...path, 0], limit, depth);
  if (isInputObjectType(type)) {
    if (depth > 5) return [];
    return Object.values(type.getFields()).flatMap((f) =>
      positionsOf(f.type, [...path, f.name], textLimit(type.name, f.name, getNamedType(f.type).name), depth + 1),
    );
  }
  return [{ path, type, limit }];
}

/** The smallest valid value of a type: required fields only, one-item lists. */
function minimal(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return minimal(type.ofType);
  if (isListType(type)) return [minimal(type.ofType)];
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter(isRequiredInputField).map((f) => [f.name, minimal(f.type)]));
  }
  if (isEnumType(type)) return type.getValues()[0].value;
  const valid = VALID[type.name];
  if (!valid) throw new Error(`No valid value for scalar ${type.name}: add it to VALID and REFUSED`);
  return valid();
}

/** A minimal value of `type` with `bad` at `path`. */
function withValueAt(type: GraphQLInputType, path: Path, bad: unknown): unknown {
  if (isNonNullType(type)) return withValueAt(type.ofType, path, bad);
  if (path.length === 0) return bad;
  if (isListType(type)) return [withValueAt(type.ofType, path.slice(1), bad)];
  if (isInputObjectType(type)) {
    const field = type.getFields()[path[0] as string];
    return { ...(minimal(type) as object), [field.name]: withValueAt(field.type, path.slice(1), bad) };
  }
  throw new Error(`cannot descend into ${type} at ${path.join('.')}`);
}

/** A way to a field from the root: the fields to select on the way, with their required arguments inline. */
interface Step {
  field: GraphQLField<unknown, unknown>;
}

function inlineArgs(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter(isRequiredArgument).map((a) => `${a.name}: ${print(astFromValue(minimal(a.type), a.type)!)}`);
  if (field.args.some((a) => a.name === 'first')) args.push('first: 1');
  return args.length ? `(${args.join(', ')})` : '';
}

const selectionOf = (field: GraphQLField<unknown, unknown>) => (isLeafType(getNamedType(field.type)) ? '' : ' { __typename }');

/** The shortest way from Query to each object type (fields with arguments get minimal ones). */
function routes(schema: GraphQLSchema): Map<GraphQLObjectType, Step[]> {
  const found = new Map<GraphQLObjectType, Step[]>([[schema.getQueryType()!, []]]);
  const queue: GraphQLObjectType[] = [schema.getQueryType()!];
  while (queue.length) {
    const type = queue.shift()!;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isObjectType(named) || found.has(named)) continue;
      found.set(named, [...found.get(type)!, { field }]);
      queue.push(named);
    }
  }
  return found;
}

interface Case {
  coordinate: string;
  query: string;
  variables: Record<string, unknown>;
  /** The argument path the error must name; null when any client error will do. */
  path: string | null;
  value: unknown;
}

/** The operation that passes `bad` at `path` of `arg` of `field`, reached by `route`. */
function caseFor(operation: 'query' | 'mutation', route: Step[], field: GraphQLField<unknown, unknown>, arg: GraphQLArgument, path: Path, bad: unknown, refused: boolean): Case {
  const passed = field.args.filter((a) => a === arg || isRequiredArgument(a));
  const variables = Object.fromEntries(passed.map((a) => [a.name, a === arg ? withValueAt(a.type, path, bad) : minimal(a.type)]));
  const definitions = passed.map((a) => `$${a.name}: ${a.type}`).join(', ');
  let selection = `${field.name}(${passed.map((a) => `${a.name}: $${a.name}`).join(', ')})${selectionOf(field)}`;
  for (const step of [...route].reverse()) selection = `${step.field.name}${inlineArgs(step.field)} { ${selection} }`;
  const parent = route.length ? getNamedType(route[route.length - 1].field.type).name : operation === 'query' ? 'Query' : 'Mutation';
  return {
    coordinate: `${parent}.${field.name}(${arg.name}:)`,
    query: `${operation} (${definitions}) { ${selection} }`,
    variables,
    path: refused ? [arg.name, ...path].join('.') : null,
    value: bad,
  };
}

function casesOf(schema: GraphQLSchema): { cases: Case[]; coordinates: Set<string> } {
  const cases: Case[] = [];
  const coordinates = new Set<string>();
  const add = (operation: 'query' | 'mutation', route: Step[], parent: GraphQLObjectType) => {
    for (const field of Object.values(parent.getFields())) {
      for (const arg of field.args) {
        const limit = textLimit(`${parent.name}.${field.name}`, arg.name, getNamedType(arg.type).name);
        for (const position of positionsOf(arg.type, [], limit)) {
          if (isEnumType(position.type)) continue;
          const refused = REFUSED[position.type.name];
          if (!refused) throw new Error(`No bad values for scalar ${position.type.name}: add it to REFUSED`);
          const coordinate = `${parent.name}.${field.name}(${arg.name}:)`;
          for (const bad of refused(position.limit)) cases.push(caseFor(operation, route, field, arg, position.path, bad, true));
          for (const bad of EXTREME[position.type.name] ?? []) cases.push(caseFor(operation, route, field, arg, position.path, bad, false));
          if (refused(position.limit).length) coordinates.add(coordinate);
        }
      }
    }
  };
  for (const [type, route] of routes(schema)) add('query', route, type);
  add('mutation', [], schema.getMutationType()!);
  return { cases, coordinates };
}

/** Every argument in the schema whose value holds a scalar this test has bad values for. */
function argumentsOf(schema: GraphQLSchema): string[] {
  const all: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) {
        const leaves = positionsOf(arg.type, [], 0).filter((p) => !isEnumType(p.type) && (REFUSED[p.type.name]?.(0).length ?? 1) > 0);
        if (leaves.length) all.push(`${type.name}.${field.name}(${arg.name}:)`);
      }
    }
  }
  return all.sort();
}

let t: TestServer;
let admin: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.createAgency('Bad Input Agency');
});
afterAll(() => t.stop());

async function rowCounts(): Promise<Record<string, number>> {
  const db = new Client({ connectionString: t.database.url });
  await db.connect();
  try {
    const tables = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    const counts: Record<string, number> = {};
    for (const { tablename } of tables.rows) counts[tablename] = (await db.query(`SELECT count(*)::int AS n FROM "${tablename}"`)).rows[0].n;
    return counts;
  } finally {
    await db.end();
  }
}

/** Runs `work` over `items`, `width` at a time. */
async function pooled<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

const describeValue = (v: unknown) => (typeof v === 'string' ? (v.length > 30 ? `"${v.slice(0, 12)}…" (${v.length} chars)` : JSON.stringify(v)) : String(v));

it('every argument position refuses bad values with BAD_USER_INPUT on its path, never a server error, writing nothing', async () => {
  const schema = await buildAppSchema();
  const { cases, coordinates } = casesOf(schema);
  // Every argument of the schema is reached (a field only some unreachable type has would show here).
  expect(argumentsOf(schema).filter((c) => !coordinates.has(c))).toEqual([]);

  const before = await rowCounts();
  const results = await pooled(cases, 6, async (c) => ({ c, res: (await t.gql(c.query, c.variables, admin.token)) as GqlResult<unknown> }));
  const after = await rowCounts();

  const failures: string[] = [];
  for (const { c, res } of results) {
    const where = `${c.coordinate} ${c.path ?? ''} = ${describeValue(c.value)}`;
    if (res.status >= 500 || codes(res).includes('INTERNAL_SERVER_ERROR')) failures.push(`${where}: ${res.status} ${JSON.stringify(res.errors)}`);
    else if (!res.errors?.length) failures.push(`${where}: accepted`);
    else if (c.path !== null) {
      const fields = res.errors?.[0]?.extensions?.fields ?? {};
      if (res.status !== 400 || codes(res)[0] !== 'BAD_USER_INPUT' || !(c.path in fields)) {
        failures.push(`${where}: ${res.status} ${JSON.stringify(res.errors)?.slice(0, 300)}`);
      }
    }
  }
  expect(failures).toEqual([]);
  expect(after).toEqual(before);
  expect(cases.length).toBeGreaterThan(400);
});

it('class-validator length rules say the same as the documented text limits', async () => {
  await buildAppSchema();
  const disagreements: string[] = [];
  const storage = validationRules();
  for (const input of typeGraphqlTypes().inputTypes) {
    for (const rule of storage.getTargetValidationMetadatas(input.target, '', true, false)) {
      if (rule.name !== 'isLength' && rule.name !== 'maxLength') continue;
      const max = rule.name === 'isLength' ? rule.constraints[1] : rule.constraints[0];
      const limit = textLimit(input.name, rule.propertyName, 'String');
      if (max !== limit) disagreements.push(`${input.name}.${rule.propertyName}: class-validator ${max}, TEXT_LIMITS ${limit}`);
    }
  }
  expect(disagreements).toEqual([]);
});
