import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  getVariableValues,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  OperationDefinitionNode,
  SourceLocation,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { AppError, FieldErrors, summarize } from './errors';

/**
 * The longest text each String (and ID) input takes, in characters (code points, after NFC).
 * Listed in the README ("Input limits"); class-validator rules on the same fields say the same.
 */
export const TEXT_LIMITS = {
  /** Names of people, agencies, clients, shops, campaigns. */
  name: 200,
  /** Display names and creator search. */
  shortName: 100,
  /** Product titles. */
  title: 500,
  /** Descriptions, notes: no field of this kind yet. */
  freeText: 2000,
  /** TikTok handles (the handle rule itself allows 24). */
  handle: 100,
  /** SKUs, external shop ids, sample tracking numbers, mutation names in the audit filter. */
  identifier: 100,
  /** Passwords (login, changePassword, createMember). */
  password: 200,
  /** Search filters on names. */
  search: 200,
  /** IANA time zone names (the longest is 32). */
  timeZone: 64,
  /** One niche tag of a creator. */
  tag: 50,
  /** Pagination cursors (after/before), as this server issues them. */
  cursor: 2000,
  /** Global ids. */
  id: 200,
  /** Any String input not listed below: short, so a new field gets a limit on purpose. */
  default: 200,
} as const;

/** Limits by schema coordinate ("Type.field", "Type.field(arg:)"): checked first. */
const BY_COORDINATE: Record<string, number> = {
  'Mutation.createApiKey(name:)': TEXT_LIMITS.shortName,
  'CreateCreatorInput.displayName': TEXT_LIMITS.shortName,
  'UpdateCreatorInput.displayName': TEXT_LIMITS.shortName,
  'CreatorFilter.search': TEXT_LIMITS.shortName,
  'ProductInput.title': TEXT_LIMITS.title,
  'AuditLogFilter.operations': TEXT_LIMITS.identifier,
};

/** Limits by the field's or argument's name, wherever it appears. */
const BY_NAME: Record<string, number> = {
  name: TEXT_LIMITS.name,
  displayName: TEXT_LIMITS.shortName,
  handle: TEXT_LIMITS.handle,
  search: TEXT_LIMITS.search,
  password: TEXT_LIMITS.password,
  currentPassword: TEXT_LIMITS.password,
  newPassword: TEXT_LIMITS.password,
  sampleTrackingNumber: TEXT_LIMITS.identifier,
  sku: TEXT_LIMITS.identifier,
  externalId: TEXT_LIMITS.identifier,
  timeZone: TEXT_LIMITS.timeZone,
  niches: TEXT_LIMITS.tag,
  after: TEXT_LIMITS.cursor,
  before: TEXT_LIMITS.cursor,
};

/** The most characters a text input at this place takes (an argument: `parent` is "Type.field"). */
export function textLimit(parent: string, name: string, typeName: string): number {
  return BY_COORDINATE[`${parent}.${name}`] ?? BY_COORDINATE[`${parent}(${name}:)`] ?? BY_NAME[name] ?? (typeName === 'ID' ? TEXT_LIMITS.id : TEXT_LIMITS.default);
}

/** What is wrong with one text value, or null; `limit` is null for scalars that check their own format. */
export function textProblem(value: string, limit: number): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed()) return 'must be well-formed Unicode (it holds a lone surrogate)';
  // Code points, as people count them; the cheap UTF-16 length decides most cases.
  if (value.length > limit && [...value].length > limit) return `must be at most ${limit} characters`;
  return null;
}

interface Problem {
  path: string;
  message: string;
  location?: SourceLocation;
}

/** Walks one input value (already plain JS) against its type; collects problems of every string in it. */
function walkValue(value: unknown, type: GraphQLInputType, path: Array<string | number>, limit: number, add: (path: Array<string | number>, message: string) => void): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return walkValue(value, type.ofType, path, limit, add);
  if (isListType(type)) {
    // A single value where a list is expected is coerced to a one-item list.
    if (Array.isArray(value)) value.forEach((item, i) => walkValue(item, type.ofType, [...path, i], limit, add));
    else walkValue(value, type.ofType, path, limit, add);
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return;
    const record = value as Record<string, unknown>;
    for (const field of Object.values(type.getFields())) {
      if (!(field.name in record)) continue;
      const named = getNamedType(field.type);
      walkValue(record[field.name], field.type, [...path, field.name], textLimit(type.name, field.name, named.name), add);
    }
    return;
  }
  if (isScalarType(type) && typeof value === 'string') {
    const message = textProblem(value, limit);
    if (message) add(path, message);
  }
}

/** The request's variables with the defaults of those it left out, as plain JS. */
function variablesWithDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const all: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!(name in all) && definition.defaultValue) all[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return all;
}

/**
 * Every text problem of the operation's arguments, inline or passed as variables, keyed by
 * argument path ("input.name", "products.2.sku"): NUL characters, lone surrogates, and text over
 * its field's limit (TEXT_LIMITS). Walks the document once; output fields cost nothing.
 */
export function textProblems(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): Problem[] {
  const values = variablesWithDefaults(operation, variables);
  const problems: Problem[] = [];
  const typeInfo = new TypeInfo(schema);
  const roots = [operation, ...document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)];
  for (const root of roots) {
    visit(
      root,
      visitWithTypeInfo(typeInfo, {
        Argument(arg) {
          const definition = typeInfo.getArgument();
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!definition || !parent || !field) return;
          const location = arg.loc ? { line: arg.loc.startToken.line, column: arg.loc.startToken.column } : undefined;
          const limit = textLimit(`${parent.name}.${field.name}`, arg.name.value, getNamedType(definition.type).name);
          walkValue(valueFromASTUntyped(arg.value, values), definition.type, [arg.name.value], limit, (path, message) =>
            problems.push({ path: path.join('.'), message, location }),
          );
        },
      }),
    );
  }
  return problems;
}

/** NFC of every string in a JSON value, in place where it can be (the request's own variables). */
function normalizeJson(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normalizeJson(value[i]);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = normalizeJson(record[key]);
  }
  return value;
}

/** The document with its string literals in NFC; the same document when they already are. */
function normalizeDocument(document: DocumentNode): DocumentNode {
  let changed = false;
  visit(document, {
    StringValue(node) {
      if (node.value !== node.value.normalize('NFC')) changed = true;
    },
  });
  if (!changed) return document;
  return visit(document, { StringValue: (node) => ({ ...node, value: node.value.normalize('NFC') }) });
}

/**
 * Text inputs checked at the edge, once per operation before any resolver runs: every string
 * argument (inline or variable) is normalised to NFC, then refused (BAD_USER_INPUT, one error
 * listing every path) when it holds NUL or a lone surrogate, or is longer than its limit. Variables
 * that do not fit their types are left to graphql-js, and inputErrorsPlugin reports these problems
 * beside theirs.
 */
export function textInputPlugin(schema: GraphQLSchema): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          const { operation, request } = ctx;
          if (!operation) return;
          if (request.variables) normalizeJson(request.variables);
          // Execution reads the document from the request context after this hook.
          (ctx as { document: DocumentNode }).document = normalizeDocument(ctx.document);
          const problems = textProblems(schema, ctx.document, operation, request.variables ?? {});
          if (problems.length === 0) return;
          // Variables that do not fit their types fail in execution; inputErrorsPlugin then reports
          // these problems with theirs, in one error.
          if (getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}).errors) return;
          const fields: FieldErrors = {};
          for (const problem of problems) fields[problem.path] ??= [problem.message];
          throw AppError.badInput(fields, summarize(fields));
        },
      };
    },
  };
}
