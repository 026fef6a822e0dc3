// The Authorization header for a credential given as text (an environment variable or a file):
// `user:password` is HTTP Basic, `<Scheme> <credentials>` (e.g. `Bearer abc`) is sent as it is.

import { UsageError } from '../errors.js';

// RFC 9110's token: a scheme name. A ':' is not in it, so `user:pass word` is never taken for a scheme.
/** What an HTTP field value may not hold (RFC 9110 allows tab): fetch would refuse it, quoting it. */
export const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

const SCHEME_AND_CREDENTIALS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ +\S/;

/**
 * `origin` names where the credential came from (an environment variable, a file) in the error of one
 * that is neither form; the credential itself is never quoted.
 */
export function authorizationHeader(credential: string, origin: string): string {
  if (CONTROL.test(credential))
    throw new UsageError(`${origin} holds a control character (a second line, a NUL, ...), which no HTTP header may carry; its content is not shown`);
  if (SCHEME_AND_CREDENTIALS.test(credential)) return credential;
  const colon = credential.indexOf(':');
  if (colon <= 0) throw new UsageError(`${origin} holds neither 'user:password' nor '<Scheme> <credentials>' (e.g. 'Bearer ...'); its content is not shown`);
  return `Basic ${Buffer.from(credential).toString('base64')}`;
}
