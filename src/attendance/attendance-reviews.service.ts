import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { conflict, notFound } from '../common/app-error';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { Employee } from '../employees/entities/employee.entity';
import { MediaStorage } from '../media/media-storage';
import { AttendanceClientsService } from './attendance-clients.service';
import { ATTENDANCE_IMAGES, CLIENT_IMAGES } from './attendance-image-urls';
import { AttendanceConfig } from './attendance.config';
import { AcceptReviewDto } from './dto/review.dto';
import { AttendanceClient, Gender } from './entities/attendance-client.entity';
import { AttendanceRecord } from './entities/attendance-record.entity';
import { AttendanceReview, ReviewKind, ReviewStatus } from './entities/attendance-review.entity';

export interface Held {
  status: 'pending';
  review_id: number;
  event_id: string | null;
  duplicate: boolean;
}

export interface HoldInput {
  kind: ReviewKind;
  reason: 'low_score' | 'unknown_face';
  source: string;
  eventId: string | null;
  deviceId: string;
  datetime: Date;
  score: number | null;
  employeeId?: number;
  clientId?: number;
  gender?: Gender;
  age?: number;
}

/**
 * Sightings a person judges before they count: staff records and
 * recognitions below ATTENDANCE_MIN_SCORE, and (ATTENDANCE_REVIEW_UNKNOWN_FACES)
 * faces matched to no client. A held sighting is stored with its face and the
 * camera's event id (a retry finds the same review); accepting it makes the
 * record or visit it would have been, with the usual frames; rejecting it
 * deletes the face. Nothing is announced while it waits.
 */
@Injectable()
export class AttendanceReviewsService {
  readonly minScore: number;
  readonly reviewUnknown: boolean;

  constructor(
    @InjectRepository(AttendanceReview) private readonly reviews: Repository<AttendanceReview>,
    private readonly clients: AttendanceClientsService,
    private readonly uow: UnitOfWork,
    private readonly media: MediaStorage,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.minScore = AttendanceConfig.read(config).ATTENDANCE_MIN_SCORE;
    this.reviewUnknown = AttendanceConfig.read(config).ATTENDANCE_REVIEW_UNKNOWN_FACES;
  }

  /** Whether a score is too low to count. */
  tooLow(score: number | undefined): boolean {
    return score !== undefined && score < this.minScore;
  }

  async hold(input: HoldInput, image: { buffer: Buffer } | undefined): Promise<Held> {
    const earlier = input.eventId ? await this.reviews.findOne({ where: { source: input.source, eventId: input.eventId } }) : null;
    if (earlier) return { status: 'pending', review_id: earlier.id, event_id: input.eventId, duplicate: true };
    const stored = image ? await this.media.saveImage(image.buffer, input.kind === 'record' ? ATTENDANCE_IMAGES : CLIENT_IMAGES) : null;
    try {
      const rows: Array<{ id: number }> = await this.reviews.manager.query(
        `INSERT INTO attendance_reviews (kind, reason, employee_id, client_id, device_id, datetime, score, image_path, gender, age, source, event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (source, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING id`,
        [
          input.kind,
          input.reason,
          input.employeeId ?? null,
          input.clientId ?? null,
          input.deviceId,
          input.datetime.toISOString(),
          input.score,
          stored?.path ?? null,
          input.gender ?? null,
          input.age ?? null,
          input.source,
          input.eventId,
        ],
      );
      if (rows.length) return { status: 'pending', review_id: rows[0].id, event_id: input.eventId, duplicate: false };
    } catch (err) {
      await this.media.deleteQuietly([stored?.path]);
      throw err;
    }
    // A concurrent retry with this event id was held first.
    await this.media.deleteQuietly([stored?.path]);
    const first = await this.reviews.findOneOrFail({ where: { source: input.source, eventId: input.eventId! } });
    return { status: 'pending', review_id: first.id, event_id: input.eventId, duplicate: true };
  }

  list(status: ReviewStatus, page: { limit?: number; offset?: number }): Promise<AttendanceReview[]> {
    return this.reviews.find({ where: { status }, order: { id: 'ASC' }, take: Math.min(page.limit ?? 100, 500), skip: page.offset ?? 0 });
  }

  /** Counts a held sighting: the record, or the visit (to the chosen, suggested or a new client). */
  async accept(id: number, dto: AcceptReviewDto): Promise<AttendanceReview> {
    let drop: string | null = null;
    const review = await this.uow.run(async (tx, events) => {
      const r = await this.pending(tx.getRepository(AttendanceReview), id);
      if (r.kind === 'record') {
        const employee = await tx
          .getRepository(Employee)
          .createQueryBuilder('e')
          .setLock('pessimistic_write')
          .where('e.id = :id', { id: dto.employee_id ?? r.employeeId })
          .getOne();
        if (!employee) throw notFound('Employee');
        const repo = tx.getRepository(AttendanceRecord);
        const saved = await repo.save(
          repo.create({ employeeId: employee.id, deviceId: r.deviceId, datetime: r.datetime, score: r.score ?? 0, imagePath: r.imagePath, source: r.source, eventId: r.eventId }),
        );
        r.resultId = saved.id;
        events.publish('attendance.record_created', {
          record: { id: saved.id, employee_id: saved.employeeId, device_id: saved.deviceId, datetime: saved.datetime.toISOString(), score: saved.score, image_path: saved.imagePath },
        });
      } else {
        const wanted = dto.client_id ?? r.clientId;
        let client = wanted ? await this.clients.lockIfExists(tx, wanted) : null;
        if (dto.client_id && !client) throw notFound('Client');
        const created = !client;
        const clients = tx.getRepository(AttendanceClient);
        if (!client) client = await clients.save(clients.create({ gender: (r.gender as Gender) ?? 'unknown', age: r.age, imagePath: r.imagePath, firstSeen: null, lastSeen: null, visitCount: 0 }));
        else if (!client.imagePath && client.consent && r.imagePath) await clients.update({ id: client.id }, { imagePath: r.imagePath });
        if (!client.consent) drop = r.imagePath;
        const { visit, client: snapshot } = await this.clients.addVisit(tx, client, { datetime: r.datetime, deviceId: r.deviceId, imagePath: client.consent ? r.imagePath : null });
        r.resultId = visit.id;
        r.clientId = client.id;
        if (created) events.publish('attendance.client_created', { client: snapshot });
        events.publish('attendance.visit_created', { visit });
        events.publish('attendance.client_updated', { client: snapshot });
      }
      r.status = 'accepted';
      r.decidedAt = this.clock.date();
      if (drop) r.imagePath = null;
      return tx.getRepository(AttendanceReview).save(r);
    });
    await this.media.deleteQuietly([drop]);
    return review;
  }

  /** Discards a held sighting and its face. */
  async reject(id: number): Promise<AttendanceReview> {
    let image: string | null = null;
    const review = await this.uow.run(async (tx) => {
      const r = await this.pending(tx.getRepository(AttendanceReview), id);
      image = r.imagePath;
      r.status = 'rejected';
      r.imagePath = null;
      r.decidedAt = this.clock.date();
      return tx.getRepository(AttendanceReview).save(r);
    });
    await this.media.deleteQuietly([image]);
    return review;
  }

  private async pending(repo: Repository<AttendanceReview>, id: number): Promise<AttendanceReview> {
    const r = await repo.createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
    if (!r) throw notFound('Review');
    if (r.status !== 'pending') throw conflict(`Review ${id} was already ${r.status}`, { status: r.status });
    return r;
  }
}
