import { TSchema, Type } from '@sinclair/typebox';
import { AnyFrameOf, FrameOf, IsoTime, Nullable, outbound } from '../realtime/frames';

/** `{event, data}` */
const frame = <E extends string, D extends TSchema>(event: E, data: D) => Type.Object({ event: Type.Literal(event), data });
const ImageUrl = () => Nullable(Type.String({ description: 'Absolute signed URL (built from PUBLIC_URL), valid ATTENDANCE_IMAGE_URL_TTL_SECONDS; null when there is none' }));

const Client = Type.Object({
  id: Type.Integer(),
  first_seen: Nullable(IsoTime()),
  last_seen: Nullable(IsoTime()),
  visit_count: Type.Integer(),
  gender: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Literal('unknown')]),
  age: Nullable(Type.Integer()),
  image: ImageUrl(),
  visit_histories: Type.Array(Type.Object({ datetime: IsoTime(), device_id: Type.String() }), { description: 'The latest visits, oldest first' }),
});
const Visit = Type.Object({ datetime: IsoTime(), device_id: Type.String(), client: Type.Integer({ description: 'The client id' }) });
const Employee = Type.Object({
  id: Type.Integer(),
  first_name: Type.String(),
  last_name: Type.String(),
  email: Nullable(Type.String()),
  phone_number: Nullable(Type.String()),
  image: ImageUrl(),
  working_graphic: Nullable(Type.Integer()),
});
const ALL = 'Every connection (admins and managers)';

/** Server → client frames of /ws/attendance. */
export const attendanceFrames = {
  client_create: outbound(frame('client_create', Client), 'A client (visitor) was created, by hand or by a camera recognising a new face.', ALL),
  client_update: outbound(frame('client_update', Client), 'A client changed; every recognition ends with one.', ALL),
  client_delete: outbound(frame('client_delete', Type.Object({ id: Type.Integer() })), 'A client was deleted.', ALL),
  client_visit_create: outbound(frame('client_visit_create', Visit), 'A visit was recorded.', ALL),
  client_visit_update: outbound(frame('client_visit_update', Visit), 'A visit changed.', ALL),
  client_visit_delete: outbound(frame('client_visit_delete', Visit), 'A visit was deleted.', ALL),
  employee_create: outbound(frame('employee_create', Employee), 'An employee was created (through any API).', ALL),
  employee_update: outbound(frame('employee_update', Employee), 'An employee changed (through any API).', ALL),
  employee_delete: outbound(frame('employee_delete', Type.Object({ id: Type.Integer() })), 'An employee was deleted.', ALL),
  employee_attendance: outbound(
    frame('employee_attendance', Type.Object({ employee_id: Type.Integer(), device_id: Type.String(), image: ImageUrl(), datetime: IsoTime(), score: Type.Number() })),
    'An attendance record was made (a camera recognised an employee).',
    ALL,
  ),
  employee_attendance_delete: outbound(frame('employee_attendance_delete', Type.Object({ employee_id: Type.Integer(), datetime: IsoTime() })), 'An attendance record was deleted.', ALL),
  pong: outbound(Type.Object({ event: Type.Literal('pong') }), 'The answer to `ping`.', 'The sender'),
  error: outbound(
    frame(
      'error',
      Type.Object({
        code: Type.String({ description: 'INVALID_MESSAGE, RATE_LIMITED, UNAUTHENTICATED, FORBIDDEN, TOO_MANY_CONNECTIONS, INTERNAL, …' }),
        message: Type.String(),
        retry_after_ms: Type.Optional(Type.Integer()),
        reason: Type.Optional(Type.String({ description: 'Why a token was refused: missing, malformed, expired, revoked' })),
        errors: Type.Optional(Type.Array(Type.Unknown())),
      }),
    ),
    'Bad input or a refusal (then a close code).',
    'The sender',
  ),
};

export type AttendanceFrames = typeof attendanceFrames;
export type AttendanceFrame = AnyFrameOf<AttendanceFrames>;
export type AttendanceData = { [K in keyof AttendanceFrames]: FrameOf<AttendanceFrames, K> extends { data: infer D } ? D : undefined };
