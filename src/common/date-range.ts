import { Field, InputType } from 'type-graphql';
import { FieldErrorCollector } from './errors';
import { LocalDate } from './scalars';

/**
 * Calendar-day arithmetic on 'YYYY-MM-DD' strings. A LocalDate has no time zone of its own: it is
 * a day of the shop's calendar, so the arithmetic runs on UTC midnights, where every day has 24 hours.
 */

const DAY_MS = 86_400_000;

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

/** Days from `from` to `to`, both included (1 for a single day). */
export function daysInclusive(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS) + 1;
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

/** Today in an IANA time zone, as a calendar day. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The longest range a request may ask for: three years (with a leap day). */
export const MAX_RANGE_DAYS = 3 * 365 + 1;

@InputType({ description: "Calendar days in the shop's time zone, both ends included (from <= to, at most 1,096 days)." })
export class DateRangeInput {
  @Field(() => LocalDate)
  from: string;

  @Field(() => LocalDate)
  to: string;
}

/** BAD_USER_INPUT naming `<path>.to` when the range is reversed or longer than MAX_RANGE_DAYS. */
export function checkDateRange(range: DateRangeInput, path = 'range'): void {
  const errors = new FieldErrorCollector();
  if (range.to < range.from) errors.add(`${path}.to`, `must be on or after from (${range.from})`);
  else if (daysInclusive(range.from, range.to) > MAX_RANGE_DAYS) errors.add(`${path}.to`, `a range spans at most ${MAX_RANGE_DAYS} days`);
  errors.throwIfAny();
}

/** The range of the same number of days just before `range` (for previousTotals). */
export function previousRange(range: DateRangeInput): DateRangeInput {
  const days = daysInclusive(range.from, range.to);
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}
