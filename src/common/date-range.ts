import { Field, InputType } from 'type-graphql';
import { AppError } from './errors';
import { LocalDate } from './scalars';

/** Calendar days in the shop's time zone, inclusive at both ends (from <= to). */
@InputType({ description: "Calendar days in the shop's time zone, inclusive at both ends." })
export class DateRangeInput {
  @Field(() => LocalDate)
  from: string;

  @Field(() => LocalDate)
  to: string;
}

/** BAD_USER_INPUT on `<path>.to` when the range ends before it starts. */
export function checkDateRange(range: DateRangeInput, path = 'range'): void {
  if (range.to < range.from) throw AppError.badField(`${path}.to`, `must be on or after ${path}.from`);
}
