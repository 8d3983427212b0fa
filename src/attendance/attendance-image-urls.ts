import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MediaStorage } from '../media/media-storage';
import { AttendanceConfig } from './attendance.config';

/** The folders of faces and photos: never public, only behind a signed URL. */
export const CLIENT_IMAGES = 'client_images';
export const ATTENDANCE_IMAGES = 'attendance_images';
export const EMPLOYEE_IMAGES = 'employee_images';
export const PRIVATE_FOLDERS = [CLIENT_IMAGES, ATTENDANCE_IMAGES, EMPLOYEE_IMAGES] as const;

export const IMAGE_ROUTE = '/api/attendance/images/';

/** Expiry is rounded up to this step, so a page reloaded within a minute gets the same (cacheable) URL. */
const EXPIRY_STEP_S = 60;

export type Verdict = 'ok' | 'expired' | 'invalid';

/**
 * Signed, short-lived URLs of attendance images: HMAC-SHA256 over the stored
 * path and the expiry (epoch seconds) with ATTENDANCE_IMAGE_URL_SECRET (by
 * default derived from JWT_SECRET, so every instance signs alike). An <img>
 * cannot send a token, so the signature is the credential: whoever holds the
 * URL sees the image until it expires, and nobody can make one for another path.
 */
@Injectable()
export class AttendanceImageUrls {
  private readonly secret: Buffer;
  private readonly ttlS: number;
  private readonly base: string;

  constructor(
    private readonly clock: Clock,
    media: MediaStorage,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const c = AttendanceConfig.read(config);
    this.ttlS = c.ATTENDANCE_IMAGE_URL_TTL_SECONDS;
    this.secret = c.ATTENDANCE_IMAGE_URL_SECRET ? Buffer.from(c.ATTENDANCE_IMAGE_URL_SECRET) : createHmac('sha256', config.auth.jwtSecret).update('attendance image urls').digest();
    this.base = config.http.publicUrl + IMAGE_ROUTE;
    for (const f of PRIVATE_FOLDERS) media.keepPrivate(f);
  }

  /** A URL valid for ATTENDANCE_IMAGE_URL_TTL_SECONDS (null stays null). */
  url = (path: string | null | undefined): string | null => {
    if (!path) return null;
    const expires = Math.ceil((this.clock.now() / 1000 + this.ttlS) / EXPIRY_STEP_S) * EXPIRY_STEP_S;
    return `${this.base}${path}?expires=${expires}&signature=${this.signature(path, expires)}`;
  };

  verify(path: string, expires: string | undefined, signature: string | undefined): Verdict {
    if (!expires || !/^\d{1,12}$/.test(expires) || !signature) return 'invalid';
    const want = Buffer.from(this.signature(path, Number(expires)));
    const got = Buffer.from(signature);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return 'invalid';
    return Number(expires) * 1000 <= this.clock.now() ? 'expired' : 'ok';
  }

  /** The stored path a URL of ours names (signed or not, expired or not), or null. */
  pathOf(url: string): string | null {
    let pathname: string;
    try {
      pathname = new URL(url, this.base).pathname;
    } catch {
      return null;
    }
    const m = /^(?:\/api\/attendance\/images|\/media)\/([a-z0-9_]+)\/([A-Za-z0-9-]+\.[a-z0-9]+)$/.exec(pathname);
    return m && (PRIVATE_FOLDERS as readonly string[]).includes(m[1]) ? `${m[1]}/${m[2]}` : null;
  }

  private signature(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('base64url');
  }
}
