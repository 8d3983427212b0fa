import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitOf, Rules, slotOf, Staff, violationsOf } from '../../src/schedules/schedule-rules';

const BERLIN = 'Europe/Berlin';
const H = 3_600_000;
const rules = (r: Partial<Rules> = {}): Rules => ({
  min_rest_hours: null,
  max_hours_per_day: null,
  max_hours_per_week: null,
  overridable: ['min_rest', 'max_hours_per_day', 'max_hours_per_week', 'availability'],
  ...r,
});
const staff = (slots: Staff['slots'] = [], more: Partial<Staff> = {}): Staff => ({ slots, availability: [], timeOff: [], ...more });
const rulesBroken = (v: { rule: string }[]) => v.map((x) => x.rule);

describe('shift instants in the site zone', () => {
  it('gives a night shift its true length across a DST change', () => {
    const len = (date: string, zone = BERLIN) => {
      const s = slotOf(null, date, '22:00', '06:00', zone);
      return (s.end - s.start) / H;
    };
    assert.equal(len('2024-03-30'), 7, 'clocks spring forward: 22:00–06:00 is 7 hours');
    assert.equal(len('2024-10-26'), 9, 'clocks fall back: 22:00–06:00 is 9 hours');
    assert.equal(len('2024-01-10'), 8);
    assert.equal(len('2024-03-30', 'UTC'), 8);
  });
});

describe('maximum hours', () => {
  it('counts a shift across midnight towards the day it starts, at its true length', () => {
    const r = rules({ max_hours_per_day: 8 });
    assert.deepEqual(violationsOf(slotOf(null, '2024-03-30', '22:00', '06:00', BERLIN), staff(), r, BERLIN), [], '7 h fits in 8');
    const autumn = violationsOf(slotOf(null, '2024-10-26', '22:00', '06:00', BERLIN), staff(), r, BERLIN);
    assert.deepEqual(rulesBroken(autumn), ['max_hours_per_day']);
    assert.match(autumn[0].message, /9 h on 2024-10-26 \(maximum 8 h\)/);
    assert.equal(autumn[0].overridable, true);
    // An early shift the next morning belongs to the next day, not to the night's.
    const night = slotOf(1, '2024-01-10', '22:00', '06:00', BERLIN);
    assert.deepEqual(violationsOf(slotOf(null, '2024-01-11', '14:00', '22:00', BERLIN), staff([night]), r, BERLIN), []);
    assert.deepEqual(rulesBroken(violationsOf(slotOf(null, '2024-01-10', '08:00', '12:00', BERLIN), staff([night]), r, BERLIN)), ['max_hours_per_day']);
  });

  it('counts the week Monday to Sunday by the date a shift starts, with DST-true lengths', () => {
    const r = rules({ max_hours_per_week: 40 });
    // Week of Monday 2024-10-21; Sunday the 27th is the autumn change.
    const week = ['2024-10-21', '2024-10-22', '2024-10-23', '2024-10-24'].map((d, i) => slotOf(i + 1, d, '09:00', '17:00', BERLIN));
    assert.deepEqual(violationsOf(slotOf(null, '2024-10-25', '09:00', '17:00', BERLIN), staff(week), r, BERLIN), [], '40 h is allowed');
    const fifth = slotOf(5, '2024-10-25', '09:00', '17:00', BERLIN);
    const sundayNight = violationsOf(slotOf(null, '2024-10-27', '00:00', '01:00', BERLIN), staff([...week, fifth]), r, BERLIN);
    assert.deepEqual(rulesBroken(sundayNight), ['max_hours_per_week']);
    // 32 h Mon–Thu, then Saturday 22:00 into Sunday is 9 real hours: 41 h.
    const overnight = violationsOf(slotOf(null, '2024-10-26', '22:00', '06:00', BERLIN), staff(week), r, BERLIN);
    assert.deepEqual(rulesBroken(overnight), ['max_hours_per_week']);
    assert.match(overnight[0].message, /41 h in the week of 2024-10-21/);
    // The next Monday starts a new week.
    assert.deepEqual(violationsOf(slotOf(null, '2024-10-28', '09:00', '17:00', BERLIN), staff([...week, fifth]), r, BERLIN), []);
  });
});

describe('minimum rest', () => {
  const r = rules({ min_rest_hours: 11 });
  it('measures rest after a shift that crosses midnight', () => {
    const night = slotOf(7, '2024-01-10', '22:00', '06:00', BERLIN);
    const tooSoon = violationsOf(slotOf(null, '2024-01-11', '14:00', '22:00', BERLIN), staff([night]), r, BERLIN);
    assert.deepEqual(rulesBroken(tooSoon), ['min_rest']);
    assert.equal(tooSoon[0].schedule_id, 7);
    assert.match(tooSoon[0].message, /only 8 h rest/);
    assert.deepEqual(violationsOf(slotOf(null, '2024-01-11', '17:00', '23:00', BERLIN), staff([night]), r, BERLIN), [], 'exactly 11 h is enough');
    // Before the night shift too: a late shift ending 14:00 leaves only 8 h.
    assert.deepEqual(rulesBroken(violationsOf(slotOf(null, '2024-01-10', '06:00', '14:00', BERLIN), staff([night]), r, BERLIN)), ['min_rest']);
  });

  it('measures rest in real hours across a DST change', () => {
    // Autumn: 20:00 → 06:00 looks like 10 h on the clock but is 11.
    const eve = slotOf(1, '2024-10-26', '12:00', '20:00', BERLIN);
    assert.deepEqual(violationsOf(slotOf(null, '2024-10-27', '06:00', '14:00', BERLIN), staff([eve]), r, BERLIN), []);
    // Spring: 20:00 → 07:00 looks like 11 h but is 10.
    const spring = slotOf(1, '2024-03-30', '12:00', '20:00', BERLIN);
    assert.deepEqual(rulesBroken(violationsOf(slotOf(null, '2024-03-31', '07:00', '15:00', BERLIN), staff([spring]), r, BERLIN)), ['min_rest']);
  });
});

describe('overlap, availability and time off', () => {
  it('finds a night shift overlapping the next morning, and never lets overlap be overridden', () => {
    const night = slotOf(3, '2024-01-10', '22:00', '06:00', BERLIN);
    const v = violationsOf(slotOf(null, '2024-01-11', '05:00', '13:00', BERLIN), staff([night]), rules(), BERLIN);
    assert.deepEqual(v, [{ rule: 'overlap', message: 'overlaps the shift on 2024-01-10', overridable: false, schedule_id: 3 }]);
    assert.deepEqual(violationsOf(slotOf(null, '2024-01-11', '06:00', '13:00', BERLIN), staff([night]), rules(), BERLIN), [], 'half-open: ending at 06:00 and starting at 06:00 is fine');
  });

  it('fits shifts into weekly windows, including a window that runs past midnight', () => {
    // 2024-01-12 is a Friday (5), 2024-01-15 a Monday (1).
    const windows = [
      { weekday: 1, start_time: '08:00', end_time: '18:00', preferred: true },
      { weekday: 5, start_time: '20:00', end_time: '06:00', preferred: false },
    ];
    assert.equal(fitOf(slotOf(null, '2024-01-15', '09:00', '17:00', BERLIN), windows, BERLIN), 'preferred');
    assert.equal(fitOf(slotOf(null, '2024-01-12', '22:00', '06:00', BERLIN), windows, BERLIN), 'available');
    assert.equal(fitOf(slotOf(null, '2024-01-13', '01:00', '05:00', BERLIN), windows, BERLIN), 'available', 'Saturday early morning is still Friday night');
    assert.equal(fitOf(slotOf(null, '2024-01-15', '17:00', '19:00', BERLIN), windows, BERLIN), 'outside');
    assert.equal(fitOf(slotOf(null, '2024-01-16', '09:00', '17:00', BERLIN), [], BERLIN), 'available', 'no windows: available any time');
    const v = violationsOf(slotOf(null, '2024-01-16', '09:00', '17:00', BERLIN), staff([], { availability: windows }), rules(), BERLIN);
    assert.deepEqual(rulesBroken(v), ['availability']);
  });

  it('refuses a shift reaching into approved time off, by local days', () => {
    const off = staff([], { timeOff: [{ from: '2024-01-12', to: '2024-01-14' }] });
    assert.deepEqual(rulesBroken(violationsOf(slotOf(null, '2024-01-11', '22:00', '06:00', BERLIN), off, rules(), BERLIN)), ['time_off'], 'the night runs into the first day off');
    assert.deepEqual(violationsOf(slotOf(null, '2024-01-11', '16:00', '23:59', BERLIN), off, rules(), BERLIN), []);
    const v = violationsOf(slotOf(null, '2024-01-14', '09:00', '17:00', BERLIN), off, rules(), BERLIN);
    assert.equal(v[0].overridable, false, 'time off is not overridable unless the rules say so');
  });
});
