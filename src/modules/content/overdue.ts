/**
 * "Is it late?" in SQL, one definition for every query that asks (Query.content, Campaign.content,
 * Campaign.contentOverdue, enrollments(filter: { contentOverdue }), the sweep). Each takes the
 * alias of a `content` row and compares with the parameter `:now` (see clock.ts).
 */

/** When a piece must be live: its dueAt, else the end of its enrollment's contentDueDate in the shop's time zone. */
export function postDueSql(a: string): string {
  return (
    `COALESCE("${a}"."due_at", (SELECT CAST(e.content_due_date + 1 AS timestamp) AT TIME ZONE s.time_zone ` +
    `FROM campaign_enrollments e JOIN shops s ON s.id = "${a}"."shop_id" WHERE e.id = "${a}"."enrollment_id"))`
  );
}

/** Not yet LIVE (or REMOVED), and its posting due time has passed. */
export function overduePostSql(a: string): string {
  // COALESCE: no due time at all is not late (and NOT of it is true, not NULL).
  return `("${a}"."status" NOT IN ('LIVE', 'REMOVED') AND COALESCE(${postDueSql(a)} < :now, false))`;
}

/** SUBMITTED, and its review due time (submittedAt + the agency's review SLA) has passed. */
export function overdueReviewSql(a: string): string {
  return `("${a}"."status" = 'SUBMITTED' AND COALESCE("${a}"."review_due_at" < :now, false))`;
}

export function overdueSql(a: string): string {
  return `(${overdueReviewSql(a)} OR ${overduePostSql(a)})`;
}

/** Enrollment states in which content is still expected. */
const WAITING_FOR_CONTENT = `('ACCEPTED', 'SAMPLE_SHIPPED', 'SAMPLE_DELIVERED', 'CONTENT_IN_REVIEW')`;

/**
 * An enrollment is late with its content when one of its pieces is overdue, or when it still owes
 * content (accepted, not posted, not removed), its contentDueDate has ended in the shop's time
 * zone, and nothing of it is live.
 */
export function enrollmentContentOverdueSql(a: string): string {
  return (
    `(EXISTS (SELECT 1 FROM content ct WHERE ct.enrollment_id = "${a}"."id" AND ${overdueSql('ct')})` +
    ` OR ("${a}"."status" IN ${WAITING_FOR_CONTENT} AND "${a}"."content_due_date" IS NOT NULL` +
    ` AND CAST("${a}"."content_due_date" + 1 AS timestamp) AT TIME ZONE (SELECT s.time_zone FROM campaigns cp JOIN shops s ON s.id = cp.shop_id WHERE cp.id = "${a}"."campaign_id") < :now` +
    ` AND NOT EXISTS (SELECT 1 FROM content lv WHERE lv.enrollment_id = "${a}"."id" AND lv.status = 'LIVE')))`
  );
}
