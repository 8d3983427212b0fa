import { ApiProperty } from '@nestjs/swagger';

/** A device or client socket open now, on any instance of the cluster. */
export class DeviceConnectionDto {
  @ApiProperty({ format: 'uuid' }) connection_id: string;
  /** @example "queue" */
  gateway: string;
  /** The instance holding the socket */
  instance: string;
  /** When the socket was opened */
  @ApiProperty({ format: 'date-time' }) connected_at: string;
  ip: string;
  /** Set when the socket was opened with a device token */
  device_id: string | null;
  device_name: string | null;
  device_kind: string | null;
  /** Set when a signed-in user opened it (an officer panel, a player opened by a user) */
  user_id: string | null;
  user_name: string | null;
  /** The client id it registered with (queue), if any */
  client_id: string | null;
  /** Queue: display, kiosk, officer or admin; bells: client or admin */
  client_type?: string | null;
  /** Queue: the counter of an officer, kiosk or display */
  counter_id?: number | null;
  /** Queue: where the screen said it is (REGISTER_CLIENT location) */
  location?: string | null;
  /** Bells: the player id rings target */
  player_id?: string | null;
  /** Bells: the name the player gave */
  client_name?: string | null;
  /** Bells: the zone the player plays */
  zone?: string | null;
}
