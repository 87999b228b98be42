import { ValidationError, validate } from 'class-validator';
import { getNamedType, GraphQLResolveInfo } from 'graphql';
import { ResolverData } from 'type-graphql';
import { FieldErrorCollector, FieldErrors } from './errors';

/** "name must not be blank" -> "must not be blank": the field path already names the property. */
function shortMessage(property: string, message: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

function flatten(errors: ValidationError[], prefix: string, into: FieldErrors): void {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    // stopAtFirstError: one message per value (an empty SKU is "blank", not also "too short").
    const [message] = Object.values(error.constraints ?? {});
    if (message) into[path] = [shortMessage(error.property, message)];
    if (error.children?.length) flatten(error.children, path, into);
  }
}

/**
 * class-validator over an input object or a list of them, errors keyed by input path
 * ("input.name", "products.3.sku"), one message per path.
 */
export async function validateInput(value: unknown, path: string): Promise<FieldErrorCollector> {
  const items: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, i) => [`${path}.${i}`, item]) : [[path, value]];
  const fields: FieldErrors = {};
  for (const [prefix, item] of items) {
    if (item === null || typeof item !== 'object') continue;
    const errors = await validate(item, { skipMissingProperties: true, forbidUnknownValues: false, stopAtFirstError: true });
    flatten(errors, prefix, fields);
  }
  return new FieldErrorCollector(fields);
}

const validatedByService = new WeakSet<object>();

/**
 * Marks an input class whose service calls validateInput itself, so class-validator's problems
 * and the service's own rules (currency of the shop, dates against the stored ones, duplicates)
 * come back together in one response instead of one after the other.
 */
export function ValidatedByService(): ClassDecorator {
  return (target) => {
    validatedByService.add(target);
  };
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
 * type-graphql's validateFn: class-validator over every input object argument, reporting errors
 * by input path in `extensions.fields`, as the contract asks. Inputs marked @ValidatedByService
 * are left to their service.
 */
export async function validateArgument(argValue: unknown, argType: unknown, { info }: ResolverData<object>): Promise<void> {
  if (argValue === null || typeof argValue !== 'object') return;
  if (typeof argType === 'function' && validatedByService.has(argType)) return;
  const errors = await validateInput(argValue, argumentName(info, argType) ?? '');
  errors.throwIfAny();
}
