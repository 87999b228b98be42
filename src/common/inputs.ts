import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Characters that show nothing: white space, format characters (\p{Cf}: zero-width space and
 * joiners, BOM, soft hyphen, direction marks), controls, and the Hangul and Braille blanks.
 */
const INVISIBLE = /[\s\p{Cf}\p{Cc}\u034F\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** Whether a text is empty once its invisible characters are taken out. */
export function isBlank(value: string): boolean {
  return value.replace(INVISIBLE, '').length === 0;
}

/** A required text that shows something: more than white space and invisible characters. */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !isBlank(value),
        defaultMessage: () => '$property must not be blank',
      },
    },
    options,
  );
}
