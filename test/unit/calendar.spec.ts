import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, dayOfWeek, isCalendarDate, localDate, parseTime, startOfDay, startOfNextDay, wallClockToInstant } from '../../src/common/calendar';

describe('calendar helper', () => {
  it('accepts only real dates written YYYY-MM-DD, and the same bad input is refused everywhere', () => {
    for (const good of ['2024-02-29', '2026-12-31', '1999-01-01']) assert.ok(isCalendarDate(good), good);
    for (const bad of ['2023-02-29', '2024-02-30', '2024-13-01', '2024-2-3', '20240203', '2024-02-03T00:00:00Z', '', 20240203, null, undefined]) assert.ok(!isCalendarDate(bad), String(bad));
  });

  it('reads HH:MM and HH:MM:SS as 24-hour times and refuses the rest', () => {
    assert.equal(parseTime('08:05'), '08:05:00');
    assert.equal(parseTime('23:59:59'), '23:59:59');
    for (const bad of ['8:05', '24:00', '12:60', '12:00:60', '12:00 PM', '', 805, null]) assert.equal(parseTime(bad), null, String(bad));
  });

  it('gives the local date of an instant in a zone, adds days across month ends and names weekdays (0 = Sunday)', () => {
    assert.equal(localDate(Date.parse('2026-03-06T23:30:00Z'), 'Asia/Ho_Chi_Minh'), '2026-03-07');
    assert.equal(localDate(Date.parse('2026-03-06T03:30:00Z'), 'America/New_York'), '2026-03-05');
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2024-03-01', -1), '2024-02-29');
    assert.equal(dayOfWeek('2026-03-08'), 0);
    assert.equal(dayOfWeek('2026-03-07'), 6);
  });

  it('turns a wall-clock time into an instant with one DST rule: a skipped time at the end of the gap, a repeated one at its first pass', () => {
    assert.equal(new Date(wallClockToInstant('2026-03-06', '08:00:00', 'America/New_York')).toISOString(), '2026-03-06T13:00:00.000Z');
    // Berlin springs forward at 02:00 on 29 March 2026: 02:30 does not exist.
    assert.equal(new Date(wallClockToInstant('2026-03-29', '02:30:00', 'Europe/Berlin')).toISOString(), '2026-03-29T01:30:00.000Z');
    // …and falls back at 03:00 on 25 October 2026: 02:30 happens twice (CEST first).
    assert.equal(new Date(wallClockToInstant('2026-10-25', '02:30:00', 'Europe/Berlin')).toISOString(), '2026-10-25T00:30:00.000Z');
  });

  it('finds where local days begin, also where DST starts at midnight', () => {
    assert.equal(new Date(startOfDay('2026-01-01', 'Asia/Ho_Chi_Minh')).toISOString(), '2025-12-31T17:00:00.000Z');
    // Santiago skips from 24:00 to 01:00 on 6 September 2026.
    assert.equal(new Date(startOfDay('2026-09-06', 'America/Santiago')).toISOString(), '2026-09-06T04:00:00.000Z');
    assert.equal(new Date(startOfNextDay(Date.parse('2026-03-06T23:30:00Z'), 'UTC')).toISOString(), '2026-03-07T00:00:00.000Z');
  });
});
