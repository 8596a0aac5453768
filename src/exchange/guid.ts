/**
 * Deterministic GUIDs for REFI-QDA exports: a UUID version 5 (SHA-1 of a
 * namespace and a name, RFC 4122 §4.3), so that the same code, source or
 * coding gets the same GUID in every export and exports are byte-identical
 * from run to run.
 */
import { createHash } from 'node:crypto';

/** Verbatim's namespace for name-based GUIDs (itself a random version 4 UUID, fixed forever). */
export const VERBATIM_NAMESPACE = '5b1f3d2e-8c4a-4e7b-9a61-2f0d7c9e4b13';
/** Its bytes (an export computes hundreds of thousands of GUIDs). */
const VERBATIM_BYTES = Buffer.from(VERBATIM_NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * The version 5 UUID of `name` in `namespace`, lowercase, without braces.
 *
 * @param name
 *   What the GUID stands for, e.g. `code:freins.etat`.
 * @param namespace
 *   A UUID; Verbatim's own by default.
 */
export function guidFor(name: string, namespace: string = VERBATIM_NAMESPACE): string {
  const ns = namespace === VERBATIM_NAMESPACE ? VERBATIM_BYTES : Buffer.from(namespace.replace(/[{}-]/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A GUID as REFI tools write it, compared case-insensitively and without braces. */
export function normalizeGuid(guid: string | undefined): string {
  return (guid ?? '').trim().replace(/^\{|\}$/g, '').toLowerCase();
}
