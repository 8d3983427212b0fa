/**
 * Whether a user has an open /ws/chat socket anywhere in the cluster. The
 * message service asks it to decide who gets a `new_message` notification
 * and stays free of socket code; the gateway side implements it.
 */
export abstract class ChatPresence {
  /** The users among `userIds` with no open chat socket. */
  abstract offline(userIds: readonly string[]): Promise<string[]>;
  /** Online or not, and when the last socket closed (null while online or if never connected). */
  abstract describe(userIds: readonly string[]): Promise<Array<{ user_id: string; status: 'online' | 'offline'; last_seen: string | null }>>;
}
