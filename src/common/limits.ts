import { ApolloServerPlugin } from '@apollo/server';
import {
  defaultFieldResolver,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationRule,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
// graphql-js's own signal to stop validating (what its fragment-work budget throws).
import { validationAbortedError } from 'graphql/validation/validationAbortedError';
import { Extensions } from 'type-graphql';
import type { RequestContext } from './context';
import { daysInRange } from './date-range';
import { AppError, ErrorCode } from './errors';
import { checkPageSize, DEFAULT_PAGE_SIZE } from './pagination';

/**
 * Limits that keep one caller's query from hurting the others, checked once per operation
 * before any resolver runs. The numbers and their reasons are in the README ("Limits").
 */
export const QUERY_LIMITS = {
  /** Nesting of fields; a connection level costs 3 (field, edges, node): 5 nested levels fit. */
  maxDepth: 20,
  /** Aliases in one operation: enough for a dashboard, too few to multiply an expensive field. */
  maxAliases: 30,
  /** Characters of the query document, checked before it is parsed (413 QUERY_TOO_COMPLEX). */
  maxQueryLength: 100_000,
  /** Lexical tokens of the document, enforced by the parser itself. */
  maxTokens: 5000,
  /**
   * Estimated cost (see `COST`): fields and items the operation can put in its response at the
   * most. Measured (README "Limits", src/cli/measure-limits.ts): the worst admitted query takes
   * about 4 s of CPU and 300 MB; QUERY_MAX_COST changes it per deployment.
   */
  maxCost: 1_000_000,
  /** Fields the estimate walks, fragments expanded: a document that expands past it is refused. */
  maxFieldsWalked: 20_000,
  /**
   * Times one response name (or one fragment spread) may appear in a single selection set.
   * Validation compares every pair of same-named fields (OverlappingFieldsCanBeMerged): 550
   * copies of `viewer { id }` cost ~250 ms of validation. Checked before validation, in one pass.
   */
  maxRepeatedSelections: 20,
} as const;

/** What execution may build once it runs; a request past either ends with QUERY_TOO_COMPLEX. */
export const EXECUTION_LIMITS = {
  /** Items of object lists (edges, plain lists) resolved in one request; the estimate caps them already. */
  maxObjects: QUERY_LIMITS.maxCost,
  /** From the start of the request; checked whenever a list resolves. */
  deadlineMs: 10_000,
} as const;

/** The weights of the cost estimate. */
export const COST = {
  /** Every field in the response, leaf or object, once per parent it appears under. */
  field: 1,
  /**
   * Every item of a list, on top of its fields: a row read and hydrated, an object and its
   * promises built. Measured, an item costs as much CPU as ~10 leaf fields.
   */
  item: 10,
  /** A COUNT over every matching row, per parent: as much work as reading a full page. */
  totalCount: 100,
  /** __schema / __type: bounded by the schema's size (the full introspection query is ~3,000 fields). */
  introspection: 5_000,
} as const;

/** The `extensions` a plain list field of objects must declare: its real maximum number of items. */
export interface ListBoundExtensions {
  /** The most items the list can hold (enforced where it is written, e.g. an input's ArrayMaxSize). */
  maxItems: number;
  /** An argument whose length sizes the list (nodes(ids:), upsertProducts(products:)). */
  sizeArg?: string;
  /** A DateRangeInput argument whose number of days sizes the list (one item a day at most). */
  dayRangeArg?: string;
}

/**
 * Declares a plain list field's bound, read by the cost estimate; a list of objects without one
 * (and that is not a connection's `edges`) fails the schema test and is priced as refused.
 */
export function ListBound(maxItems: number, sizeArg?: string) {
  const extensions: ListBoundExtensions = sizeArg ? { maxItems, sizeArg } : { maxItems };
  return Extensions(extensions as unknown as Record<string, unknown>);
}

export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  return isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();
}

/** Declares a plain list field of at most one item per day of its DateRangeInput argument `rangeArg`. */
export function DailyListBound(maxItems: number, rangeArg: string) {
  const extensions: ListBoundExtensions = { maxItems, dayRangeArg: rangeArg };
  return Extensions(extensions as unknown as Record<string, unknown>);
}

/** The declared bound of a plain list field (null: none declared), sized by its argument when given. */
export function listBound(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number | null {
  const { maxItems, sizeArg, dayRangeArg } = (field.extensions ?? {}) as Partial<ListBoundExtensions>;
  if (typeof maxItems !== 'number') return null;
  if (dayRangeArg) {
    const range = args[dayRangeArg] as { from?: unknown; to?: unknown } | undefined;
    const days = typeof range?.from === 'string' && typeof range.to === 'string' ? daysInRange(range.from, range.to) : NaN;
    return Number.isFinite(days) ? Math.min(maxItems, Math.max(0, days)) : maxItems;
  }
  const given = sizeArg ? args[sizeArg] : undefined;
  return Array.isArray(given) ? Math.min(given.length, maxItems) : maxItems;
}

function tooComplex(message: string, extensions: Record<string, unknown>): AppError {
  return new AppError(ErrorCode.QUERY_TOO_COMPLEX, message, extensions);
}

/**
 * QUERY_TOO_COMPLEX when a selection set repeats one response name or fragment spread more than
 * QUERY_LIMITS.maxRepeatedSelections times. Linear in the document; runs before validation, whose
 * cost for such a document is quadratic.
 */
export function checkRepeatedSelections(document: DocumentNode): void {
  const check = (set: SelectionSetNode): void => {
    const seen = new Map<string, number>();
    for (const selection of set.selections) {
      const key =
        selection.kind === 'Field' ? (selection.alias ?? selection.name).value : selection.kind === 'FragmentSpread' ? `...${selection.name.value}` : null;
      if (key !== null) {
        const times = (seen.get(key) ?? 0) + 1;
        if (times > QUERY_LIMITS.maxRepeatedSelections) {
          throw tooComplex(`"${key}" is selected more than ${QUERY_LIMITS.maxRepeatedSelections} times in one selection set`, {
            limit: QUERY_LIMITS.maxRepeatedSelections,
            selection: key,
          });
        }
        seen.set(key, times);
      }
      if (selection.kind !== 'FragmentSpread' && selection.selectionSet) check(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition' || definition.kind === 'FragmentDefinition') check(definition.selectionSet);
  }
}

/**
 * The validation rule that applies checkRepeatedSelections. It runs on entering the document,
 * before any rule looks at a selection set, and then aborts validation: the quadratic work never
 * starts. Apollo validates only documents it has not cached (valid ones are kept by hash).
 */
export const RepeatedSelectionsRule: ValidationRule = (context) => ({
  Document(node) {
    try {
      checkRepeatedSelections(node);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      context.reportError(error);
      throw validationAbortedError;
    }
  },
});

/** Deepest field nesting and number of aliases of an operation, through its fragments. */
function measure(operation: OperationDefinitionNode, document: DocumentNode): { depth: number; aliases: number } {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  let aliases = 0;
  const depthOf = (set: SelectionSetNode, seen: ReadonlySet<string>): number => {
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === 'Field') {
        if (selection.alias) aliases++;
        deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, seen) : 0));
      } else if (selection.kind === 'InlineFragment') {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
      } else {
        const fragment = fragments.get(selection.name.value);
        // A fragment spread twice on one path is a cycle, which validation reports anyway.
        if (fragment && !seen.has(fragment.name.value)) {
          deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, fragment.name.value])));
        }
      }
    }
    return deepest;
  };
  const depth = depthOf(operation.selectionSet, new Set());
  return { depth, aliases };
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  fieldsWalked: number;
}

/**
 * Cost of the fields selected under `fieldNodes` on a value of `type`: the worst of its possible
 * object types for an interface. Fields are collected exactly as execution collects them
 * (fragments, @skip/@include, merged duplicates). `edgesBound` is the page size of the
 * connection whose selection this is.
 */
function selectionCost(walk: Walk, type: GraphQLCompositeType, fieldNodes: readonly FieldNode[], edgesBound: number): number {
  const objectTypes = isAbstractType(type) ? walk.schema.getPossibleTypes(type) : [type];
  let worst = 0;
  for (const objectType of objectTypes) {
    let sum = 0;
    for (const nodes of collectSubfields(walk.schema, walk.fragments, walk.variables, objectType, fieldNodes).values()) {
      sum += fieldCost(walk, objectType, nodes, edgesBound);
    }
    worst = Math.max(worst, sum);
  }
  return worst;
}

/**
 * Cost of one field under one parent: 1, plus for an object its selection, for a list
 * `bound × (1 + selection)`, for a connection its page size's rows and a selection whose
 * `edges` hold that many items; `totalCount` costs a page. Parents multiply: a nested
 * connection under N parents costs N × its page.
 */
function fieldCost(walk: Walk, parent: GraphQLObjectType, nodes: readonly FieldNode[], edgesBound: number): number {
  if (++walk.fieldsWalked > QUERY_LIMITS.maxFieldsWalked) {
    throw tooComplex(`The query expands (through its fragments) to more than ${QUERY_LIMITS.maxFieldsWalked} fields`, {
      limit: QUERY_LIMITS.maxFieldsWalked,
    });
  }
  const name = nodes[0].name.value;
  if (name === '__schema' || name === '__type') return COST.introspection;
  const field = parent.getFields()[name];
  if (!field) return COST.field; // __typename
  if (isConnectionType(parent) && name === 'totalCount') return COST.totalCount;
  const args = getArgumentValues(field, nodes[0], walk.variables);
  const named = getNamedType(field.type);
  const isList = isListType(getNullableType(field.type));
  if (isLeafType(named)) return COST.field + (isList ? (listBound(field, args) ?? 0) : 0);
  if (isConnectionType(named)) {
    const size = pageSize(args);
    return COST.field + size * COST.item + selectionCost(walk, named, nodes, size);
  }
  const child = selectionCost(walk, named as GraphQLCompositeType, nodes, 0);
  if (!isList) return COST.field + child;
  // A list of objects with no declared bound is priced past any limit: refused, never guessed.
  const bound = isConnectionType(parent) && name === 'edges' ? edgesBound : (listBound(field, args) ?? QUERY_LIMITS.maxCost);
  return COST.field + bound * (COST.item + child);
}

/** The rows a connection reads; a page size out of range is BAD_USER_INPUT before anything is priced. */
function pageSize(args: Record<string, unknown>): number {
  const first = args.first as number | null | undefined;
  const last = args.last as number | null | undefined;
  checkPageSize('first', first);
  checkPageSize('last', last);
  if ((first === null || first === undefined) && (last === null || last === undefined)) return DEFAULT_PAGE_SIZE;
  return Math.max(first ?? 0, last ?? 0);
}

/** The estimated cost of an operation (see fieldCost); null when its variables do not fit their types. */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, inputs: Record<string, unknown>): number | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  // Variables that do not fit their types: execution reports them as BAD_USER_INPUT.
  if (coerced.errors) return null;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return null;
  const walk: Walk = {
    schema,
    fragments: Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
    ),
    variables: coerced.coerced,
    fieldsWalked: 0,
  };
  let cost = 0;
  for (const nodes of collectFields(schema, walk.fragments, walk.variables, rootType, operation.selectionSet).values()) {
    cost += fieldCost(walk, rootType, nodes, 0);
  }
  return cost;
}

/** Throws QUERY_TOO_COMPLEX (or BAD_USER_INPUT for a page size) naming the limit and the measured value; returns the cost. */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxCost: number = QUERY_LIMITS.maxCost,
): number {
  // Apollo hands back the same parsed document for the same text: what does not depend on the
  // variables is worked out once per operation.
  const fixed = operation.variableDefinitions?.length ? undefined : checked.get(operation);
  if (fixed && fixed.maxCost === maxCost) {
    if (fixed.error) throw fixed.error;
    return fixed.cost!;
  }
  try {
    const cost = measureAndPrice(schema, document, operation, variables, maxCost);
    if (!operation.variableDefinitions?.length) checked.set(operation, { maxCost, cost });
    return cost;
  } catch (error) {
    if (!operation.variableDefinitions?.length && error instanceof AppError) checked.set(operation, { maxCost, error });
    throw error;
  }
}

/** Outcomes of checkQueryLimits for operations without variables, by operation node. */
const checked = new WeakMap<OperationDefinitionNode, { maxCost: number; cost?: number; error?: AppError }>();
const measured = new WeakMap<OperationDefinitionNode, { depth: number; aliases: number }>();

function measureAndPrice(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxCost: number,
): number {
  let shape = measured.get(operation);
  if (!shape) measured.set(operation, (shape = measure(operation, document)));
  const { depth, aliases } = shape;
  if (depth > QUERY_LIMITS.maxDepth) {
    throw tooComplex(`Query depth ${depth} is over the limit of ${QUERY_LIMITS.maxDepth}`, { limit: QUERY_LIMITS.maxDepth, depth });
  }
  if (aliases > QUERY_LIMITS.maxAliases) {
    throw tooComplex(`The query uses ${aliases} aliases; the limit is ${QUERY_LIMITS.maxAliases}`, { limit: QUERY_LIMITS.maxAliases, aliases });
  }
  const cost = estimateCost(schema, document, operation, variables) ?? 0;
  if (cost > maxCost) {
    throw tooComplex(`Query cost ${cost} is over the limit of ${maxCost}; ask for smaller pages (first/last) or fewer nested lists`, {
      limit: maxCost,
      cost,
    });
  }
  return cost;
}

/**
 * What one request's execution has built so far, and until when it may run. Counted where
 * lists resolve (see guardListResolvers), not per field: one addition per list.
 */
class ExecutionBudget {
  private objects = 0;
  error: AppError | null = null;

  constructor(
    private readonly maxObjects: number,
    private readonly deadlineMs: number,
    private readonly startedAt = Date.now(),
  ) {}

  /** Throws once the request is past its budget: every later list fails at once, building nothing. */
  check(): void {
    if (!this.error && Date.now() - this.startedAt > this.deadlineMs) {
      this.error = tooComplex(`The query ran longer than ${this.deadlineMs} ms and was stopped; ask for smaller pages or fewer nested lists`, {
        reason: 'DEADLINE',
        limit: this.deadlineMs,
      });
    }
    if (this.error) throw this.error;
  }

  spend<T>(items: T): T {
    if (Array.isArray(items)) this.objects += items.length;
    if (!this.error && this.objects > this.maxObjects) {
      this.error = tooComplex(`The response grew past ${this.maxObjects} objects and was stopped; ask for smaller pages or fewer nested lists`, {
        reason: 'OBJECTS',
        limit: this.maxObjects,
      });
    }
    this.check();
    return items;
  }
}

const budgets = new WeakMap<object, ExecutionBudget>();
const guardedSchemas = new WeakSet<GraphQLSchema>();

/**
 * Wraps the resolver of every list-of-objects field (connection edges included) so the request's
 * budget counts the items it returns. The wrap costs one call per list resolved, nothing per
 * field or per item (a per-field plugin hook costs ~15 % CPU on big lists).
 */
function guardListResolvers(schema: GraphQLSchema): void {
  if (guardedSchemas.has(schema)) return;
  guardedSchemas.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    // A mutation's own result list is bounded by its input (priced before it runs) and its
    // writes have committed by the time it returns: never cut it; its nested reads are guarded.
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType()) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type)) || isLeafType(getNamedType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const budget = budgets.get(context as object);
        if (!budget) return resolve(source, args, context, info);
        budget.check();
        const result = resolve(source, args, context, info);
        return typeof (result as PromiseLike<unknown> | null)?.then === 'function'
          ? (result as PromiseLike<unknown>).then((items) => budget.spend(items))
          : budget.spend(result);
      };
    }
  }
}

export interface ExecutionLimitOptions {
  maxCost?: number;
  maxObjects?: number;
  deadlineMs?: number;
}

export function queryLimitsPlugin(schema: GraphQLSchema, options: ExecutionLimitOptions = {}): ApolloServerPlugin<RequestContext> {
  guardListResolvers(schema);
  const maxCost = options.maxCost ?? QUERY_LIMITS.maxCost;
  const maxObjects = options.maxObjects ?? Math.max(maxCost, EXECUTION_LIMITS.maxObjects);
  const deadlineMs = options.deadlineMs ?? EXECUTION_LIMITS.deadlineMs;
  return {
    async requestDidStart({ contextValue }) {
      const budget = new ExecutionBudget(maxObjects, deadlineMs);
      budgets.set(contextValue, budget);
      return {
        async didResolveOperation({ document, operation, request }) {
          if (operation) checkQueryLimits(schema, document, operation, request.variables ?? {}, maxCost);
        },
        // A stopped query answers with its one error and nothing of the partial result. A stopped
        // mutation keeps what it reports: its writes committed before the runaway read (see
        // TenantScope), so the caller must still see their results, with the error beside them.
        async willSendResponse({ response, operation }) {
          // RepeatedSelectionsRule's refusal comes with graphql-js's "Validation aborted." beside it.
          if (response.body.kind === 'single') {
            const result = response.body.singleResult;
            if (result.errors?.[0]?.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX) result.errors = result.errors.filter((e) => e.message !== validationAbortedError.message);
          }
          const error = budget.error;
          if (!error || response.body.kind !== 'single') return;
          const stopped = { message: error.message, extensions: { ...error.extensions } };
          if (operation?.operation === 'mutation') {
            const result = response.body.singleResult;
            const others = (result.errors ?? []).filter((e) => e.extensions?.code !== error.extensions.code);
            result.errors = [...others, { ...stopped, message: `${stopped.message}; mutations that ran before this point have committed` }];
            return;
          }
          response.body = { kind: 'single', singleResult: { errors: [stopped] } };
          response.http.status = 400;
        },
      };
    },
  };
}
