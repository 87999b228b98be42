import { ValidateBy } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FieldErrorCollector } from './errors';
import { LocalDate } from './scalars';

/** The longest range a DateRangeInput may span: 1,096 days, any three calendar years. */
export const MAX_RANGE_DAYS = 1096;

const DAY_MS = 86_400_000;

/** Days from `from` to `to` counting both ends ('2026-01-01'..'2026-01-01' is 1). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The problem with a range's end, or null: `to` before `from`, or a span over MAX_RANGE_DAYS. */
export function rangeProblem(from: string, to: string): string | null {
  if (to < from) return `must be on or after from (${from})`;
  if (daysInRange(from, to) > MAX_RANGE_DAYS) return `the range may span at most ${MAX_RANGE_DAYS} days`;
  return null;
}

/** class-validator rule on `to`: reported at "<argument>.to", with the other problems of the input. */
function ValidRangeEnd(): PropertyDecorator {
  return ValidateBy({
    name: 'validRangeEnd',
    validator: {
      validate: (to: unknown, args) => {
        const from = (args?.object as DateRangeInput | undefined)?.from;
        return typeof to !== 'string' || typeof from !== 'string' || rangeProblem(from, to) === null;
      },
      defaultMessage: (args) => rangeProblem((args?.object as DateRangeInput).from, args?.value as string) ?? 'invalid range',
    },
  });
}

@InputType({ description: `Calendar days, inclusive at both ends (in the shop's time zone where a shop is concerned); at most ${MAX_RANGE_DAYS} days.` })
export class DateRangeInput {
  @Field(() => LocalDate)
  from: string;

  @Field(() => LocalDate, { description: 'On or after `from`.' })
  @ValidRangeEnd()
  to: string;
}

/** For services that validate an input themselves: adds the range's problem at `<path>.to`. */
export function checkDateRange(range: { from: string; to: string }, path: string, errors: FieldErrorCollector): void {
  const problem = rangeProblem(range.from, range.to);
  if (problem) errors.add(`${path}.to`, problem);
}

/**
 * Calendar-day arithmetic on 'YYYY-MM-DD' strings. A LocalDate has no time zone of its own: it is
 * a day of the shop's calendar, so the arithmetic runs on UTC midnights, where every day has 24 hours.
 */

/** Midnight UTC of a calendar day, in milliseconds: compare days by this, not as strings (years past 9999 print as '+010000'). */
export function toUtc(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return fromUtc(toUtc(day) + days * DAY_MS);
}

/** The first day of the month `months` after `day`'s month. */
export function addMonths(day: string, months: number): string {
  const d = new Date(toUtc(day));
  return fromUtc(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** 1 = Monday … 7 = Sunday (ISO). */
export function isoWeekday(day: string): number {
  return ((new Date(toUtc(day)).getUTCDay() + 6) % 7) + 1;
}

/** The range of the same number of days just before `range` (for previousTotals). */
export function previousRange(range: { from: string; to: string }): { from: string; to: string } {
  const days = daysInRange(range.from, range.to);
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}
