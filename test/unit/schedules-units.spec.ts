import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceInfo } from '../../src/schedules/user-agent';
import { overlaps, shiftInterval } from '../../src/schedules/schedule-time';

describe('presence device_info from the User-Agent', () => {
  const cases: Array<[string, string, string]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'web', 'Chrome'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91', 'web', 'Edge'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'web', 'Firefox'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15', 'web', 'Safari'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36', 'mobile', 'Chrome'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1', 'mobile', 'Safari'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) ScheduleApp/1.2.0 Chrome/120.0.0.0 Electron/28.1.0 Safari/537.36', 'desktop', 'Electron'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'bot', 'unknown'],
    ['Python/3.12 websockets/12.0', 'unknown', 'unknown'],
    ['', 'unknown', 'unknown'],
  ];
  for (const [ua, type, browser] of cases) {
    it(`reads ${type}/${browser} from "${ua.slice(0, 50)}…"`, () => {
      assert.deepEqual(deviceInfo(ua, '10.0.0.7'), { type, browser, ip: '10.0.0.7' });
    });
  }
});

describe('shift overlap', () => {
  it('treats shifts as half-open intervals, and an end before the start as the next day', () => {
    const day = shiftInterval('2024-01-20', '09:00:00', '17:00:00');
    assert.ok(!overlaps(day, shiftInterval('2024-01-20', '17:00:00', '22:00:00')));
    assert.ok(overlaps(day, shiftInterval('2024-01-20', '16:59:00', '18:00:00')));
    const night = shiftInterval('2024-01-20', '22:00:00', '06:00:00');
    assert.equal(night[1] - night[0], 8 * 3600);
    assert.ok(overlaps(night, shiftInterval('2024-01-21', '05:00:00', '09:00:00')));
    assert.ok(!overlaps(night, shiftInterval('2024-01-21', '06:00:00', '09:00:00')));
    const whole = shiftInterval('2024-01-20', '00:00:00', '00:00:00');
    assert.equal(whole[1] - whole[0], 24 * 3600);
  });
});
