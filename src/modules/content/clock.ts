/**
 * The creator workflow's clock: submission times, review due times and every "is it overdue"
 * question read it. Tests (which run the server in-process) set `contentClock.now` to a fixed
 * instant to walk time forward; production never touches it.
 */
export const contentClock = {
  now: (): Date => new Date(),
};

/** The review SLA when the agency has not set `settings.contentReviewSlaHours`. */
export const DEFAULT_REVIEW_SLA_HOURS = 48;

/** The agency setting, if it is a sensible number of hours (0 < h <= 1 year); else the default. */
export function reviewSlaHours(settings: Record<string, unknown> | null | undefined): number {
  const value = settings?.contentReviewSlaHours;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 24 * 366 ? value : DEFAULT_REVIEW_SLA_HOURS;
}
