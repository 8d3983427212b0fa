import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoFill, FillEmployee, FillShift } from '../../src/schedules/auto-fill';
import { addDays } from '../../src/common/calendar';
import { fitOf, Rules, Slot, slotOf, violationsOf, Window } from '../../src/schedules/schedule-rules';

const ZONE = 'Europe/Berlin';
const RULES: Rules = { min_rest_hours: 11, max_hours_per_day: 10, max_hours_per_week: 40, overridable: ['min_rest', 'max_hours_per_day', 'max_hours_per_week', 'availability'] };
const TIMES: Array<[string, string]> = [
  ['06:00', '14:00'],
  ['09:00', '17:00'],
  ['14:00', '22:00'],
  ['22:00', '06:00'],
  ['10:00', '14:00'],
];
const ROLES = ['server', 'cook', 'host'];

/** A small seeded generator, so a generated week is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A week from Monday `monday` (this one holds the autumn DST change on its Sunday). */
function generateWeek(seed: number, shiftCount: number, employeeCount: number, monday = '2024-10-21'): { shifts: FillShift[]; employees: FillEmployee[] } {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const shifts: FillShift[] = [];
  for (let i = 0; i < shiftCount; i++) {
    const [start, end] = TIMES[int(TIMES.length)];
    shifts.push({ id: i + 1, slot: slotOf(null, addDays(monday, int(7)), start, end, ZONE), job_role: rnd() < 0.8 ? ROLES[int(ROLES.length)] : null });
  }
  const employees: FillEmployee[] = [];
  for (let e = 0; e < employeeCount; e++) {
    const availability: Window[] = [];
    if (rnd() < 0.5) {
      for (let d = 0; d < 7; d++) if (rnd() < 0.7) availability.push({ weekday: d, start_time: rnd() < 0.5 ? '06:00' : '12:00', end_time: rnd() < 0.3 ? '06:00' : '22:00', preferred: rnd() < 0.4 });
    }
    const timeOff = rnd() < 0.2 ? [{ from: addDays(monday, int(7)), to: addDays(monday, int(7) + 1) }].map((p) => ({ from: p.from, to: p.to < p.from ? p.from : p.to })) : [];
    const slots: Slot[] = rnd() < 0.3 ? [slotOf(-(e + 1), addDays(monday, int(7)), '09:00', '17:00', ZONE)] : [];
    employees.push({ id: e + 1, name: `E${e + 1}`, job_role: ROLES[int(ROLES.length)], staff: { slots, availability, timeOff } });
  }
  return { shifts, employees };
}

/** Every hard rule, checked from scratch on the finished proposal. */
function assertRespectsRules(shifts: FillShift[], employees: FillEmployee[], assignments: Array<{ open_shift_id: number; employee_id: number }>): void {
  const shiftById = new Map(shifts.map((s) => [s.id, s]));
  const seen = new Set<number>();
  for (const e of employees) {
    const mine = assignments.filter((a) => a.employee_id === e.id).map((a) => shiftById.get(a.open_shift_id)!);
    for (const s of mine) {
      assert.ok(!seen.has(s.id), `open shift ${s.id} assigned twice`);
      seen.add(s.id);
      assert.ok(s.job_role === null || s.job_role === e.job_role, `job role of shift ${s.id}`);
      const others = [...e.staff.slots, ...mine.filter((o) => o !== s).map((o) => o.slot)];
      assert.deepEqual(violationsOf(s.slot, { ...e.staff, slots: others }, { ...RULES, overridable: [] }, ZONE), [], `shift ${s.id} for employee ${e.id}`);
    }
  }
}

/** The most shifts any assignment could fill, by trying every one. */
function bruteForceMax(shifts: FillShift[], employees: FillEmployee[]): number {
  let best = 0;
  const chosen: Array<number | null> = [];
  const ok = (i: number, e: FillEmployee): boolean => {
    const s = shifts[i];
    if (s.job_role !== null && s.job_role !== e.job_role) return false;
    const others = [...e.staff.slots, ...chosen.flatMap((c, j) => (c === e.id ? [shifts[j].slot] : []))];
    return violationsOf(s.slot, { ...e.staff, slots: others }, { ...RULES, overridable: [] }, ZONE).length === 0;
  };
  const go = (i: number, filled: number): void => {
    if (i === shifts.length) {
      best = Math.max(best, filled);
      return;
    }
    for (const e of employees) {
      if (!ok(i, e)) continue;
      chosen[i] = e.id;
      go(i + 1, filled + 1);
    }
    chosen[i] = null;
    go(i + 1, filled);
  };
  go(0, 0);
  return best;
}

describe('auto-fill', () => {
  it('respects every hard rule on a generated week of 200 shifts and 40 employees, the same way every time', () => {
    const { shifts, employees } = generateWeek(19, 200, 40);
    const started = process.hrtime.bigint();
    const first = autoFill(shifts, employees, RULES, ZONE);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assertRespectsRules(shifts, employees, first.assignments);
    assert.equal(first.assignments.length + first.unfilled.length, 200, 'every shift is either assigned or explained');
    assert.ok(first.assignments.length > 100, `filled ${first.assignments.length}`);
    for (const a of first.assignments) assert.match(a.reason, /could take it; .* h planned in the period before it/);
    for (const u of first.unfilled) assert.ok(u.blocked.length > 0 && u.reason.length > 0, `shift ${u.open_shift_id} is explained`);
    assert.deepEqual(autoFill(shifts, employees, RULES, ZONE), first, 'deterministic');
    assert.deepEqual(autoFill([...shifts].reverse(), [...employees].reverse(), RULES, ZONE), first, 'the order of the input does not matter');
    // A generous bound against a pathological slowdown; the target (2 s on a quiet machine) is in docs/schedules.md.
    assert.ok(ms < 20_000, `took ${ms} ms`);
  });

  it('fills as many shifts as a brute force finds possible on small weeks', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { shifts, employees } = generateWeek(seed, 6, 3, '2024-03-25');
      // Crowd the week so the rules bind: every shift on two days.
      const crowded = shifts.map((s, i) => {
        const [start, end] = TIMES[(seed + i) % TIMES.length];
        return { ...s, slot: slotOf(null, i % 2 ? '2024-03-30' : '2024-03-31', start, end, ZONE), job_role: i % 3 === 0 ? 'cook' : null };
      });
      const proposal = autoFill(crowded, employees, RULES, ZONE);
      assertRespectsRules(crowded, employees, proposal.assignments);
      assert.equal(proposal.assignments.length, bruteForceMax(crowded, employees), `seed ${seed}`);
    }
  });

  it('spreads hours evenly and prefers preferred windows', () => {
    const day = (d: string, id: number): FillShift => ({ id, slot: slotOf(null, d, '09:00', '17:00', ZONE), job_role: null });
    const shifts = [day('2024-01-15', 1), day('2024-01-16', 2), day('2024-01-17', 3), day('2024-01-18', 4)];
    const free = (id: number): FillEmployee => ({ id, name: `E${id}`, job_role: 'server', staff: { slots: [], availability: [], timeOff: [] } });
    const even = autoFill(shifts, [free(1), free(2)], RULES, ZONE);
    assert.deepEqual(
      even.hours.map((h) => h.hours),
      [16, 16],
    );
    // Employee 2 prefers Wednesdays: they get Wednesday's shift.
    const keen: FillEmployee = {
      ...free(2),
      staff: { slots: [], timeOff: [], availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start_time: '00:00', end_time: '00:00', preferred: weekday === 3 })) },
    };
    const withPreference = autoFill(shifts, [free(1), keen], RULES, ZONE);
    assert.equal(withPreference.assignments.find((a) => a.open_shift_id === 3)!.employee_id, 2);
    assert.match(withPreference.assignments.find((a) => a.open_shift_id === 3)!.reason, /within their preferred hours/);
    assert.equal(fitOf(shifts[2].slot, keen.staff.availability, ZONE), 'preferred');
  });

  it('lists the shifts it could not fill and why', () => {
    const shifts: FillShift[] = [
      { id: 1, slot: slotOf(null, '2024-01-15', '09:00', '17:00', ZONE), job_role: 'cook' },
      { id: 2, slot: slotOf(null, '2024-01-16', '09:00', '17:00', ZONE), job_role: null },
      { id: 3, slot: slotOf(null, '2024-01-16', '10:00', '14:00', ZONE), job_role: null },
    ];
    const ann: FillEmployee = { id: 1, name: 'Ann', job_role: 'server', staff: { slots: [], availability: [], timeOff: [] } };
    const bob: FillEmployee = { id: 2, name: 'Bob', job_role: 'server', staff: { slots: [], availability: [], timeOff: [{ from: '2024-01-16', to: '2024-01-16' }] } };
    const p = autoFill(shifts, [ann, bob], RULES, ZONE);
    assert.deepEqual(
      p.unfilled.map((u) => [u.open_shift_id, u.reason]),
      [
        [1, '2 have another job role'],
        [3, '1 already working then; 1 on approved time off'],
      ],
    );
    assert.deepEqual(p.assignments, [
      { open_shift_id: 2, employee_id: 1, reason: 'the only employee who could take it; 0 h planned in the period before it; no availability recorded (available any time)' },
    ]);
  });
});
