import { Static, TSchema, Type } from '@sinclair/typebox';

/**
 * The one place a gateway's frames are declared. Each server → client frame
 * is a TypeBox schema: `Static<>` of it is the TypeScript type the gateway
 * must send (a wrong shape does not compile) and the schema itself goes into
 * the AsyncAPI document and the e2e suite's ajv check. Both come from the
 * same object, so they cannot disagree. Files that declare frames
 * (`<domain>.frames.ts`) import only this module and TypeBox, so the client
 * package can use their types without pulling in the server.
 */
export interface OutboundFrame<S extends TSchema = TSchema> {
  schema: S;
  /** One line: what the frame says. */
  summary: string;
  /** Who receives it and when. */
  audience: string;
}

export type OutboundFrames = Record<string, OutboundFrame>;

export function outbound<S extends TSchema>(schema: S, summary: string, audience: string): OutboundFrame<S> {
  return { schema, summary, audience };
}

/** The frame type of one entry, and the union of all of a gateway's frames. */
export type FrameOf<M extends OutboundFrames, K extends keyof M> = Static<M[K]['schema']>;
export type AnyFrameOf<M extends OutboundFrames> = { [K in keyof M]: Static<M[K]['schema']> }[keyof M];

/** ISO 8601 time in UTC, as every frame writes it. */
export const IsoTime = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
export const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });
export const Nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);
/** A JSON object whose keys are not fixed (metadata, field changes). */
export const AnyObject = (description?: string) => Type.Record(Type.String(), Type.Unknown(), description ? { description } : {});
