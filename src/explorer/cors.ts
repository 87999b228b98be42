import type express from 'express';

/**
 * CORS for the listed origins only (e.g. Apollo Sandbox at https://studio.apollographql.com).
 * Other origins get no CORS headers, so browsers keep them out. Credentials (cookies) are not
 * allowed: the API authenticates with the Authorization header. Apollo's CSRF prevention still
 * applies to every request that reaches it.
 */
export function corsMiddleware(origins: readonly string[]): express.RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (!origin || !allowed.has(origin)) return next();
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'x-request-id');
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return next();
    // A preflight: answer it here; Apollo does not handle OPTIONS.
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    const requested = req.headers['access-control-request-headers'];
    if (requested) {
      res.setHeader('access-control-allow-headers', requested);
      res.vary('Access-Control-Request-Headers');
    }
    res.setHeader('access-control-max-age', '600');
    res.status(204).end();
  };
}
