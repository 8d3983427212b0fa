import type { EmployeeSnapshot } from '../employees/employees.events';
import type { ClientSnapshot, RecordSnapshot, VisitSnapshot } from './attendance.events';

/** Turns a stored media path into the absolute URL clients load (null stays null). */
export type UrlOf = (path: string | null) => string | null;

/**
 * The seed's shapes (seed 004), shared by the gateway's frames and the REST
 * responses so the two never drift apart.
 */
export const clientWire = (c: ClientSnapshot, url: UrlOf) => ({
  id: c.id,
  first_seen: c.first_seen,
  last_seen: c.last_seen,
  visit_count: c.visit_count,
  gender: c.gender,
  age: c.age,
  image: url(c.image_path),
  visit_histories: c.visit_histories.map((v) => ({ datetime: v.datetime, device_id: v.device_id })),
});

/** The REST form of a client: the frame's fields plus its consent flag. */
export const clientResource = (c: ClientSnapshot, url: UrlOf) => ({ ...clientWire(c, url), consent: c.consent });

export const visitWire = (v: VisitSnapshot) => ({ datetime: v.datetime, device_id: v.device_id, client: v.client_id });

/** The REST form of a visit: the frame's fields plus its id and photo. */
export const visitResource = (v: VisitSnapshot, url: UrlOf) => ({ id: v.id, ...visitWire(v), image: url(v.image_path) });

export const employeeWire = (e: EmployeeSnapshot, url: UrlOf) => ({
  id: e.id,
  first_name: e.first_name,
  last_name: e.last_name,
  email: e.email,
  phone_number: e.phone_number,
  image: url(e.image_path),
  working_graphic: e.working_graphic,
});

export const recordWire = (r: RecordSnapshot, url: UrlOf) => ({
  employee_id: r.employee_id,
  device_id: r.device_id,
  image: url(r.image_path),
  datetime: r.datetime,
  score: r.score,
});

/** The REST form of an attendance record: the frame's fields plus its id. */
export const recordResource = (r: RecordSnapshot, url: UrlOf) => ({ id: r.id, ...recordWire(r, url) });
