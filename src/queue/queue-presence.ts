/**
 * Which counters have an officer connected, anywhere in the cluster. The
 * alerts service asks it to decide `counter_offline` and stays free of
 * socket code; the gateway side implements it over the realtime core's
 * client directory. `queue.officer_presence` events say when to ask again.
 */
export abstract class QueuePresence {
  /** Ids of the counters with at least one registered officer socket. */
  abstract countersWithOfficer(): Promise<Set<number>>;
}
