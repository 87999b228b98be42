import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  GraphQLArgument,
  getNamedType,
  getVariableValues,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  SelectionSetNode,
  GraphQLNamedType,
  Kind,
  OperationDefinitionNode,
  SourceLocation,
  valueFromASTUntyped,
  visit,
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
  /** Descriptions, notes, review notes, message templates. */
  freeText: 2000,
  /** Video captions (TikTok allows 2,200). */
  caption: 2200,
  /** URLs (content links, brief product links). */
  url: 2000,
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
  'MoneyInput.amount': TEXT_LIMITS.identifier,
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
  orderId: TEXT_LIMITS.identifier,
  videoId: TEXT_LIMITS.identifier,
  platformStatus: TEXT_LIMITS.identifier,
  creatorHandle: TEXT_LIMITS.handle,
  timeZone: TEXT_LIMITS.timeZone,
  niches: TEXT_LIMITS.tag,
  after: TEXT_LIMITS.cursor,
  before: TEXT_LIMITS.cursor,
  caption: TEXT_LIMITS.caption,
  notes: TEXT_LIMITS.freeText,
  internalNotes: TEXT_LIMITS.freeText,
  url: TEXT_LIMITS.url,
  body: TEXT_LIMITS.freeText,
  note: TEXT_LIMITS.freeText,
  tags: TEXT_LIMITS.tag,
  requiredHashtags: 100,
  disclosure: 100,
  keyMessages: 500,
  dos: 500,
  donts: 500,
  productLinks: TEXT_LIMITS.url,
  trackingNumber: TEXT_LIMITS.identifier,
  carrier: TEXT_LIMITS.identifier,
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

/** A path built only when a problem needs it: each step points to its parent. */
interface PathStep {
  parent: PathStep | null;
  key: string | number;
}

function pathOf(step: PathStep | null): Array<string | number> {
  const keys: Array<string | number> = [];
  for (let s = step; s; s = s.parent) keys.push(s.key);
  return keys.reverse();
}

type Add = (path: Array<string | number>, message: string) => void;
/** Checks one input value (plain JS) of a known type; built once per type, so requests only run it. */
type Checker = (value: unknown, path: PathStep, add: Add) => void;

const noCheck: Checker = () => {};
const objectCheckers = new WeakMap<GraphQLInputObjectType, Checker>();

/** The checker of values of `type` at a place whose text limit is `limit`. */
function checkerOf(type: GraphQLInputType, limit: number): Checker {
  if (isNonNullType(type)) return checkerOf(type.ofType, limit);
  if (isListType(type)) {
    const item = checkerOf(type.ofType, limit);
    if (item === noCheck) return noCheck;
    return (value, path, add) => {
      // A single value where a list is expected is coerced to a one-item list.
      if (!Array.isArray(value)) return item(value, path, add);
      for (let i = 0; i < value.length; i++) if (value[i] !== null && value[i] !== undefined) item(value[i], { parent: path, key: i }, add);
    };
  }
  if (isInputObjectType(type)) return objectChecker(type);
  if (!isScalarType(type)) return noCheck; // enums: graphql-js checks them
  return (value, path, add) => {
    if (typeof value !== 'string') return;
    const message = textProblem(value, limit);
    if (message) add(pathOf(path), message);
  };
}

function objectChecker(type: GraphQLInputObjectType): Checker {
  const known = objectCheckers.get(type);
  if (known) return known;
  let fields: Array<{ name: string; check: Checker }> | undefined;
  const check: Checker = (value, path, add) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    // Built on first use: input types may refer to themselves.
    fields ??= Object.values(type.getFields())
      .map((f) => ({ name: f.name, check: checkerOf(f.type, textLimit(type.name, f.name, getNamedType(f.type).name)) }))
      .filter((f) => f.check !== noCheck);
    const record = value as Record<string, unknown>;
    for (const field of fields) {
      const item = record[field.name];
      if (item !== undefined && item !== null) field.check(item, { parent: path, key: field.name }, add);
    }
  };
  objectCheckers.set(type, check);
  return check;
}

const argumentCheckers = new WeakMap<GraphQLArgument, Checker>();

function argumentChecker(parent: string, argument: GraphQLArgument): Checker {
  let check = argumentCheckers.get(argument);
  if (!check) {
    check = checkerOf(argument.type, textLimit(parent, argument.name, getNamedType(argument.type).name));
    argumentCheckers.set(argument, check);
  }
  return check;
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
  // A walk of the selections with their parent types: lighter than a TypeInfo visit of every node.
  const walk = (selections: SelectionSetNode | undefined, parent: GraphQLNamedType | null | undefined): void => {
    if (!selections || !parent || !(isObjectType(parent) || isInterfaceType(parent) || isUnionType(parent))) return;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent);
        continue;
      }
      if (selection.kind !== Kind.FIELD || isUnionType(parent)) continue; // spreads: their fragments are walked below
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      for (const arg of selection.arguments ?? []) {
        const definition = field.args.find((a) => a.name === arg.name.value);
        if (!definition) continue;
        const value = valueFromASTUntyped(arg.value, values);
        if (value === null || value === undefined) continue;
        argumentChecker(`${parent.name}.${field.name}`, definition)(value, { parent: null, key: arg.name.value }, (path, message) =>
          problems.push({ path: path.join('.'), message, location: arg.loc ? { line: arg.loc.startToken.line, column: arg.loc.startToken.column } : undefined }),
        );
      }
      walk(selection.selectionSet, getNamedType(field.type));
    }
  };
  walk(operation.selectionSet, schema.getRootType(operation.operation));
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) walk(definition.selectionSet, schema.getType(definition.typeCondition.name.value));
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
  // Plain ASCII without \u escapes is NFC already: most documents stop here.
  const body = document.loc?.source.body;
  if (body !== undefined && !/[^\x00-\x7f]|\\u/.test(body)) return document;
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
