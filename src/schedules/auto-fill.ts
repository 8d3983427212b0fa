import { hoursOf, personalViolations, RuleName, Rules, scheduleViolations, Slot, Staff, fitOf } from './schedule-rules';

/**
 * Auto-fill as a pure function: the same input always gives the same
 * proposal. Every rule is hard here (auto-fill never overrides). It fills as
 * many shifts as it can, then spreads hours evenly and prefers people's
 * preferred windows.
 *
 * How: shifts with the fewest possible people go first; each goes to the
 * cheapest person who can take it (fewest hours planned in the period, plus a
 * penalty outside their preferred windows). That first pass is the greedy
 * answer; a depth-first search then looks for a way to fill more shifts,
 * within a fixed budget of steps (not of time, so the result never depends on
 * the machine). Small weeks are searched completely, so they are filled as
 * far as anything could fill them.
 */

export interface FillShift {
  /** The open shift's id. */
  id: number;
  slot: Slot;
  /** Only employees with this job role may take it; null: anyone. */
  job_role: string | null;
}

export interface FillEmployee {
  id: number;
  name: string;
  job_role: string;
  staff: Staff;
}

export interface Assignment {
  open_shift_id: number;
  employee_id: number;
  reason: string;
}

export interface Unfilled {
  open_shift_id: number;
  reason: string;
  /** Per rule, the employees it kept from this shift. */
  blocked: Array<{ rule: RuleName | 'job_role'; employee_ids: number[] }>;
}

export interface Proposal {
  assignments: Assignment[];
  unfilled: Unfilled[];
  /** Hours per employee in the period after the proposal (existing shifts included), by employee id. */
  hours: Array<{ employee_id: number; hours: number }>;
}

export interface FillOptions {
  /** Search steps after the greedy pass. */
  budget?: number;
  /** Hours a shift outside someone's preferred windows costs them, when choosing who gets it. */
  preferencePenaltyHours?: number;
}

const HOUR = 3_600_000;

export function autoFill(shifts: FillShift[], employees: FillEmployee[], rules: Rules, zone: string, opts: FillOptions = {}): Proposal {
  const budget = opts.budget ?? 20_000;
  const penalty = (opts.preferencePenaltyHours ?? 4) * HOUR;
  const people = [...employees].sort((a, b) => a.id - b.id);
  const byId = new Map(people.map((e) => [e.id, e]));
  const period = periodOf(shifts);

  // Who could take each shift at all (role, availability, time off, their existing shifts).
  const blocked = new Map<number, Map<RuleName | 'job_role', number[]>>();
  const preferred = new Map<string, boolean>();
  const eligible = new Map<number, number[]>();
  for (const s of shifts) {
    const reasons = new Map<RuleName | 'job_role', number[]>();
    const ok: number[] = [];
    for (const e of people) {
      const rule =
        s.job_role !== null && s.job_role !== e.job_role ? 'job_role' : (personalViolations(s.slot, e.staff, rules, zone)[0]?.rule ?? scheduleViolations(s.slot, e.staff.slots, rules)[0]?.rule);
      if (rule) reasons.set(rule, [...(reasons.get(rule) ?? []), e.id]);
      else {
        ok.push(e.id);
        preferred.set(`${s.id}:${e.id}`, fitOf(s.slot, e.staff.availability, zone) === 'preferred' && e.staff.availability.length > 0);
      }
    }
    blocked.set(s.id, reasons);
    eligible.set(s.id, ok);
  }

  const order = [...shifts].sort((a, b) => eligible.get(a.id)!.length - eligible.get(b.id)!.length || a.slot.start - b.slot.start || a.id - b.id);
  const n = order.length;
  // The most shifts still fillable from position i on: those with anyone eligible at all.
  const reachable = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) reachable[i] = reachable[i + 1] + (eligible.get(order[i].id)!.length ? 1 : 0);

  // Each person's shifts as the search goes: their existing ones, then those it gives them.
  const assigned = new Map<number, Slot[]>(people.map((e) => [e.id, [...e.staff.slots]]));
  const load = new Map<number, number>(people.map((e) => [e.id, e.staff.slots.filter((s) => inPeriod(s, period)).reduce((sum, s) => sum + s.end - s.start, 0)]));
  const pick = new Array<number | null>(n).fill(null);
  let best: Array<number | null> = [...pick];
  let bestFilled = -1;
  let steps = 0;

  const candidates = (i: number): number[] => {
    const s = order[i];
    const cost = (id: number) => load.get(id)! + (preferred.get(`${s.id}:${id}`) ? 0 : penalty);
    return eligible
      .get(s.id)!
      .filter((id) => scheduleViolations(s.slot, assigned.get(id)!, rules).length === 0)
      .sort((a, b) => cost(a) - cost(b) || a - b);
  };

  const search = (i: number, filled: number): void => {
    steps++;
    if (i === n) {
      if (filled > bestFilled) [bestFilled, best] = [filled, [...pick]];
      return;
    }
    for (const id of candidates(i)) {
      if (filled + reachable[i] <= bestFilled || (bestFilled >= 0 && steps > budget)) return;
      const s = order[i];
      pick[i] = id;
      assigned.get(id)!.push(s.slot);
      load.set(id, load.get(id)! + s.slot.end - s.slot.start);
      search(i + 1, filled + 1);
      assigned.get(id)!.pop();
      load.set(id, load.get(id)! - (s.slot.end - s.slot.start));
      pick[i] = null;
    }
    if (filled + reachable[i + 1] > bestFilled && !(bestFilled >= 0 && steps > budget)) search(i + 1, filled);
  };
  search(0, 0);

  // Replay the best answer in order, to explain each choice as it was made.
  for (const e of people) assigned.set(e.id, [...e.staff.slots]);
  for (const e of people)
    load.set(
      e.id,
      e.staff.slots.filter((s) => inPeriod(s, period)).reduce((sum, s) => sum + s.end - s.start, 0),
    );
  const assignments: Assignment[] = [];
  const unfilled: Unfilled[] = [];
  for (let i = 0; i < n; i++) {
    const s = order[i];
    const id = best[i];
    if (id === null || id === undefined) continue;
    const could = candidates(i);
    const lowest = Math.min(...could.map((c) => load.get(c)!));
    const reason = [
      could.length === 1 ? 'the only employee who could take it' : `${could.length} employees could take it`,
      `${hoursOf(load.get(id)!)} h planned in the period before it${could.length > 1 ? ` (fewest among them: ${hoursOf(lowest)} h)` : ''}`,
      preferred.get(`${s.id}:${id}`) ? 'within their preferred hours' : byId.get(id)!.staff.availability.length ? 'within their availability' : 'no availability recorded (available any time)',
    ].join('; ');
    assignments.push({ open_shift_id: s.id, employee_id: id, reason });
    assigned.get(id)!.push(s.slot);
    load.set(id, load.get(id)! + s.slot.end - s.slot.start);
  }
  for (let i = 0; i < n; i++) {
    if (best[i] !== null && best[i] !== undefined) continue;
    const s = order[i];
    const reasons = new Map(blocked.get(s.id));
    // Eligible people all ended up with shifts this one would clash with.
    for (const id of eligible.get(s.id)!) {
      const rule = scheduleViolations(s.slot, assigned.get(id)!, rules)[0]?.rule ?? 'overlap';
      reasons.set(rule, [...(reasons.get(rule) ?? []), id]);
    }
    const list = [...reasons].map(([rule, ids]) => ({ rule, employee_ids: ids })).sort((a, b) => b.employee_ids.length - a.employee_ids.length || a.rule.localeCompare(b.rule));
    const reason = people.length === 0 ? 'no employees' : list.map((r) => `${r.employee_ids.length} ${RULE_TEXT[r.rule]}`).join('; ');
    unfilled.push({ open_shift_id: s.id, reason, blocked: list });
  }
  assignments.sort((a, b) => a.open_shift_id - b.open_shift_id);
  unfilled.sort((a, b) => a.open_shift_id - b.open_shift_id);
  return { assignments, unfilled, hours: people.map((e) => ({ employee_id: e.id, hours: hoursOf(load.get(e.id)!) })) };
}

const RULE_TEXT: Record<RuleName | 'job_role', string> = {
  job_role: 'have another job role',
  time_off: 'on approved time off',
  availability: 'not available then',
  overlap: 'already working then',
  min_rest: 'would not get their minimum rest',
  max_hours_per_day: 'would exceed the hours per day',
  max_hours_per_week: 'would exceed the hours per week',
};

function periodOf(shifts: FillShift[]): { from: string; to: string } | null {
  if (!shifts.length) return null;
  const dates = shifts.map((s) => s.slot.date).sort();
  return { from: dates[0], to: dates[dates.length - 1] };
}

function inPeriod(s: Slot, p: { from: string; to: string } | null): boolean {
  return p !== null && s.date >= p.from && s.date <= p.to;
}
