import { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLSchema,
  isLeafType,
  isListType,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { ComplexityEstimator, fieldExtensionsEstimator, getComplexity } from 'graphql-query-complexity';
import type { RequestContext } from './context';
import { AppError, ErrorCode } from './errors';
import { DEFAULT_PAGE_SIZE } from './pagination';

/**
 * Limits that keep one caller's query from hurting the others, checked once per operation
 * before any resolver runs. The numbers and their reasons are in the README ("Limits").
 */
export const QUERY_LIMITS = {
  /** Nesting of fields; a connection level costs 3 (field, edges, node): 5 nested levels fit. */
  maxDepth: 20,
  /** Aliases in one operation: enough for a dashboard, too few to multiply an expensive field. */
  maxAliases: 30,
  /** Lexical tokens of the document, enforced by the parser itself. */
  maxTokens: 5000,
  /** Estimated objects and object fields the operation may return (see `costEstimator`). */
  maxCost: 100_000,
} as const;

/** List fields that are not connections have no page size: assume this many items. */
export const LIST_SIZE_ESTIMATE = 10;

/**
 * Cost = the objects an operation can return, each object field counting 1 and leaves 0: a
 * connection costs first (or last, or the default page size) times its node's cost; a plain
 * list of objects costs LIST_SIZE_ESTIMATE times. Fields may override it with type-graphql's
 * `complexity` option (read by fieldExtensionsEstimator first).
 */
const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const named = getNamedType(field.type);
  if (isLeafType(named)) return 0;
  // A connection's `edges` list is sized by the connection field above it.
  if (type.name.endsWith('Connection') && field.name === 'edges') return childComplexity;
  if (named.name.endsWith('Connection')) {
    const size = (args.first as number | undefined) ?? (args.last as number | undefined) ?? DEFAULT_PAGE_SIZE;
    return 1 + Math.max(0, size) * childComplexity;
  }
  if (isListType(getNullableType(field.type))) return 1 + LIST_SIZE_ESTIMATE * (1 + childComplexity);
  return 1 + childComplexity;
};

function tooComplex(message: string, extensions: Record<string, unknown>): AppError {
  return new AppError(ErrorCode.QUERY_TOO_COMPLEX, message, extensions);
}

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

/** Throws QUERY_TOO_COMPLEX naming the limit and the measured value; returns the cost. */
export function checkQueryLimits(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const { depth, aliases } = measure(operation, document);
  if (depth > QUERY_LIMITS.maxDepth) {
    throw tooComplex(`Query depth ${depth} is over the limit of ${QUERY_LIMITS.maxDepth}`, { limit: QUERY_LIMITS.maxDepth, depth });
  }
  if (aliases > QUERY_LIMITS.maxAliases) {
    throw tooComplex(`The query uses ${aliases} aliases; the limit is ${QUERY_LIMITS.maxAliases}`, { limit: QUERY_LIMITS.maxAliases, aliases });
  }
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName: operation.name?.value,
      variables,
      estimators: [fieldExtensionsEstimator(), costEstimator],
    });
  } catch {
    // Variables that do not fit their types: execution reports them as BAD_USER_INPUT.
    return 0;
  }
  if (cost > QUERY_LIMITS.maxCost) {
    throw tooComplex(`Query cost ${cost} is over the limit of ${QUERY_LIMITS.maxCost}; ask for smaller pages (first/last) or fewer nested lists`, {
      limit: QUERY_LIMITS.maxCost,
      cost,
    });
  }
  return cost;
}

export function queryLimitsPlugin(schema: GraphQLSchema): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (operation) checkQueryLimits(schema, document, operation, request.variables ?? {});
        },
      };
    },
  };
}
