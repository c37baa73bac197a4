// Prefect's answers are untrusted input: a handle, a name or an error text is
// written by people (any member of an account, or whoever sits between the
// runner and the server). Every value the action uses is checked here, where
// the answer is parsed; one that fails makes the answer unexpected, and is
// never printed, summarized or put in an output.

import { isPrintableLine } from '../safe-text.ts';

/** An answer Prefect would not send: its message names the field, never the value. */
export class UnexpectedAnswerError extends Error {
  override name = 'UnexpectedAnswerError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Prefect's handle rule: lower-case letters, digits and dashes. */
const HANDLE = /^[a-z0-9][a-z0-9-]{0,99}$/;
/** RFC 3339 with a zone, as Prefect writes timestamps. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
/** Keys of today's Prefect Cloud: the prefix and 36 letters or digits (what secret scanners match). */
const CLOUD_KEY = /^pn[ub]_[A-Za-z0-9]{36}$/;
/** Prefect Cloud 1 keys carry no prefix: one token of letters, digits, `_` and `-`, long enough to be a credential. */
const CLOUD1_KEY = /^[A-Za-z0-9_-]{20,200}$/;

function check(value: unknown, pattern: RegExp, field: string, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new UnexpectedAnswerError(`${field} is not ${what}`);
  return value;
}

export const uuid = (value: unknown, field: string): string => check(value, UUID, field, 'a UUID').toLowerCase();
export const handle = (value: unknown, field: string): string => check(value, HANDLE, field, 'a handle (lower-case letters, digits and dashes)');
/** Names (a service account's, a key's): 1 to 200 characters, none a control or line-separator character. */
export function name(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 200 || !isPrintableLine(value)) {
    throw new UnexpectedAnswerError(`${field} is not a name of at most 200 printable characters`);
  }
  return value;
}
export const cloudKey = (value: unknown, field: string): string =>
  check(value, CLOUD_KEY, field, 'a Prefect Cloud key (pnb_ or pnu_ and 36 letters or digits)');
export const cloud1Key = (value: unknown, field: string): string =>
  check(value, CLOUD1_KEY, field, 'a Prefect Cloud 1 key (20 to 200 letters, digits, _ or -)');

/** An RFC 3339 timestamp, returned in the one form the action writes: ISO 8601 in UTC. */
export function timestamp(value: unknown, field: string): string {
  const text = check(value, RFC3339, field, 'an RFC 3339 timestamp');
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UnexpectedAnswerError(`${field} is not an RFC 3339 timestamp`);
  return new Date(ms).toISOString();
}

export function optionalTimestamp(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : timestamp(value, field);
}

export function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UnexpectedAnswerError(`${field} is not an object`);
  return value as Record<string, unknown>;
}
