import type { DeviceInfo } from './schedules.events';

/**
 * What kind of client a User-Agent names, for `presence/status_update`.
 * A handful of well-known tokens is enough for a presence badge; exotic
 * clients are `unknown` rather than guessed.
 */
export function deviceInfo(userAgent: string, ip: string): DeviceInfo {
  return { type: deviceType(userAgent), browser: browserOf(userAgent), ip };
}

function deviceType(ua: string): DeviceInfo['type'] {
  if (!ua) return 'unknown';
  if (/bot\b|crawler|spider|slurp|headless|lighthouse|curl\/|wget\/|python-requests|go-http-client/i.test(ua)) return 'bot';
  if (/electron\/|tauri/i.test(ua)) return 'desktop';
  if (/mobi|android|iphone|ipad|ipod|windows phone|blackberry|okhttp|cfnetwork|dart:io|reactnative|expo/i.test(ua)) return 'mobile';
  if (/^mozilla\/|^opera\//i.test(ua)) return 'web';
  return 'unknown';
}

function browserOf(ua: string): string {
  if (/edg(e|a|ios)?\//i.test(ua)) return 'Edge';
  if (/opr\/|opera/i.test(ua)) return 'Opera';
  if (/samsungbrowser\//i.test(ua)) return 'Samsung Internet';
  if (/electron\//i.test(ua)) return 'Electron';
  if (/firefox\/|fxios\//i.test(ua)) return 'Firefox';
  if (/chrome\/|crios\/|chromium\//i.test(ua)) return 'Chrome';
  if (/version\/[\d.]+.*safari\//i.test(ua) || (/applewebkit\//i.test(ua) && /mobile\//i.test(ua))) return 'Safari';
  if (/msie |trident\//i.test(ua)) return 'Internet Explorer';
  return 'unknown';
}
