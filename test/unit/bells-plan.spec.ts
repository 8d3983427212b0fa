import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays } from '../../src/common/calendar';
import { cancelKey, dayOf, Plan, PlanItem, PlanSchedule, ringingOn } from '../../src/bells/bells-plan';

const item = (id: string, time: string, fields: Partial<PlanItem> = {}): PlanItem => ({
  id,
  scheduleId: 's',
  name: id,
  time,
  soundId: 'snd',
  tz: 'Europe/Berlin',
  dayTypeId: null,
  zones: null,
  notBefore: 0,
  ...fields,
});

/** A spring term, Monday 13 April to Friday 8 May 2026: early release every Wednesday, an exam week, a holiday, a zone holiday, one cancellation. */
function term(): Plan {
  const school: PlanSchedule = {
    id: 's',
    days: [1, 2, 3, 4, 5],
    dayTypes: [
      { id: 'early', name: 'Early release', weekdays: [3] },
      { id: 'exam', name: 'Exam day', weekdays: [] },
    ],
    overrides: [
      { start: '2026-04-27', end: '2026-04-30', dayTypeId: 'exam' },
      // A later override wins: the exam week's Thursday becomes a regular day again.
      { start: '2026-04-30', end: '2026-04-30', dayTypeId: null },
      // A Saturday made a school day.
      { start: '2026-05-02', end: '2026-05-02', dayTypeId: null },
    ],
  };
  return {
    schedules: new Map([['s', school]]),
    items: [
      item('first', '08:00:00'),
      item('last', '15:00:00'),
      item('early-last', '12:00:00', { dayTypeId: 'early' }),
      item('exam-start', '09:00:00', { dayTypeId: 'exam' }),
      item('field', '10:00:00', { zones: ['field', 'gym'] }),
    ],
    holidays: [
      { start: '2026-05-01', end: '2026-05-01', scheduleId: null, zone: null },
      { start: '2026-05-04', end: '2026-05-05', scheduleId: null, zone: 'field' },
    ],
    cancelled: new Set([cancelKey('last', '2026-05-07')]),
  };
}

describe('bells day resolver', () => {
  it('resolves every day of a term: weekday day types, date overrides (the latest wins), weekends, holidays, zone holidays and cancellations', () => {
    const plan = term();
    const expected: Record<string, string> = {
      '2026-04-13': 'first field last', // Monday, regular
      '2026-04-15': 'early-last', // Wednesday: the early-release day's own bells replace the regular ones
      '2026-04-18': '', // Saturday
      '2026-04-27': 'exam-start', // exam week overrides the regular day…
      '2026-04-29': 'exam-start', // …and the Wednesday's early release
      '2026-04-30': 'first field last', // the later override makes Thursday regular
      '2026-05-01': '', // a holiday for everyone
      '2026-05-02': 'first field last', // a Saturday made a school day
      '2026-05-04': 'first field last', // the field is closed; the others (and the gym) still ring
      '2026-05-07': 'first field', // Thursday, with the last bell cancelled
      '2026-05-08': 'first field last',
    };
    for (let date = '2026-04-13'; date <= '2026-05-08'; date = addDays(date, 1)) {
      if (!(date in expected)) continue;
      const got = ringingOn(plan, date)
        .map((o) => o.item.id)
        .join(' ');
      assert.equal(got, expected[date], date);
    }
    assert.deepEqual(dayOf(plan.schedules.get('s')!, '2026-04-29'), { kind: 'day_type', id: 'exam' });
    assert.deepEqual(dayOf(plan.schedules.get('s')!, '2026-04-18'), { kind: 'none' });
  });

  it('answers "what rings on this date in this zone": zone-targeted items only in their zones, zone holidays taken out, zone-less items everywhere', () => {
    const plan = term();
    const names = (date: string, zone?: string | null) =>
      ringingOn(plan, date, zone)
        .map((o) => o.item.id)
        .join(' ');
    assert.equal(names('2026-04-13', 'main'), 'first last');
    assert.equal(names('2026-04-13', 'field'), 'first field last');
    assert.equal(names('2026-05-04', 'field'), '', 'the field’s holiday silences every bell there');
    assert.equal(names('2026-05-04', 'gym'), 'first field last');
    const field = ringingOn(plan, '2026-05-04').find((o) => o.item.id === 'field')!;
    assert.deepEqual(field.target, { zones: ['gym'], exceptZones: [] });
    const first = ringingOn(plan, '2026-05-04').find((o) => o.item.id === 'first')!;
    assert.deepEqual(first.target, { zones: null, exceptZones: ['field'] });
    assert.equal(names('2026-04-13', null), 'first field last', 'a player with no zone hears everything');
  });
});
