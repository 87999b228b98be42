import { ApolloServerPlugin } from '@apollo/server';
import { HTTP_STATUS_OF } from './errors';

/**
 * The HTTP status of an operation refused as a whole. Apollo answers 500 to an error thrown by a
 * plugin before execution (authentication, query limits) unless the error names a status; here
 * the code of the first error names it: 401 UNAUTHENTICATED (with WWW-Authenticate), 403
 * FORBIDDEN, 400 BAD_USER_INPUT and QUERY_TOO_COMPLEX, 429, 503. A response that executed (it
 * has `data`, even null) keeps 200 with its errors; an unexpected error keeps 500.
 */
export function httpStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          const code = singleResult.errors?.[0]?.extensions?.code;
          if ('data' in singleResult || typeof code !== 'string') return;
          const status = HTTP_STATUS_OF[code];
          if (!status || (response.http.status !== undefined && response.http.status !== 500)) return;
          response.http.status = status;
          if (status === 401) response.http.headers.set('www-authenticate', 'Bearer');
        },
      };
    },
  };
}
