import { badRequest } from '../common/app-error';
import { plainText } from '../common/plain-text';
import type { Principal } from '../auth/principal';

/**
 * The `device_id` a frame carries: what the camera calls itself when it says
 * so, else the id of the camera device that posted. A user posting for a
 * camera must name it.
 */
export function deviceIdOf(principal: Principal, given: string | undefined): string {
  if (given !== undefined) return cleanDeviceId(given);
  if (principal.kind === 'device') return principal.id;
  throw badRequest('device_id is required when a user posts on behalf of a camera');
}

/** Device ids are shown in back offices: plain text, at most 100 characters, not empty. */
export function cleanDeviceId(value: string): string {
  const clean = plainText(value, 100);
  if (!clean) throw badRequest('device_id must not be empty');
  return clean;
}
