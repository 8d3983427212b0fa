import helmet from 'helmet';

/**
 * The security headers of every HTTP response (REST, /docs, files). The
 * Content-Security-Policy allows what a same-origin page with its own scripts
 * and styles needs — Swagger UI at /docs loads its scripts from the server and
 * writes inline styles — and nothing from elsewhere. Media, sounds and images
 * stay loadable by displays served from other origins (Cross-Origin-Resource-Policy).
 * No upgrade-insecure-requests: plain-HTTP installs on a local network would break.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // Behind TLS the proxy may add HSTS for its own domain policy; a plain-HTTP install must not get it.
    strictTransportSecurity: false,
  });
}
