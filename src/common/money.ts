import { Field, InputType, ObjectType } from 'type-graphql';
import { CurrencyResolver, SafeIntResolver } from 'graphql-scalars';
import { ValueTransformer } from 'typeorm';
import { Min, ValidateBy, ValidationArguments } from 'class-validator';

const minorDigitsCache = new Map<string, number>();

/** Digits after the decimal point in a currency's minor unit (USD 2, JPY 0, KWD 3), from ICU. */
export function minorUnitDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/** Exact decimal string of an amount in minor units: (123450, USD) -> "1234.50". No floats. */
export function formatMinor(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amountMinor < 0;
  const abs = BigInt(Math.abs(amountMinor)).toString();
  if (digits === 0) return (negative ? '-' : '') + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

@ObjectType({ description: 'An amount of money: integer minor units plus the currency; never a float.' })
export class Money {
  @Field(() => SafeIntResolver, { description: "Integer amount in the currency's minor unit (cents)." })
  amountMinor: number;

  @Field(() => CurrencyResolver)
  currency: string;

  constructor(amountMinor: number, currency: string) {
    this.amountMinor = amountMinor;
    this.currency = currency;
  }

  @Field(() => String, { description: 'The exact decimal amount as a string, e.g. "1234.50".' })
  get amount(): string {
    return formatMinor(this.amountMinor, this.currency);
  }

  /** Null-safe constructor for optional money columns. */
  static of(amountMinor: number | null | undefined, currency: string | null | undefined): Money | null {
    return amountMinor === null || amountMinor === undefined || !currency ? null : new Money(amountMinor, currency);
  }
}

/**
 * An exact decimal amount in the currency's major unit ("12.34", "1234", "0.5") to integer minor
 * units, or a reason it is not one: no sign, no exponent, no more decimals than the currency has
 * (USD 2, JPY 0, KWD 3), and within the safe integer range. Platform exports send money this way.
 */
export function parseDecimalMinor(amount: string, currency: string): { minor: number } | { error: string } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return { error: `must be a decimal amount such as "12.34", got "${amount.slice(0, 40)}"` };
  const digits = minorUnitDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    // Trailing zeros beyond the minor unit say nothing ("12.340"); other digits would be rounded.
    if (!/^0*$/.test(fraction.slice(digits))) return { error: `has more decimals than ${currency} has (${digits})` };
  }
  const minor = BigInt(match[1]) * 10n ** BigInt(digits) + BigInt((fraction.slice(0, digits) || '0').padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { error: 'is too large' };
  return { minor: Number(minor) };
}

/**
 * `amount` (a decimal string) stands in for `amountMinor`: when valid it is converted into
 * amountMinor during validation, so services read amountMinor whichever form was sent.
 */
function DecimalAmount(): PropertyDecorator {
  return ValidateBy({
    name: 'decimalAmount',
    validator: {
      validate(value: unknown, args?: ValidationArguments): boolean {
        const money = args!.object as MoneyInput;
        if (typeof value !== 'string') return false;
        if (money.amountMinor !== null && money.amountMinor !== undefined && !(money as { fromAmount?: boolean }).fromAmount) return false;
        const parsed = parseDecimalMinor(value, money.currency);
        if ('error' in parsed) return false;
        money.amountMinor = parsed.minor;
        Object.defineProperty(money, 'fromAmount', { value: true, enumerable: false });
        return true;
      },
      defaultMessage(args?: ValidationArguments): string {
        const money = args!.object as MoneyInput;
        if (typeof args!.value !== 'string') return 'must be a decimal string';
        const parsed = parseDecimalMinor(args!.value, money.currency);
        return 'error' in parsed ? parsed.error : 'give amountMinor or amount, not both';
      },
    },
  });
}

/** One of amountMinor and amount is required; runs even though inputs skip missing properties. */
function AmountGiven(): PropertyDecorator {
  return ValidateBy({
    name: 'isDefined', // class-validator runs validators of this name on missing values too
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (value !== null && value !== undefined) || typeof (args!.object as MoneyInput).amount === 'string',
      defaultMessage: () => 'give amountMinor (integer minor units) or amount (a decimal string)',
    },
  });
}

@InputType({
  description:
    'An amount and its currency; amounts are never negative. Give amountMinor (integer minor units, cents) or amount ' +
    '(an exact decimal string in the major unit, "12.34", as platform exports send it), not both.',
})
export class MoneyInput {
  @Field(() => SafeIntResolver, { nullable: true, description: "Integer amount in the currency's minor unit (cents)." })
  @AmountGiven()
  @Min(0)
  amountMinor: number;

  @Field(() => String, {
    nullable: true,
    description: 'The amount as an exact decimal string ("12.34"), with no more decimals than the currency has. Instead of amountMinor.',
  })
  @DecimalAmount()
  amount?: string | null;

  @Field(() => CurrencyResolver)
  currency: string;
}

/**
 * PostgreSQL returns bigint as a string; money columns are converted here, at the entity
 * boundary, and refuse values JavaScript cannot hold exactly.
 */
export const bigintMinorTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null || value === undefined) return value;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`bigint ${value} exceeds the safe integer range`);
    return n;
  },
};
