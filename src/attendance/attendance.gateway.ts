import { OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, SubscribeMessage } from '@nestjs/websockets';
import { EmployeeSnapshot } from '../employees/employees.events';
import { AttendanceImageUrls } from './attendance-image-urls';
import { Broadcaster } from '../realtime/broadcaster';
import { ConnectionRegistry } from '../realtime/connections';
import { RealtimeGateway } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { attendanceCodec } from './attendance.codec';
import type { AttendanceData, AttendanceFrame } from './attendance.frames';
import { clientWire, employeeWire, recordWire, UrlOf, visitWire } from './attendance.wire';
import './attendance.events';

export const ATTENDANCE_GATEWAY = 'attendance';
const STREAM = 'all';

/**
 * `/ws/attendance` (seed 004): a read-only stream for the back office. Only
 * admins and managers connect (others: error frame, 4403). Every connection
 * hears every event, so the audience is the gateway's connection set and each
 * frame is encoded once. Employee frames come from the shared employees.*
 * events, so a change made through /api/employees (or by schedules) is heard
 * here too. `ping` is the one message a client sends; anything else is
 * INVALID_MESSAGE.
 */
@RealtimeGateway({ name: ATTENDANCE_GATEWAY, path: '/ws/attendance', codec: attendanceCodec, auth: 'required', roles: ['admin', 'manager'] })
export class AttendanceGateway implements OnModuleInit, OnGatewayConnection {
  private readonly url: UrlOf;

  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    urls: AttendanceImageUrls,
  ) {
    this.url = urls.url;
  }

  onModuleInit(): void {
    const on = this.broadcaster.on.bind(this.broadcaster);
    on('attendance.client_created', ({ client }) => this.emit('client_create', clientWire(client, this.url)));
    on('attendance.client_updated', ({ client }) => this.emit('client_update', clientWire(client, this.url)));
    on('attendance.client_deleted', ({ client_id }) => this.emit('client_delete', { id: client_id }));
    on('attendance.visit_created', ({ visit }) => this.emit('client_visit_create', visitWire(visit)));
    on('attendance.visit_updated', ({ visit }) => this.emit('client_visit_update', visitWire(visit)));
    on('attendance.visit_deleted', ({ visit }) => this.emit('client_visit_delete', visitWire(visit)));
    on('employees.created', ({ employee }) => this.emit('employee_create', this.employee(employee)));
    on('employees.updated', ({ employee }) => this.emit('employee_update', this.employee(employee)));
    on('employees.deleted', ({ employee }) => this.emit('employee_delete', { id: employee.id }));
    on('attendance.record_created', ({ record }) => this.emit('employee_attendance', recordWire(record, this.url)));
    on('attendance.record_deleted', ({ record }) => this.emit('employee_attendance_delete', { employee_id: record.employee_id, datetime: record.datetime }));
  }

  /** Reliable delivery: every socket hears every event, so the gateway is one stream, `all`. */
  handleConnection(client: unknown): void {
    this.realtime.follow(this.realtime.connectionOf(client), STREAM);
  }

  @SubscribeMessage('ping')
  ping() {
    return { event: 'pong' } satisfies AttendanceFrame;
  }

  private employee(e: EmployeeSnapshot) {
    return employeeWire(e, this.url);
  }

  /** A frame of attendance.frames.ts: `data` must match the event's schema. */
  private emit<K extends keyof AttendanceData>(event: K, data: AttendanceData[K]): void {
    this.realtime.publish(ATTENDANCE_GATEWAY, STREAM, this.registry.all(ATTENDANCE_GATEWAY), { event, data });
  }
}
