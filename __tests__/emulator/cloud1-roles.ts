// Prefect Cloud 1's tenant roles, as far as API keys go: an ADMINISTRATOR manages every key of the tenant; a USER sees and
// manages only the keys it created itself; a READ_ONLY_USER sees its own and may not create or delete any.
import type { Cloud1Role } from './types.ts';

/** Sees (and may delete) every key of the tenant, and create keys for any member of it. */
export function managesTenantKeys(role: Cloud1Role): boolean {
  return role === 'ADMINISTRATOR';
}

/** May call create_api_key and delete_api_key at all. */
export function mayWriteKeys(role: Cloud1Role): boolean {
  return role !== 'READ_ONLY_USER';
}
