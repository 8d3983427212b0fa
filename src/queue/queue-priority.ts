import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { QueueConfig } from './queue.config';

/** `ahead`: before normal tickets; `every`: one after each `normals` normal tickets called at the counter. */
export type PriorityRule = { kind: 'ahead' } | { kind: 'every'; normals: number };
export interface PriorityClass {
  name: string;
  rule: PriorityRule;
}

/** The oldest waiting ticket of one class (null: normal) that a counter may call. */
export interface Candidate {
  id: number;
  priority_class: string | null;
  position: number;
}

/** `elderly,appointment:3` → elderly ahead of normal tickets, appointment one every 3 normal ones. */
export function parsePriorityClasses(entries: readonly string[]): PriorityClass[] {
  const classes: PriorityClass[] = [];
  for (const entry of entries) {
    const m = /^([a-z][a-z0-9_-]{0,39})(?::(\d{1,3}))?$/.exec(entry.trim());
    if (!m || (m[2] !== undefined && Number(m[2]) < 1)) {
      throw new Error(`QUEUE_PRIORITY_CLASSES: "${entry}" is not name or name:K (a lower-case name, K ≥ 1 normal tickets per priority ticket)`);
    }
    if (classes.some((c) => c.name === m[1])) throw new Error(`QUEUE_PRIORITY_CLASSES: "${m[1]}" is listed twice`);
    classes.push({ name: m[1], rule: m[2] === undefined ? { kind: 'ahead' } : { kind: 'every', normals: Number(m[2]) } });
  }
  return classes;
}

const older = (a: Candidate, b: Candidate) => (a.position !== b.position ? a.position < b.position : a.id < b.id);

/**
 * Which ticket a counter calls next (docs/queue.md, "Priority"):
 * - A priority ticket may go when its class is `ahead`, or when it is an
 *   `every:K` class and the counter has called K normal tickets since it last
 *   called that class (or no normal ticket is waiting).
 * - Of those, the oldest goes, unless the counter's last `maxRun` calls were
 *   all priority tickets and a normal one waits: then the oldest normal.
 * - Otherwise the oldest normal ticket.
 * So a normal ticket waits at most `maxRun` priority calls between normal
 * calls, and a priority ticket only for older priority tickets and for a
 * normal call every `maxRun`: nobody waits forever.
 *
 * `history` lists the classes of the counter's calls today, newest first.
 */
export function pickNext(candidates: readonly Candidate[], history: readonly (string | null)[], classes: readonly PriorityClass[], maxRun: number): Candidate | null {
  const rules = new Map(classes.map((c) => [c.name, c.rule]));
  const isPriority = (cls: string | null) => cls !== null && rules.has(cls);
  let normal: Candidate | null = null;
  for (const c of candidates) if (!isPriority(c.priority_class) && (!normal || older(c, normal))) normal = c;
  const run = history.findIndex((cls) => !isPriority(cls));
  const priorityRun = run === -1 ? history.length : run;
  const due = (cls: string, normals: number) => {
    if (!normal) return true;
    let seen = 0;
    for (const h of history) {
      if (h === cls) break;
      if (!isPriority(h) && ++seen >= normals) return true;
    }
    return seen >= normals;
  };
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (!isPriority(c.priority_class)) continue;
    const rule = rules.get(c.priority_class!)!;
    if (rule.kind === 'every' && !due(c.priority_class!, rule.normals)) continue;
    if (!best || older(c, best)) best = c;
  }
  if (best && (!normal || priorityRun < maxRun)) return best;
  return normal;
}

/** The configured priority classes and the call order they make. */
@Injectable()
export class QueuePriority {
  readonly classes: PriorityClass[];
  readonly maxRun: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.classes = parsePriorityClasses(QueueConfig.read(config).QUEUE_PRIORITY_CLASSES);
    this.maxRun = QueueConfig.read(config).QUEUE_PRIORITY_MAX_RUN;
  }

  has(name: string): boolean {
    return this.classes.some((c) => c.name === name);
  }

  /** Classes that go ahead of normal tickets: listed first in next_numbers. */
  get ahead(): string[] {
    return this.classes.filter((c) => c.rule.kind === 'ahead').map((c) => c.name);
  }

  pick(candidates: readonly Candidate[], history: readonly (string | null)[]): Candidate | null {
    return pickNext(candidates, history, this.classes, this.maxRun);
  }
}
