import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import qrcode from 'qrcode-generator';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const PREFIX = 'SBT1';
const SIG_BYTES = 16;

/**
 * Signed check-in tickets: `SBT1.<session id and attendee id, 32 bytes>.<HMAC>`,
 * short enough for a small QR code. A scanner checks the signature without
 * asking anyone, so tickets work at a door with no network; only the server
 * can make one. The key is derived from JWT_SECRET: changing it voids every
 * ticket issued before.
 */
@Injectable()
export class CheckinTickets {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.auth.jwtSecret).update('switchboard check-in tickets v1').digest();
  }

  issue(sessionId: string, attendeeId: string): string {
    const body = Buffer.concat([uuidBytes(sessionId), uuidBytes(attendeeId)]).toString('base64url');
    return `${PREFIX}.${body}.${this.sign(body)}`;
  }

  /** The session and attendee a ticket names, or null when it is not one this server signed. */
  verify(ticket: string): { sessionId: string; attendeeId: string } | null {
    const parts = ticket.trim().split('.');
    if (parts.length !== 3 || parts[0] !== PREFIX) return null;
    const [, body, sig] = parts;
    const expected = Buffer.from(this.sign(body), 'base64url');
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length !== 32) return null;
    return { sessionId: uuidOf(bytes.subarray(0, 16)), attendeeId: uuidOf(bytes.subarray(16)) };
  }

  /** The ticket as an SVG QR code, for a page, an e-mail or a printed badge. */
  svg(ticket: string): string {
    const qr = qrcode(0, 'M');
    qr.addData(ticket);
    qr.make();
    return qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, SIG_BYTES).toString('base64url');
  }
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidOf(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
