import { Injectable } from '@nestjs/common';
import { RealtimeService } from '../realtime/realtime.service';
import { QueuePresence } from './queue-presence';

export const QUEUE_GATEWAY = 'queue';

/**
 * QueuePresence from the core's cluster-wide client directory, where the
 * queue gateway lists each registered socket with its client type and
 * counter. Sockets of an instance that died drop out of it, so their
 * officers count as gone.
 */
@Injectable()
export class ClusterQueuePresence extends QueuePresence {
  constructor(private readonly realtime: RealtimeService) {
    super();
  }

  async countersWithOfficer(): Promise<Set<number>> {
    const clients = await this.realtime.cluster.clients(QUEUE_GATEWAY);
    return new Set(clients.filter((c) => c.client_type === 'officer' && c.counter_id !== null && c.counter_id !== undefined).map((c) => Number(c.counter_id)));
  }
}
