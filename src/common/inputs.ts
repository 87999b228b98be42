import { Matches, ValidationOptions } from 'class-validator';

/** A required text that is more than white space. */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return Matches(/\S/, { message: '$property must not be blank', ...options });
}
