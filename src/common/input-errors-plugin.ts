import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import {
  ASTNode,
  coerceInputValue,
  DocumentNode,
  getOperationAST,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isRequiredInputField,
  Kind,
  OperationDefinitionNode,
  SourceLocation,
  typeFromAST,
  TypeInfo,
  ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { AppError, ErrorCode, FieldErrors, summarize } from './errors';
import { textProblems } from './text-input';

/** One problem of an argument's value: its path from the argument ("input.email") and a short message. */
interface Problem {
  path: string;
  message: string;
  location?: SourceLocation;
  /** The message graphql-js gave the same problem, to recognise its error. */
  graphqlMessage?: string;
}

/**
 * graphql-js's sentences about one value, made short; a missing or unknown field moves the path
 * down to that field: (["price"], 'Field "currency" of required type "Currency!" was not provided.')
 * -> ["price", "currency"], "is required".
 */
function shorten(path: Array<string | number>, message: string): { path: Array<string | number>; message: string } {
  let m = /^Field "(?:\w+\.)?(\w+)" of required type ".*" was not provided\.$/s.exec(message);
  if (m) return { path: [...path, m[1]], message: 'is required' };
  m = /^Field "(\w+)" is not defined by type "(\w+)"\.(.*)$/s.exec(message);
  if (m) return { path: [...path, m[1]], message: `is not a field of ${m[2]}.${m[3]}`.replace(/\.$/, '') };
  if (/^Expected non-nullable type ".*" not to be null\.$|^Expected value of type ".*!", found null\.$/s.test(message)) {
    return { path, message: 'must not be null' };
  }
  m = /^Field "(?:\w+\.)?(\w+)" must be non-null\.$/.exec(message);
  if (m) return { path: [...path, m[1]], message: 'must not be null' };
  return { path, message: message.replace(/^Expected type "\w+"\. /, '') };
}

const joinPath = (path: Array<string | number>) => path.join('.');

/** Where the operation first passes `$name`: the argument path ("input", "input.shopId", "products.2"). */
function variableUses(document: DocumentNode, operation: OperationDefinitionNode): Map<string, Array<string | number>> {
  const uses = new Map<string, Array<string | number>>();
  const walk = (value: ValueNode, path: Array<string | number>): void => {
    if (value.kind === Kind.VARIABLE) {
      if (!uses.has(value.name.value)) uses.set(value.name.value, path);
    } else if (value.kind === Kind.LIST) value.values.forEach((item, i) => walk(item, [...path, i]));
    else if (value.kind === Kind.OBJECT) value.fields.forEach((field) => walk(field.value, [...path, field.name.value]));
  };
  // The operation first, then the fragments it may spread, in document order.
  const roots = [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)];
  for (const root of roots) visit(root, { Argument: (arg) => walk(arg.value, [arg.name.value]) });
  return uses;
}

/** Every variable problem, re-coerced with paths graphql-js only prints inside a sentence. */
function variableProblems(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): Problem[] {
  const uses = variableUses(document, operation);
  const problems: Problem[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const base = uses.get(name) ?? [name];
    const add = (path: Array<string | number>, message: string) => {
      const short = shorten(path, message);
      problems.push({ path: joinPath([...base, ...short.path]), message: short.message, location: definition.variable.loc?.startToken });
    };
    if (!(name in variables)) {
      if (isNonNullType(type) && !definition.defaultValue) add([], 'is required');
      continue;
    }
    coerceInputValue(variables[name], type, (path, _invalid, error) => add([...path], error.message));
  }
  return problems;
}

/** Every bad literal of an argument, with its path and location (ValuesOfCorrectTypeRule, with paths). */
function literalProblems(schema: GraphQLSchema, document: DocumentNode): Problem[] {
  const problems: Problem[] = [];
  // `at`: the node graphql-js points to for this problem, to recognise its error by location.
  const add = (path: Array<string | number>, at: ASTNode, graphqlMessage: string) => {
    const short = shorten(path, graphqlMessage);
    const location = at.loc ? { line: at.loc.startToken.line, column: at.loc.startToken.column } : undefined;
    problems.push({ path: joinPath(short.path), message: short.message, location, graphqlMessage });
  };
  const check = (node: ValueNode, type: GraphQLInputType, path: Array<string | number>): void => {
    if (node.kind === Kind.VARIABLE) return;
    if (isNonNullType(type)) {
      if (node.kind === Kind.NULL) add(path, node, `Expected value of type "${type}", found null.`);
      else check(node, type.ofType, path);
    } else if (node.kind === Kind.NULL) {
      return;
    } else if (isListType(type)) {
      if (node.kind === Kind.LIST) node.values.forEach((item, i) => check(item, type.ofType, [...path, i]));
      else check(node, type.ofType, path);
    } else if (isInputObjectType(type)) {
      if (node.kind !== Kind.OBJECT) return add(path, node, `Expected value of type "${type}", found a ${node.kind}.`);
      const fields = type.getFields();
      const given = new Map(node.fields.map((f) => [f.name.value, f]));
      for (const field of Object.values(fields)) {
        if (!given.has(field.name) && isRequiredInputField(field)) {
          add(path, node, `Field "${type.name}.${field.name}" of required type "${field.type}" was not provided.`);
        }
      }
      for (const field of node.fields) {
        const definition = fields[field.name.value];
        if (definition) check(field.value, definition.type, [...path, field.name.value]);
        else add(path, field, `Field "${field.name.value}" is not defined by type "${type.name}".`);
      }
    } else if (isLeafType(type)) {
      try {
        if (type.parseLiteral(node, undefined) === undefined) add(path, node, `Expected value of type "${type}".`);
      } catch (error) {
        add(path, node, error instanceof Error ? error.message : String(error));
      }
    }
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(arg) {
        const type = typeInfo.getArgument()?.type;
        if (type) check(arg.value, type, [arg.name.value]);
      },
    }),
  );
  return problems;
}

const sameLocation = (a: SourceLocation | undefined, b: SourceLocation | undefined) => !!a && !!b && a.line === b.line && a.column === b.column;

/** Whether graphql-js's error `raw` reports `problem` (by where it points, or by its words when it points nowhere). */
function reports(raw: GraphQLError, problem: Problem): boolean {
  if (raw.locations?.length) return raw.locations.some((l) => sameLocation(l, problem.location));
  return !!problem.graphqlMessage && raw.message === problem.graphqlMessage;
}

/** One BAD_USER_INPUT error listing every problem by argument path. */
function merged(problems: Problem[]): GraphQLFormattedError {
  const fields: FieldErrors = {};
  const locations: SourceLocation[] = [];
  for (const problem of problems) {
    if (fields[problem.path]) continue; // one message per path; a variable used twice is named where first passed
    fields[problem.path] = [problem.message];
    if (problem.location && !locations.some((l) => sameLocation(l, problem.location))) {
      locations.push({ line: problem.location.line, column: problem.location.column });
    }
  }
  return { message: summarize(fields), ...(locations.length ? { locations } : {}), extensions: { code: ErrorCode.BAD_USER_INPUT, fields } };
}

function rewrite(ctx: GraphQLRequestContextWillSendResponse<object>): void {
  const { response, errors, document, schema, operation } = ctx;
  if (response.body.kind !== 'single' || !errors?.length || !document) return;
  const result = response.body.singleResult;
  if (result.data !== undefined || result.errors?.length !== errors.length) return;

  // The request's variables do not fit their types: graphql-js said so before executing.
  if (operation && errors.some((e) => /^Variable "\$\w+"/.test(e.message))) {
    const variables = ctx.request.variables ?? {};
    const problems = variableProblems(schema, document, operation, variables);
    if (problems.length === 0) return;
    // Text problems (NUL, over-long) of the same request, so one response lists them all.
    problems.push(...textProblems(schema, document, operation, variables));
    const rest = result.errors.filter((_, i) => !/^Variable "\$\w+"/.test(errors[i].message));
    response.body.singleResult = { ...result, errors: [merged(problems), ...rest] };
    return;
  }

  // Literals written in the document that do not fit their types (validation, before executing).
  // (Not a refusal of our own validation rule: it stopped validation, and the document may be huge.)
  if (errors.every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && !(e.originalError instanceof AppError))) {
    const problems = literalProblems(schema, document);
    const matched = errors.map((raw) => problems.some((p) => reports(raw, p)));
    if (!matched.some(Boolean)) return;
    const selected = getOperationAST(document, ctx.request.operationName);
    if (selected) problems.push(...textProblems(schema, document, selected, ctx.request.variables ?? {}));
    const rest = result.errors.filter((_, i) => !matched[i]);
    response.body.singleResult = { ...result, errors: [merged(problems), ...rest] };
  }
}

/**
 * Reports bad argument values the same way whether they came inline or as variables: one
 * BAD_USER_INPUT error whose `extensions.fields` keys are argument paths ("input.email",
 * "products.3.sku") with a short message each. graphql-js reports these before execution, one
 * sentence per problem naming the variable ("$in" ... at "in.email"), or with no path at all
 * for a literal; this maps each to where the operation passes it.
 */
export function inputErrorsPlugin(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(ctx) {
          rewrite(ctx);
        },
      };
    },
  };
}
