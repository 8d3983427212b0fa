import { attendanceContract } from '../attendance/attendance.contract';
import { bellsContract } from '../bells/bells.contract';
import { chatContract } from '../chat/chat.contract';
import { dashboardContract } from '../checkin/dashboard.contract';
import { queueContract } from '../queue/queue.contract';
import type { GatewayContract } from '../realtime/contract';
import { schedulesContract } from '../schedules/schedules.contract';
import { withRecovery } from '../realtime/replay/recovery.contract';

/** Every gateway's contract, in the order the documents list them. A new gateway adds its own here. */
export const GATEWAY_CONTRACTS: readonly GatewayContract[] = [bellsContract, schedulesContract, queueContract, chatContract, dashboardContract, attendanceContract].map(withRecovery);
