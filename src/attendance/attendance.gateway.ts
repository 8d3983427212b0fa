import { Inject, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SubscribeMessage } from '@nestjs/websockets';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmployeeSnapshot } from '../employees/employees.events';
import { Broadcaster } from '../realtime/broadcaster';
import { ConnectionRegistry } from '../realtime/connections';
import { RealtimeGateway } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { attendanceCodec } from './attendance.codec';

const GATEWAY = 'attendance';

/**
 * `/ws/attendance` (seed 004): a read-only stream for the back office —
 * visitors, their visits, employees and their attendance — to admins and
 * managers. Employee frames come from the shared employee events, whichever
 * API changed the employee.
 */
@RealtimeGateway({ name: GATEWAY, path: '/ws/attendance', codec: attendanceCodec, auth: 'required', roles: ['admin', 'manager'] })
export class AttendanceGateway implements OnModuleInit, OnModuleDestroy {
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const send = (event: string, data: object) => this.realtime.broadcast(this.registry.all(GATEWAY), { event, data });
    const b = this.broadcaster;
    this.unsubscribe.push(
      b.on('attendance.client_saved', (e) => send(e.created ? 'client_create' : 'client_update', e.client)),
      b.on('attendance.client_deleted', (e) => send('client_delete', { id: e.id })),
      b.on('attendance.visit_saved', (e) => send(e.created ? 'client_visit_create' : 'client_visit_update', e.visit)),
      b.on('attendance.visit_deleted', (e) => send('client_visit_delete', e.visit)),
      b.on('attendance.record_created', (e) => send('employee_attendance', e)),
      b.on('attendance.record_deleted', (e) => send('employee_attendance_delete', e)),
      b.on('employees.created', ({ employee }) => send('employee_create', this.employee(employee))),
      b.on('employees.updated', ({ employee }) => send('employee_update', this.employee(employee))),
      b.on('employees.deleted', ({ employee }) => send('employee_delete', { id: employee.id })),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  @SubscribeMessage('ping')
  ping() {
    return { event: 'pong' };
  }

  private employee(e: EmployeeSnapshot) {
    return {
      id: e.id,
      first_name: e.first_name,
      last_name: e.last_name,
      email: e.email,
      phone_number: e.phone_number,
      image: e.image_path ? `${this.config.http.publicUrl}/media/${e.image_path}` : null,
      working_graphic: e.working_graphic,
    };
  }
}
