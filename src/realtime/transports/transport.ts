/**
 * Carries published events to every instance's broadcaster, this one
 * included, once each and in publish order per publisher. The memory
 * transport serves one instance; a Redis transport serves a cluster.
 */
export abstract class Transport {
  abstract publish(name: string, payload: unknown): void;
  /**
   * The broadcaster's single entry point for events from every instance.
   * `id` names the event the same way on every instance (publisher and
   * sequence), so work done once per event cluster-wide can be deduplicated.
   */
  abstract onMessage(handler: (name: string, payload: unknown, id: string) => void): void;
  abstract close(): Promise<void>;
  /** Whether events still reach the other instances (always true in memory). */
  healthy(): boolean {
    return true;
  }
}
