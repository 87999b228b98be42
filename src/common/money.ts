import { Field, InputType, ObjectType } from 'type-graphql';
import { CurrencyResolver, SafeIntResolver } from 'graphql-scalars';
import { ValueTransformer } from 'typeorm';
import { Min } from 'class-validator';

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

@InputType({ description: 'An amount in minor units (cents) and its currency; amounts are never negative.' })
export class MoneyInput {
  @Field(() => SafeIntResolver)
  @Min(0)
  amountMinor: number;

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
