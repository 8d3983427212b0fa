/**
 * Type-level test, checked by `tsc` as part of `npm test`: a server → client
 * frame whose shape does not match its gateway's frame schemas must not
 * compile. If one of these lines ever compiles, its `@ts-expect-error` is
 * unused and the build fails.
 */
import type { AttendanceData, AttendanceFrame } from '../../src/attendance/attendance.frames';
import { bellsFrame } from '../../src/bells/bells.codec';
import type { ChatFrame } from '../../src/chat/chat.frames';
import type { DashboardFrame } from '../../src/checkin/dashboard.frames';
import { queueFrame } from '../../src/queue/queue.frames';
import type { SchedulesData, SchedulesOutbound } from '../../src/schedules/schedules.frames';

export function frameTypeChecks(): unknown[] {
  const ok = [
    bellsFrame(0, 'bell_triggered', { scheduleItemId: null, soundId: 's', name: 'First bell', ringId: 'r', kind: 'bell', zones: null }),
    bellsFrame(0, 'schedules_updated'),
    queueFrame('QUEUE_UPDATE', { counter_id: 1, current_number: null, waiting_count: 0, next_numbers: [], average_wait_time: 0, current_display_number: null, next_display_numbers: [] }),
    { event: 'read', notification_id: 'n' } satisfies ChatFrame,
    { event: 'client_delete', data: { id: 1 } } satisfies AttendanceFrame,
  ];
  const typing: SchedulesData['presence/typing'] = { user_id: 'u', typing: true, context: 'chat' };
  const attendance: AttendanceData['employee_delete'] = { id: 3 };

  // @ts-expect-error soundId is required
  bellsFrame(0, 'bell_triggered', { scheduleItemId: null, name: 'First bell' });
  // @ts-expect-error state is active or paused
  bellsFrame(0, 'system_state_changed', { state: 'sleeping' });
  // @ts-expect-error schedules_updated carries no payload
  bellsFrame(0, 'schedules_updated', { extra: true });
  // @ts-expect-error unknown frame types do not compile
  bellsFrame(0, 'bell_rung', { soundId: 's' });
  // @ts-expect-error current_number is a number or null
  queueFrame('QUEUE_UPDATE', { counter_id: 1, current_number: 'A1', waiting_count: 0, next_numbers: [], average_wait_time: 0 });
  // @ts-expect-error the ERROR code must be one of the protocol's
  queueFrame('ERROR', { error_code: 'OOPS', message: 'x', timestamp: 't' });
  // @ts-expect-error typing is a boolean
  const badTyping: SchedulesData['presence/typing'] = { user_id: 'u', typing: 'yes', context: '' };
  // @ts-expect-error an action the schedules protocol does not have
  const badAction: SchedulesOutbound = { type: 'schedule', action: 'moved', data: {}, timestamp: 't', user_id: null };
  // @ts-expect-error a chat message needs its conversation
  const badMessage: ChatFrame = { id: 'm', sender_id: null, content: '', message_type: 'text', created_at: 't', is_edited: false, is_deleted: false };
  // @ts-expect-error success is a boolean
  const badCheckin: DashboardFrame = { checkin_time: 't', message: '', profile_url: null, session_id: 's', success: 'yes', user_id: 'u', user_name: 'n' };
  // @ts-expect-error employee ids are integers
  const badAttendance: AttendanceData['employee_delete'] = { id: '3' };
  return [ok, typing, attendance, badTyping, badAction, badMessage, badCheckin, badAttendance];
}
