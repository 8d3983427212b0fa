import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import type { TicketAnnouncedEvent } from './queue.events';
import { QueueSpeechService } from './speech/queue-speech.service';
import { QueueConfig } from './queue.config';
import { spokenText, spokenTicket, ZeroTens } from './speech/vietnamese-words';

/**
 * The counter's name as it follows the template's words: a counter named
 * "Quầy 3" after "đến quầy " is "3" (said "ba"), not "quầy Quầy 3".
 */
export function spokenName(name: string, before: string): string {
  const lastWord = /(\S+)\s*$/u.exec(before)?.[1];
  const [first, ...rest] = name.trim().split(/\s+/u);
  if (lastWord && rest.length && first.toLocaleLowerCase('vi') === lastWord.toLocaleLowerCase('vi')) return rest.join(' ');
  return name;
}

/** What an announcement needs to know about the called ticket. */
export interface CalledTicket {
  ticket_id: number;
  ticket_number: number;
  /** `A012`, or the number alone: what the screen shows and the voice reads. */
  display_number: string;
  service_id: number | null;
  counter_id: number;
  counter_name: string;
}

/**
 * TICKET_ANNOUNCEMENT for a called or recalled ticket: the text from
 * QUEUE_ANNOUNCEMENT_TEMPLATE, then the speech for it, then the event.
 * Callers publish QUEUE_UPDATE at the commit, before calling this, so speech
 * synthesis never delays it. Announcements of one counter go out in the
 * order they were asked for, even when an earlier one waits for synthesis.
 */
@Injectable()
export class QueueAnnouncer {
  private readonly template: string;
  private readonly displayDuration: number;
  private readonly chains = new Map<number, Promise<unknown>>();
  private readonly zeroTens: ZeroTens;

  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly speech: QueueSpeechService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.template = QueueConfig.read(config).QUEUE_ANNOUNCEMENT_TEMPLATE;
    this.displayDuration = QueueConfig.read(config).QUEUE_DISPLAY_DURATION;
    this.zeroTens = QueueConfig.read(config).QUEUE_SPEECH_ZERO_TENS;
  }

  /** The text of the template with the ticket's number and counter. */
  text(number: number | string, counter: { id: number; name: string }): string {
    const text = this.template.replace(/\{(number|counter_name|counter_id)\}/g, (_, key: string) => (key === 'number' ? String(number) : key === 'counter_id' ? String(counter.id) : counter.name));
    return plainText(text, 1000);
  }

  /**
   * What the speech engine is given: the same template, with the ticket read
   * as words (its prefix letter spelt), the counter's spoken name, and no
   * digit left anywhere. The audio cache is keyed on this text.
   */
  spokenText(display: string, counter: { id: number; name: string }): string {
    const words = { zeroTens: this.zeroTens };
    const text = this.template.replace(/\{(number|counter_name|counter_id)\}/g, (_, key: string, at: number) =>
      key === 'number' ? spokenTicket(display, words) : key === 'counter_id' ? String(counter.id) : spokenName(counter.name, this.template.slice(0, at)),
    );
    return plainText(spokenText(text, words), 1000);
  }

  /** Publishes the announcement once its audio is ready (or known to be missing); resolves with it. */
  announce(t: CalledTicket, recall: boolean): Promise<TicketAnnouncedEvent> {
    const counter = { id: t.counter_id, name: t.counter_name };
    const text = this.text(t.display_number, counter);
    // Synthesis starts at once; only the publishing waits for the counter's earlier announcements.
    const audio = this.speech.audioUrl(this.spokenText(t.display_number, counter), t.counter_id);
    const previous = this.chains.get(t.counter_id) ?? Promise.resolve();
    const done = previous.then(async () => {
      const event: TicketAnnouncedEvent = {
        ticket_id: t.ticket_id,
        ticket_number: t.ticket_number,
        display_number: t.display_number,
        service_id: t.service_id,
        counter_id: t.counter_id,
        counter_name: t.counter_name,
        announcement_text: text,
        audio_url: await audio,
        display_duration: this.displayDuration,
        recall,
      };
      this.broadcaster.publish('queue.ticket_announced', event);
      return event;
    });
    const tail = done.catch(() => undefined);
    this.chains.set(t.counter_id, tail);
    void tail.then(() => {
      if (this.chains.get(t.counter_id) === tail) this.chains.delete(t.counter_id);
    });
    return done;
  }
}
