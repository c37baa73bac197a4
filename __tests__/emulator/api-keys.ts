// How Prefect Cloud shows a stored key without its value: the OpenAPI's APIKeyReadResponse, whose `masked_key` is the
// key's prefix, `...`, and its last four characters (`pnb_...a1b2`).
import type { State } from './state.ts';
import type { KeyRecord } from './types.ts';

/** `pnb_...a1b2`: the prefix (`pnu_`, `pnb_`, or none), then `...` and the last four characters. */
export function maskKey(value: string): string {
  const prefix = /^[a-z]{3}_/.exec(value)?.[0] ?? '';
  return `${prefix}...${value.slice(-4)}`;
}

/** When the key stops working: its own expiry, or the end of a rotation's grace period when that comes first. */
export function effectiveExpiration(key: KeyRecord): string | null {
  const ends = [key.expiration, key.revokedAt].filter((at): at is string => at !== null).sort((a, b) => Date.parse(a) - Date.parse(b));
  return ends[0] ?? null;
}

/** APIKeyReadResponse: `{id, created, name, expiration, masked_key}`. */
export function apiKeyRead(key: KeyRecord) {
  return { id: key.id, created: key.created, name: key.name, expiration: effectiveExpiration(key), masked_key: maskKey(key.value) };
}

/** The keys an actor still has (not deleted, grace not over), expired ones included, oldest first. */
export function existingKeys(state: State, ownerId: string): KeyRecord[] {
  return state.keys.filter((key) => key.actorId === ownerId && (key.revokedAt === null || Date.parse(key.revokedAt) > state.now()));
}
