import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { badRequest } from '../common/app-error';
import { Clock } from '../common/clock';
import { UnitOfWork } from '../database/unit-of-work';
import type { Principal } from '../auth/principal';
import { MediaStorage } from '../media/media-storage';
import { AttendanceClientsService } from './attendance-clients.service';
import { CLIENT_IMAGES } from './attendance-image-urls';
import { ClientSnapshot, VisitSnapshot } from './attendance.events';
import { RecognitionDto } from './dto/recognition.dto';
import { AttendanceClient } from './entities/attendance-client.entity';
import { AttendanceRecognition } from './entities/attendance-recognition.entity';
import { deviceIdOf } from './device-id';
import { AttendanceReviewsService, Held } from './attendance-reviews.service';

export interface RecognitionOutcome {
  id: number;
  event_id: string | null;
  /** A retry of an event id already counted: nothing new was stored or announced. */
  duplicate: boolean;
  client_created: boolean;
  client_id: number | null;
  visit_id: number | null;
  client: ClientSnapshot | null;
  visit: VisitSnapshot | null;
}

/**
 * Faces the door cameras recognise. A known client gets a visit
 * (client_visit_create, client_update); an unknown face becomes a client
 * (client_create) with that visit (client_visit_create, client_update). A camera that retries
 * with the same event id gets the first answer back, and nothing is counted or
 * announced twice: the event id is claimed with INSERT … ON CONFLICT in the
 * transaction that records the visit, so of two concurrent retries exactly
 * one proceeds and the other waits for it and then finds its row.
 */
@Injectable()
export class AttendanceRecognitionsService {
  constructor(
    @InjectRepository(AttendanceRecognition) private readonly recognitions: Repository<AttendanceRecognition>,
    private readonly clients: AttendanceClientsService,
    private readonly uow: UnitOfWork,
    private readonly media: MediaStorage,
    private readonly clock: Clock,
    private readonly reviews: AttendanceReviewsService,
  ) {}

  async ingest(principal: Principal, dto: RecognitionDto, image: { buffer: Buffer } | undefined): Promise<RecognitionOutcome | { held: Held }> {
    if (!image) throw badRequest('image is required: the captured face, as a JPEG, PNG, WebP or GIF file in the multipart field "image"');
    const source = `${principal.kind}:${principal.id}`;
    const deviceId = deviceIdOf(principal, dto.device_id);
    const eventId = dto.event_id ?? null;
    const datetime = dto.datetime ? new Date(dto.datetime) : this.clock.date();

    // Cheap path for the common retry: answered without storing the image again.
    if (eventId) {
      const earlier = await this.recognitions.findOne({ where: { source, eventId } });
      if (earlier) return this.replay(earlier);
    }
    const unknown = this.reviews.reviewUnknown && !(dto.client_id && (await this.clients.findClient(dto.client_id)));
    if (this.reviews.tooLow(dto.score) || unknown) {
      const input = { kind: 'recognition', source, eventId, deviceId, datetime, score: dto.score ?? null, clientId: dto.client_id, gender: dto.gender, age: dto.age } as const;
      return { held: await this.reviews.hold({ ...input, reason: this.reviews.tooLow(dto.score) ? 'low_score' : 'unknown_face' }, image) };
    }

    const stored = await this.media.saveImage(image.buffer, CLIENT_IMAGES);
    let discard = false;
    let outcome: RecognitionOutcome | null;
    try {
      outcome = await this.uow.run(async (tx, events) => {
        const claimed: Array<{ id: number }> = await tx.query(
          `INSERT INTO attendance_recognitions (source, event_id, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
          [source, eventId, new Date(this.clock.now())],
        );
        if (!claimed.length) return null;
        const id = claimed[0].id;

        const repo = tx.getRepository(AttendanceClient);
        let client = dto.client_id ? await this.clients.lockIfExists(tx, dto.client_id) : null;
        const created = !client;
        if (!client) {
          client = await repo.save(repo.create({ gender: dto.gender ?? 'unknown', age: dto.age ?? null, imagePath: stored.path, firstSeen: null, lastSeen: null, visitCount: 0 }));
        } else {
          // A camera's estimate fills what is unknown; it never overrides what the back office set.
          const fill: Partial<AttendanceClient> = {};
          if (client.gender === 'unknown' && dto.gender && dto.gender !== 'unknown') fill.gender = dto.gender;
          if (client.age === null && dto.age !== undefined) fill.age = dto.age;
          if (!client.imagePath && client.consent) fill.imagePath = stored.path;
          if (Object.keys(fill).length) await repo.update({ id: client.id }, fill);
        }
        // Without the person's consent the captured face is not kept.
        if (!client.consent) discard = true;
        const { visit, client: snapshot } = await this.clients.addVisit(tx, client, { datetime, deviceId, imagePath: discard ? null : stored.path });
        await tx.getRepository(AttendanceRecognition).update({ id }, { clientId: client.id, visitId: visit.id, clientCreated: created });

        // Every recognition ends with its client's client_update, new or known.
        if (created) events.publish('attendance.client_created', { client: snapshot });
        events.publish('attendance.visit_created', { visit });
        events.publish('attendance.client_updated', { client: snapshot });
        return { id, event_id: eventId, duplicate: false, client_created: created, client_id: client.id, visit_id: visit.id, client: snapshot, visit };
      });
    } catch (err) {
      await this.media.deleteQuietly([stored.path]);
      throw err;
    }
    if (outcome) {
      if (discard) await this.media.deleteQuietly([stored.path]);
      return outcome;
    }

    // A concurrent attempt with this event id committed first: answer as it did.
    await this.media.deleteQuietly([stored.path]);
    return this.replay(await this.recognitions.findOneOrFail({ where: { source, eventId: eventId! } }));
  }

  private async replay(r: AttendanceRecognition): Promise<RecognitionOutcome> {
    return {
      id: r.id,
      event_id: r.eventId,
      duplicate: true,
      client_created: r.clientCreated,
      client_id: r.clientId,
      visit_id: r.visitId,
      client: r.clientId ? await this.clients.findClient(r.clientId) : null,
      visit: r.visitId ? await this.clients.findVisit(r.visitId) : null,
    };
  }
}
