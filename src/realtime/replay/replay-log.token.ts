/** The replay log provider (null when REPLAY_WINDOW_SECONDS is 0). */
export const REPLAY_LOG = Symbol('REPLAY_LOG');
