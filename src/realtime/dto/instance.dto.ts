import { ApiProperty } from '@nestjs/swagger';

export class InstanceGatewayDto {
  /** @example "queue" */
  gateway: string;
  /** Sockets open on this gateway of this instance */
  sockets: number;
  /** Frames received per second since the instance's previous record */
  frames_in_per_s: number;
  /** Frames written to sockets per second */
  frames_out_per_s: number;
  /** Broadcasts (one encoding each) per second */
  broadcasts_per_s: number;
}

/** One live instance of the cluster (the only one without Redis). */
export class InstanceDto {
  /** INSTANCE_ID, or host:pid */
  instance: string;
  @ApiProperty({ format: 'date-time' }) started_at: string;
  /** When the instance last wrote its record (every CLUSTER_HEARTBEAT_MS) */
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ type: [InstanceGatewayDto] }) gateways: InstanceGatewayDto[];
}
