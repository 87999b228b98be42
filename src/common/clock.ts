/**
 * The one clock for rules that depend on the calendar day (creator tiers, "not in the future"
 * checks). Tests move it with setClock; everything else reads the real time.
 */
let now: () => Date = () => new Date();

export function currentTime(): Date {
  return now();
}

/** Today's calendar day in UTC, 'YYYY-MM-DD'. */
export function todayUtc(): string {
  return now().toISOString().slice(0, 10);
}

/** Today's calendar day in an IANA time zone, 'YYYY-MM-DD'. */
export function todayIn(timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now());
}

/** Tests only: fixes "now" (a Date or an ISO instant); with no argument, back to the real time. */
export function setClock(at?: Date | string): void {
  if (at === undefined) {
    now = () => new Date();
    return;
  }
  const fixed = new Date(at);
  if (Number.isNaN(fixed.getTime())) throw new Error(`setClock: not an instant: ${String(at)}`);
  now = () => new Date(fixed.getTime());
}
