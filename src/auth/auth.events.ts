declare module '../realtime/events' {
  interface RealtimeEvents {
    /** A login was signed out or a refresh token replayed: forget cached principals on every instance. */
    'auth.tokens_revoked': { family_id: string };
  }
}

export {};
