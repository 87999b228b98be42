import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver, NonNegativeIntResolver } from 'graphql-scalars';

/** The contract's scalars, from graphql-scalars, under one import; some narrowed to what the database stores. */
export {
  CountryCodeResolver as CountryCode,
  CurrencyResolver as Currency,
  EmailAddressResolver as EmailAddress,
  JSONObjectResolver as JSONObject,
  SafeIntResolver as SafeInt,
  URLResolver as URL,
} from 'graphql-scalars';

/** PostgreSQL `integer` (int4), GraphQL's Int: the columns NonNegativeInt values go to. */
export const INT4_MAX = 2 ** 31 - 1;

/** Calendar days and instants the API accepts as input (README "Input limits"). */
export const DATE_RANGE = { min: '1970-01-01', max: '9999-12-31' } as const;

const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * NonNegativeInt, strictly: a whole JSON number (or Int literal) from 0 to 2^31-1, like GraphQL's
 * Int. graphql-scalars' version parses with parseInt, so 1.5, 1e21 and "0x10" became 1, 1 and 0.
 */
function nonNegativeInt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new GraphQLError(`must be a whole number, got ${show(value)}`);
  if (value < 0) throw new GraphQLError(`must be 0 or more, got ${value}`);
  if (value > INT4_MAX) throw new GraphQLError(`must be at most ${INT4_MAX}, got ${value}`);
  return value;
}

export const NonNegativeInt = new GraphQLScalarType({
  ...NonNegativeIntResolver.toConfig(),
  description: `Integers that will have a value of 0 or more (at most ${INT4_MAX}, like Int).`,
  parseValue: nonNegativeInt,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.INT) throw new GraphQLError(`must be a whole number`, { nodes: ast });
    return nonNegativeInt(Number(ast.value));
  },
  extensions: { codegenScalarType: 'number' },
});

/** A copy of `base` whose parsed inputs must also pass `check` (which throws its reason). */
function narrowed<T>(base: GraphQLScalarType, description: string, check: (parsed: T) => void): GraphQLScalarType {
  const config = base.toConfig();
  return new GraphQLScalarType({
    ...config,
    description,
    parseValue(value) {
      const parsed = config.parseValue!(value) as T;
      check(parsed);
      return parsed;
    },
    parseLiteral(ast, variables) {
      const parsed = config.parseLiteral!(ast, variables) as T;
      check(parsed);
      return parsed;
    },
  });
}

const outOfRange = () => new GraphQLError(`must be from ${DATE_RANGE.min} to ${DATE_RANGE.max}`);

/** LocalDate within DATE_RANGE: PostgreSQL has no year 0, and no business day predates 1970. */
export const LocalDate = narrowed<string>(
  LocalDateResolver,
  `${LocalDateResolver.description} Inputs from ${DATE_RANGE.min} to ${DATE_RANGE.max}.`,
  (day) => {
    if (day < DATE_RANGE.min || day > DATE_RANGE.max) throw outOfRange();
  },
);

const EARLIEST = Date.parse(`${DATE_RANGE.min}T00:00:00Z`);
const LATEST = Date.parse(`${DATE_RANGE.max}T23:59:59.999Z`);

/** DateTime within DATE_RANGE (UTC). */
export const DateTime = narrowed<Date>(
  DateTimeResolver,
  `${DateTimeResolver.description} Inputs from ${DATE_RANGE.min}T00:00:00Z to ${DATE_RANGE.max}T23:59:59.999Z.`,
  (instant) => {
    const time = instant.getTime();
    if (!(time >= EARLIEST && time <= LATEST)) throw outOfRange();
  },
);
