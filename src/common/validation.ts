import { ValidationError, validate } from 'class-validator';
import { getNamedType, GraphQLResolveInfo } from 'graphql';
import { ResolverData } from 'type-graphql';
import { AppError, FieldErrors } from './errors';

function flatten(errors: ValidationError[], prefix: string, into: FieldErrors): void {
  for (const error of errors) {
    const path = `${prefix}.${error.property}`;
    if (error.constraints) (into[path] ??= []).push(...Object.values(error.constraints));
    if (error.children?.length) flatten(error.children, path, into);
  }
}

/**
 * The name of the argument of the current field whose input type is `argType`; undefined for
 * an @ArgsType class, whose properties are the arguments themselves.
 */
function argumentName(info: GraphQLResolveInfo, argType: unknown): string | undefined {
  const typeName = typeof argType === 'function' ? argType.name : undefined;
  const field = info.parentType.getFields()[info.fieldName];
  return field?.args.find((a) => getNamedType(a.type).name === typeName)?.name;
}

/**
 * class-validator over every input object argument, reporting errors by input path
 * ("input.name", "products.3.sku") in `extensions.fields`, as the contract asks.
 */
export async function validateArgument(argValue: unknown, argType: unknown, { info }: ResolverData<object>): Promise<void> {
  if (argValue === null || typeof argValue !== 'object') return;
  const name = argumentName(info, argType);
  const items: Array<[string, object]> = Array.isArray(argValue)
    ? argValue.map((item, i) => [`${name}.${i}`, item])
    : [[name ?? '', argValue]];
  const fields: FieldErrors = {};
  for (const [prefix, item] of items) {
    if (item === null || typeof item !== 'object') continue;
    const errors = await validate(item, { skipMissingProperties: true, forbidUnknownValues: false });
    const local: FieldErrors = {};
    flatten(errors, '', local);
    for (const [path, messages] of Object.entries(local)) fields[prefix ? prefix + path : path.slice(1)] = messages;
  }
  if (Object.keys(fields).length > 0) {
    const [path, messages] = Object.entries(fields)[0];
    throw AppError.badInput(fields, `${path}: ${messages[0]}`);
  }
}
