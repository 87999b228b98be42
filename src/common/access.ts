import { AuthChecker, registerEnumType } from 'type-graphql';
import type { RequestContext } from './context';
import { Role } from './role';
import { AppError, ErrorCode } from './errors';

/** What an operation needs; each root field declares one with @Authorized(Permission.X). */
export enum Permission {
  /** Read the agency's data (a client viewer: only their client's). */
  READ = 'READ',
  /** Create and change client work: clients, shops, products, creators, campaigns, content. */
  WRITE = 'WRITE',
  /** Members, API keys, agency settings, the audit log. */
  ADMIN = 'ADMIN',
  /** The ingest mutations (orders, daily stats, shop health). */
  INGEST = 'INGEST',
  /** Alert queries and subscriptions. */
  ALERTS = 'ALERTS',
  /** Create payout runs. */
  PAYOUT_CREATE = 'PAYOUT_CREATE',
  /** Approve, pay and void payouts. */
  PAYOUT_APPROVE = 'PAYOUT_APPROVE',
  /** Change the caller's own sign-in (password): every member, never an API key. */
  OWN_ACCOUNT = 'OWN_ACCOUNT',
}

export enum ApiScope {
  READ = 'READ',
  WRITE = 'WRITE',
  INGEST = 'INGEST',
  ALERTS = 'ALERTS',
}
registerEnumType(ApiScope, { name: 'ApiScope' });

const P = Permission;

/** The role table (README "Who may do what"); tests walk it for every root field. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.AGENCY_ADMIN]: [P.READ, P.WRITE, P.ADMIN, P.INGEST, P.ALERTS, P.PAYOUT_CREATE, P.PAYOUT_APPROVE, P.OWN_ACCOUNT],
  [Role.SENIOR_ACCOUNT_MANAGER]: [P.READ, P.WRITE, P.INGEST, P.ALERTS, P.PAYOUT_CREATE, P.PAYOUT_APPROVE, P.OWN_ACCOUNT],
  [Role.ACCOUNT_MANAGER]: [P.READ, P.WRITE, P.INGEST, P.ALERTS, P.PAYOUT_CREATE, P.OWN_ACCOUNT],
  [Role.ANALYST]: [P.READ, P.ALERTS, P.OWN_ACCOUNT],
  [Role.CLIENT_VIEWER]: [P.READ, P.ALERTS, P.OWN_ACCOUNT],
};

/** What an API key's scopes allow; never OWN_ACCOUNT: a key has no password, and a leaked key must not take over a member. */
export const SCOPE_PERMISSIONS: Record<ApiScope, readonly Permission[]> = {
  [ApiScope.READ]: [P.READ, P.ALERTS],
  [ApiScope.WRITE]: [P.WRITE],
  [ApiScope.INGEST]: [P.INGEST],
  [ApiScope.ALERTS]: [P.ALERTS],
};

export function permissionsOf(role: Role | null, scopes: readonly ApiScope[]): Set<Permission> {
  if (role) return new Set(ROLE_PERMISSIONS[role]);
  return new Set(scopes.flatMap((s) => SCOPE_PERMISSIONS[s]));
}

/** type-graphql's auth checker: the caller needs one of the permissions the field lists. */
export const authChecker: AuthChecker<RequestContext, Permission> = ({ context, info }, required) => {
  const viewer = context.viewer;
  if (!viewer) throw AppError.unauthenticated(context.authProblem ?? undefined);
  if (required.length === 0 || required.some((p) => viewer.permissions.has(p))) return true;
  const who = viewer.role ? `role ${viewer.role}` : `this API key (scopes ${viewer.scopes.join(', ') || 'none'})`;
  throw new AppError(ErrorCode.FORBIDDEN, `${info.fieldName} needs ${required.join(' or ')}, which ${who} does not have`, {
    required,
  });
};
