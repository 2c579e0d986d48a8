/** Node's network error codes in words an operator acts on (start-up diagnostics, health reasons). */
const WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
};

/** `connection refused (ECONNREFUSED)`; undefined for a code that is not a known network failure. */
export function networkFailure(code: string): string | undefined {
  return WORDS[code] && `${WORDS[code]} (${code})`;
}
