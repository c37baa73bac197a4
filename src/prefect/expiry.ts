// When a key stops working. Prefect lists the actor's keys (GET /me/api_keys)
// with their expirations and a masked form (the prefix, `...`, the last four
// characters): the one entry whose mask fits the key is the key's own. No
// match, several, or an answer Prefect will not give is "unknown", never a
// failure of the check.

import { UnavailableError } from '../http/retry.ts';
import { get, parseJson, type PrefectApi } from './rest.ts';
import { object, optionalTimestamp, UnexpectedAnswerError } from './values.ts';

export type Expiry = { kind: 'expires'; at: string } | { kind: 'never' } | { kind: 'unknown'; why: string };

const DAY_MS = 86_400_000;

/** `pnb_...a1b2` fits a key that starts with `pnb_` and ends with `a1b2`. */
export function masks(masked: string, key: string): boolean {
  const [head = '', tail = '', ...rest] = masked.split('...');
  return rest.length === 0 && tail.length === 4 && key.startsWith(head) && key.endsWith(tail);
}

export function expiryOf(expiration: string | null): Expiry {
  return expiration === null ? { kind: 'never' } : { kind: 'expires', at: expiration };
}

/** Whole days from now until the expiry, rounded down (negative once it has passed). */
export function daysLeft(at: string, now = Date.now()): number {
  return Math.floor((Date.parse(at) - now) / DAY_MS);
}

export async function keyExpiry(api: PrefectApi): Promise<Expiry> {
  try {
    return await get(api, '/me/api_keys', (response) => {
      if (response.status !== 200) return { kind: 'unknown', why: `Prefect Cloud answered HTTP ${response.status} when asked for the key's expiry` } as Expiry;
      const list = parseJson(response);
      if (!Array.isArray(list)) throw new UnexpectedAnswerError('/me/api_keys is not a list');
      const matches = list
        .map((entry: unknown) => object(entry, 'an /me/api_keys entry'))
        .filter((entry) => typeof entry.masked_key === 'string' && masks(entry.masked_key, api.apiKey));
      if (matches.length !== 1) {
        return {
          kind: 'unknown',
          why: matches.length === 0 ? 'no key Prefect lists looks like this one' : 'several keys Prefect lists look like this one',
        } as Expiry;
      }
      return expiryOf(optionalTimestamp(matches[0]!.expiration, 'the key expiration'));
    });
  } catch (error) {
    if (error instanceof UnavailableError || error instanceof UnexpectedAnswerError)
      return { kind: 'unknown', why: `its expiry could not be read (${error.message})` };
    throw error;
  }
}
