import { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { Member } from '../modules/member/member.entity';
import { RequestContext } from './context';
import { AppError } from './errors';
import { verifyToken } from './tokens';

/** Root fields anyone may call: signing in, and the schema itself (Sandbox needs it to show login). */
const PUBLIC_ROOT_FIELDS = new Set(['login', '__schema', '__type', '__typename']);

/** Builds the request's context from its Authorization header: one query for the member. */
export async function buildContext(db: DataSource, config: Config, authorization: string | undefined, requestId: string): Promise<RequestContext> {
  if (!authorization) return new RequestContext(db, config, null, null, requestId);
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return new RequestContext(db, config, null, 'Authorization must be "Bearer <token>"', requestId);
  const claims = verifyToken(match[1], config.jwtSecret);
  if ('problem' in claims) return new RequestContext(db, config, null, claims.problem, requestId);
  const member = await db.getRepository(Member).findOne({ where: { id: claims.memberId, agencyId: claims.agencyId } });
  if (!member) return new RequestContext(db, config, null, 'This member no longer exists', requestId);
  return new RequestContext(
    db,
    config,
    { memberId: member.id, agencyId: member.agencyId, role: member.role, clientId: member.clientId },
    null,
    requestId,
  );
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
 * Deny by default: an operation that selects any root field but `login` and introspection
 * needs a valid bearer token. Checked once per operation, before any resolver runs.
 */
export const requireAuthentication: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, document, contextValue }) {
        if (contextValue.viewer || !operation) return;
        const needsAuth = rootFieldNames(operation, document).some((name) => !PUBLIC_ROOT_FIELDS.has(name));
        if (needsAuth) {
          throw AppError.unauthenticated(contextValue.authProblem ?? undefined);
        }
      },
    };
  },
};
