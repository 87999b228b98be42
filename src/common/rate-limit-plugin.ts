import { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './context';
import { AppError, ErrorCode } from './errors';
import { RateLimiter } from './rate-limit';

/** The bucket a request draws from: its member, its API key, or (signed out) its address. */
function bucketKey(ctx: RequestContext): string {
  const viewer = ctx.viewer;
  if (viewer?.memberId) return `member:${viewer.memberId}`;
  if (viewer?.apiKeyId) return `apikey:${viewer.apiKeyId}`;
  return `ip:${ctx.remoteAddress ?? 'unknown'}`;
}

/** RATE_LIMITED (HTTP 429, Retry-After) once a caller's bucket is empty, before anything runs. */
export function rateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          const { allowed, retryAfterSeconds } = await limiter.take(bucketKey(contextValue));
          if (allowed) return;
          throw new AppError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfterSeconds} s`).withHttpStatus(429, retryAfterSeconds);
        },
      };
    },
  };
}
