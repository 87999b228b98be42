import type { ApolloServerPlugin } from '@apollo/server';
import { AppError, ErrorCode } from './errors';

export const SUBSCRIPTIONS_OVER_HTTP =
  'Subscriptions are served over WebSocket (graphql-ws protocol) at /graphql, not over HTTP: connect a graphql-ws client to ws://<host>/graphql';

/**
 * A subscription sent as an HTTP POST is the caller's mistake, not the server's: answer it with
 * BAD_USER_INPUT and a 400 saying where subscriptions live, instead of letting graphql-js fail
 * inside execution (a 500, logged as unexpected).
 */
export function httpSubscriptionPlugin(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new AppError(ErrorCode.BAD_USER_INPUT, SUBSCRIPTIONS_OVER_HTTP, { fields: {}, http: { status: 400 } });
          }
        },
      };
    },
  };
}
