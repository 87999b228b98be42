import { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { Member } from '../modules/member/member.entity';
import { ApiKey } from '../modules/api-key/api-key.entity';
import { apiKeyMatches, apiKeyPrefix } from '../modules/api-key/api-key.secrets';
import { permissionsOf } from './access';
import { RequestContext, Viewer } from './context';
import { AppError } from './errors';
import { TokenClaims, verifyToken } from './tokens';
import type { MemberIdentity } from '../db/tenant-scope';

/** Root fields anyone may call; introspection too when INTROSPECTION=public (Sandbox shows login). */
const PUBLIC_ROOT_FIELDS = new Set(['login', '__typename']);
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** The viewer of a member row, with the permissions of its role. */
export function memberViewer(member: Pick<Member, 'id' | 'agencyId' | 'role' | 'clientId'>): Viewer {
  return {
    agencyId: member.agencyId,
    memberId: member.id,
    role: member.role,
    apiKeyId: null,
    scopes: [],
    clientId: member.clientId,
    permissions: permissionsOf(member.role, []),
  };
}

/** lastUsedAt is kept to the minute: one write a minute per busy key, not one per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Row-level security hides every agency's rows until the agency is known, so the key's owner is
 * found through a SECURITY DEFINER function that returns ids only (TenantScope.openForApiKey);
 * login looks up members the same way, in MemberService.login.
 */
async function signInWithApiKey(ctx: RequestContext, secret: string, prefix: string): Promise<string | null> {
  const owner = await ctx.enterWithApiKey(prefix);
  if (!owner) return 'Invalid API key';
  const key = await ctx.em.getRepository(ApiKey).findOne({ where: { id: owner.keyId } });
  if (!key || !apiKeyMatches(secret, key.secretHash)) return 'Invalid API key';
  if (key.revokedAt) return 'This API key was revoked';
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await ctx.em.getRepository(ApiKey).update({ id: key.id }, { lastUsedAt: new Date() });
  }
  ctx.signedIn({
    agencyId: key.agencyId,
    memberId: null,
    role: null,
    apiKeyId: key.id,
    scopes: key.scopes,
    clientId: null,
    permissions: permissionsOf(null, key.scopes),
  });
  return null;
}

/**
 * Members this node has signed in, as the database last showed them: a request of theirs may
 * act on this before the database confirms it (see TenantScope.openSpeculative), never answer
 * or write on it. Bounded, oldest out.
 */
const seenMembers = new Map<string, MemberIdentity>();
const MAX_SEEN_MEMBERS = 10_000;

/** Keeps (or forgets) what the database showed of a member. */
export function rememberMember(memberId: string, member: MemberIdentity | null): void {
  seenMembers.delete(memberId);
  if (!member || member.deactivatedAt) return;
  if (seenMembers.size >= MAX_SEEN_MEMBERS) seenMembers.delete(seenMembers.keys().next().value!);
  seenMembers.set(memberId, member);
}

async function signInWithToken(
  ctx: RequestContext,
  config: Config,
  token: string,
  verified: TokenClaims | { problem: string } | undefined,
  speculate: boolean,
): Promise<string | null> {
  const claims = verified ?? verifyToken(token, config.jwtSecret);
  if ('problem' in claims) return claims.problem;
  const seen = speculate ? seenMembers.get(claims.memberId) : undefined;
  if (seen && seen.agencyId === claims.agencyId) {
    // Confirmed (or the request run again the usual way) before anything is answered or written.
    await ctx.enterAgencyAsSeen(seen);
    void ctx.memberConfirmed()!.then(({ same, member }) => {
      if (!same) rememberMember(claims.memberId, member);
    });
    ctx.signedIn(memberViewer(seen));
    return null;
  }
  // The claim is signed, so it may scope the look-up of the member it names.
  const member = await ctx.enterAgencyAs(claims.agencyId, claims.memberId);
  if (!member || member.agencyId !== claims.agencyId) {
    rememberMember(claims.memberId, null);
    return 'This member no longer exists';
  }
  rememberMember(claims.memberId, member);
  if (member.deactivatedAt) return 'This member was deactivated';
  ctx.signedIn(memberViewer(member));
  return null;
}

/**
 * Builds the request's context from its Authorization header: a login token (JWT) or an API
 * key, re-checked against the database on every request so revocation and deactivation take
 * effect at once. A signed-in request runs on one connection scoped to its agency (TenantScope).
 */
export async function buildContext(
  db: DataSource,
  config: Config,
  authorization: string | undefined,
  requestId: string,
  /** The bearer token's claims when the rate limiter already verified it (same header). */
  verified?: TokenClaims | { problem: string },
  /**
   * A member this node has seen may be acted for before the database confirms them; the caller
   * then awaits `memberConfirmed()` before answering and runs the request again when it is false.
   */
  speculate = false,
): Promise<RequestContext> {
  if (!authorization) return new RequestContext(db, config, null, null, requestId);
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return new RequestContext(db, config, null, 'Authorization must be "Bearer <token>"', requestId);
  const ctx = new RequestContext(db, config, null, null, requestId);
  const prefix = apiKeyPrefix(match[1]);
  let problem: string | null;
  try {
    problem = prefix ? await signInWithApiKey(ctx, match[1], prefix) : await signInWithToken(ctx, config, match[1], verified, speculate);
  } catch (err) {
    await ctx.finish(false);
    throw err;
  }
  if (problem === null) return ctx;
  await ctx.finish(false);
  return new RequestContext(db, config, null, problem, requestId);
}

/** Names of the root fields an operation selects, through fragments too. */
function rootFieldNames(operation: OperationDefinitionNode, document: DocumentNode): string[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition')
      .map((f) => [f.name.value, f]),
  );
  const names: string[] = [];
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === 'Field') names.push(selection.name.value);
      else if (selection.kind === 'InlineFragment') visit(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet, seen);
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return names;
}

/**
 * Deny by default: an operation that selects any root field but `login` (and introspection,
 * when public) needs a valid bearer token. Checked once per operation, before any resolver runs.
 */
export const requireAuthentication = (introspection: Config['introspection']): ApolloServerPlugin<RequestContext> => ({
  async requestDidStart() {
    return {
      // Returns the request's connection as the response leaves (a write still running commits first).
      async willSendResponse({ contextValue }) {
        await contextValue.finish(true);
      },
      async didResolveOperation({ operation, document, contextValue }) {
        if (contextValue.viewer || !operation) return;
        const isPublic = (name: string) => PUBLIC_ROOT_FIELDS.has(name) || (introspection === 'public' && INTROSPECTION_FIELDS.has(name));
        const needsAuth = rootFieldNames(operation, document).some((name) => !isPublic(name));
        if (needsAuth) {
          throw AppError.unauthenticated(contextValue.authProblem ?? undefined);
        }
      },
    };
  },
});
