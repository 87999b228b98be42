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
import { verifyToken } from './tokens';

/** Root fields anyone may call; introspection too when INTROSPECTION=public (Sandbox shows login). */
const PUBLIC_ROOT_FIELDS = new Set(['login', '__typename']);
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** The viewer of a member row, with the permissions of its role. */
export function memberViewer(member: Member): Viewer {
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

async function apiKeyViewer(db: DataSource, secret: string, prefix: string): Promise<Viewer | string> {
  const key = await db.getRepository(ApiKey).findOne({ where: { prefix } });
  if (!key || !apiKeyMatches(secret, key.secretHash)) return 'Invalid API key';
  if (key.revokedAt) return 'This API key was revoked';
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.getRepository(ApiKey).update({ id: key.id }, { lastUsedAt: new Date() });
  }
  return {
    agencyId: key.agencyId,
    memberId: null,
    role: null,
    apiKeyId: key.id,
    scopes: key.scopes,
    clientId: null,
    permissions: permissionsOf(null, key.scopes),
  };
}

async function tokenViewer(db: DataSource, config: Config, token: string): Promise<Viewer | string> {
  const claims = verifyToken(token, config.jwtSecret);
  if ('problem' in claims) return claims.problem;
  const member = await db.getRepository(Member).findOne({ where: { id: claims.memberId, agencyId: claims.agencyId } });
  if (!member) return 'This member no longer exists';
  if (member.deactivatedAt) return 'This member was deactivated';
  return memberViewer(member);
}

/**
 * Builds the request's context from its Authorization header: a login token (JWT) or an API
 * key, re-checked against the database on every request so revocation and deactivation take
 * effect at once.
 */
export async function buildContext(db: DataSource, config: Config, authorization: string | undefined, requestId: string): Promise<RequestContext> {
  if (!authorization) return new RequestContext(db, config, null, null, requestId);
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return new RequestContext(db, config, null, 'Authorization must be "Bearer <token>"', requestId);
  const prefix = apiKeyPrefix(match[1]);
  const viewer = prefix ? await apiKeyViewer(db, match[1], prefix) : await tokenViewer(db, config, match[1]);
  return typeof viewer === 'string'
    ? new RequestContext(db, config, null, viewer, requestId)
    : new RequestContext(db, config, viewer, null, requestId);
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
      async executionDidStart() {
        return {
          // Names the mutation being resolved, for its audit entry (mutations run one at a time).
          willResolveField({ info, contextValue }) {
            if (info.parentType.name === 'Mutation' && info.path.prev === undefined) contextValue.beginMutation(info.fieldName);
          },
        };
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
