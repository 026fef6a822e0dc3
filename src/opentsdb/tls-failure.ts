// What a TLS failure means to an operator, by the error code of Node's TLS socket (never by message
// text). None of these is retried: a certificate does not become trusted by asking again.

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// Alerts of a server that refused our client certificate, or wanted one.
const CLIENT_CERT_REFUSED =
  /^ERR_SSL_(TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_BAD_CERTIFICATE|TLSV1_ALERT_UNKNOWN_CA|SSLV3_ALERT_HANDSHAKE_FAILURE|TLSV1_ALERT_ACCESS_DENIED|SSLV3_ALERT_CERTIFICATE_(UNKNOWN|EXPIRED|REVOKED|UNSUPPORTED))$/;

/** The text of a TLS failure of `origin` (https://host:port), or undefined when `code` is no TLS failure. */
export function describeTlsFailure(origin: string, code: string): string | undefined {
  if (UNTRUSTED.has(code)) {
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return `TLS: the certificate of ${origin} is not trusted (${code}: it names another host); use a host name the certificate holds`;
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
      return `TLS: the certificate of ${origin} is not trusted (${code}); renew it, or check this host's clock`;
    return `TLS: the certificate of ${origin} is not trusted (${code}); pass --cacert with the CA that signed it`;
  }
  if (CLIENT_CERT_REFUSED.test(code))
    return `TLS: ${origin} refused the connection (${code}): it wants a client certificate it trusts; pass --client-cert and --client-key`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return `TLS: the handshake with ${origin} failed (${code}); is it an https:// port?`;
  return undefined;
}
