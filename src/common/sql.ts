/** Escapes LIKE/ILIKE wildcards so a search string matches literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** PostgreSQL's unique_violation: a concurrent insert won the race. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const driverError = (err as { driverError?: { code?: string; constraint?: string } })?.driverError;
  return driverError?.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}
