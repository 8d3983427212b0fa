import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { GATEWAY_CONTRACTS } from '../../src/asyncapi/gateway-contracts';
import { compilePath } from '../../src/realtime/gateway-runtime';
import { PositionSchema } from '../../src/realtime/replay/recovery.contract';

type Schema = Record<string, unknown>;

interface Candidate {
  type: string;
  consts: Array<[string, unknown]>;
  validate: ValidateFunction;
}

/**
 * The documented outbound frames of every gateway, compiled with ajv, so the
 * shared test socket can check each frame it receives. Checked strictly: an
 * object may carry no field its schema does not name, so a field the server
 * sends but the document forgets fails the suite (the published schemas stay
 * open, as the contract lets the server add fields).
 */
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

const gateways = GATEWAY_CONTRACTS.map((c) => ({
  name: c.name,
  pattern: compilePath(c.path.replace(/\{(\w+)\}/g, ':$1')).pattern,
  frames: Object.entries(c.outbound).map(([type, f]): Candidate => {
    const schema = closed(JSON.parse(JSON.stringify(f.schema)) as Schema);
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    return {
      type,
      consts: Object.entries(props)
        .filter(([, s]) => 'const' in s)
        .map(([k, s]) => [k, s.const]),
      validate: ajv.compile(schema),
    };
  }),
}));

function closed(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(closed) as unknown as Schema;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = v && typeof v === 'object' ? closed(v as Schema) : v;
  if (out.type === 'object' && out.properties && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

const checkPosition = ajv.compile(closed(JSON.parse(JSON.stringify(PositionSchema)) as Schema));

export type FrameCheck = (frame: unknown) => string | null;

/** The checker for the gateway serving `url`'s default path, or null (test gateways, moved paths). */
export function frameCheckFor(url: string): FrameCheck | null {
  const path = new URL(url).pathname;
  const gateway = gateways.find((g) => g.pattern.test(path));
  if (!gateway) return null;
  return (received) => {
    // A position is checked on its own; the frame around it is the gateway's documented frame.
    let frame = received;
    const r = received as Record<string, unknown>;
    if (r && typeof r === 'object' && '_pos' in r) {
      if (!checkPosition(r._pos)) return `${gateway.name}: bad _pos ${ajv.errorsText(checkPosition.errors)}: ${JSON.stringify(received)}`;
      const { _pos: _p, ...rest } = r;
      frame = rest;
    }
    const f = frame as Record<string, unknown>;
    const candidates = gateway.frames.filter((c) => c.consts.every(([k, v]) => f?.[k] === v));
    if (!candidates.length) return `${gateway.name}: no documented frame matches ${JSON.stringify(frame)}`;
    if (candidates.some((c) => c.validate(frame))) return null;
    const errors = candidates.map((c) => `${c.type}: ${ajv.errorsText(c.validate.errors)}`).join('; ');
    return `${gateway.name}: frame does not match its schema (${errors}): ${JSON.stringify(frame)}`;
  };
}
