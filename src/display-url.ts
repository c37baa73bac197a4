// How a URL appears in a message, a summary or a log line. A credential can
// sit inside a URL (https://user:token@host, ?token=...): the runner masks a
// secret only as a whole value, so a URL printed raw, or cut short, can show a
// token that no mask matches. A URL is therefore shown without its user
// information, query and fragment and otherwise in full, or not at all.

/** The schemes whose user information, host and path the URL parser tells apart: WHATWG's "special" schemes. */
const SHOWN_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/**
 * `scheme://host[:port]/path` (a bare root path left out), nothing else: no user name or password, no
 * query, no fragment. Undefined for text that is not a URL, and for a URL of
 * another scheme, where the parser cannot say which part holds what
 * (`ci:token@host` is all path).
 */
export function displayUrl(url: URL | string): string | undefined {
  const parsed = typeof url === 'string' ? URL.parse(url) : url;
  if (!parsed || !SHOWN_SCHEMES.has(parsed.protocol)) return undefined;
  // A bare root path is the parser's, not the user's: https://api.prefect.io is shown as given.
  const path = parsed.pathname === '/' ? '' : parsed.pathname;
  return `${parsed.protocol}//${parsed.host}${path}`;
}

/** The longest URL a message quotes whole: an annotation stays within 400 characters. */
const MAX_QUOTED_URL = 150;

/**
 * displayUrl quoted for a message, or a phrase that says it is not shown. A longer URL is shown by its host
 * only: cut inside its path, it could show part of a secret that no mask matches.
 */
export function quotedUrl(url: URL | string): string {
  const shown = displayUrl(url);
  if (shown === undefined) return 'a value that is not shown (it is not a URL whose parts can be told apart)';
  if (shown.length <= MAX_QUOTED_URL) return JSON.stringify(shown);
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${JSON.stringify(`${parsed.protocol}//${parsed.host}/...`)} (its ${shown.length - parsed.origin.length}-character path not shown: too long)`;
}
