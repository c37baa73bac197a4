// The audit's rules, apart from the network and the runner: one row per
// service account with when its key expires, soonest first, and which keys
// are due within a number of days. The clock is a parameter, so that a test
// can fix it.

import type { Bot } from '../prefect/bots.ts';
import { daysLeft } from '../prefect/expiry.ts';

/** One entry of the `keys` output, named as the output names it. */
export interface KeyRow {
  'service-account': string;
  'service-account-id': string;
  /** null: the service account has no key. */
  'key-id': string | null;
  /** RFC 3339; null when the key never expires (or there is no key). */
  'expires-at': string | null;
  /** Whole days left, rounded down (negative once expired); null with expires-at. */
  'days-left': number | null;
}

/** Where a row sorts: keys that expire (by when), then keys that never expire, then service accounts without a key. */
function tier(row: KeyRow): number {
  if (row['expires-at'] !== null) return 0;
  return row['key-id'] === null ? 2 : 1;
}

function byExpiry(a: KeyRow, b: KeyRow): number {
  const tiers = tier(a) - tier(b);
  if (tiers !== 0 || a['expires-at'] === null || b['expires-at'] === null) return tiers;
  return Date.parse(a['expires-at']) - Date.parse(b['expires-at']);
}

/** Soonest expiry first, keys that never expire last; equal expiries by name, then id, so the order is the same on every run. */
export function keyRows(serviceAccounts: Bot[], now: number): KeyRow[] {
  return serviceAccounts
    .map((bot) => {
      const expiresAt = bot.keyExpiration ?? null;
      return {
        'service-account': bot.name,
        'service-account-id': bot.id,
        'key-id': bot.keyId ?? null,
        'expires-at': expiresAt,
        'days-left': expiresAt === null ? null : daysLeft(expiresAt, now),
      };
    })
    .sort(
      (a, b) =>
        byExpiry(a, b) ||
        a['service-account'].localeCompare(b['service-account'], 'en') ||
        a['service-account-id'].localeCompare(b['service-account-id'], 'en'),
    );
}

/** A row whose key expires within `days` days (days-left at most `days`), expired ones included. */
export type DueRow = KeyRow & { 'expires-at': string; 'days-left': number };

export function dueWithin(rows: KeyRow[], days: number): DueRow[] {
  return rows.filter((row): row is DueRow => row['days-left'] !== null && row['days-left'] <= days);
}

export function neverExpiring(rows: KeyRow[]): KeyRow[] {
  return rows.filter((row) => row['key-id'] !== null && row['expires-at'] === null);
}

/** How a due key's expiry reads in a message: "has expired", "expires within a day", "expires in 5 days". */
export function whenDue(row: DueRow): string {
  const days = row['days-left'];
  if (days < 0) return 'has expired';
  if (days === 0) return 'expires within a day';
  return `expires in ${days} ${days === 1 ? 'day' : 'days'}`;
}
