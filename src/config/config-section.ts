import { AppConfig, declareConfig, parseValidVar } from './app-config';
import type { VarSpec } from './config.schema';

/** The TypeScript type a variable of this spec reads as. */
type ValueOf<S extends VarSpec> = S['kind'] extends 'int'
  ? number
  : S['kind'] extends 'bool'
    ? boolean
    : S['kind'] extends 'list'
      ? string[]
      : S['kind'] extends 'enum'
        ? S['values'] extends readonly (infer V)[]
          ? V
          : string
        : string;

/** A variable with a default (or a required one) is always set; others may be undefined. */
type Settled<S extends VarSpec> = S extends { default: string } | { required: true } ? ValueOf<S> : ValueOf<S> | undefined;

export type ConfigValues<T extends Record<string, VarSpec>> = { readonly [K in keyof T]: Settled<T[K]> };

export interface ConfigSectionClass<T extends Record<string, VarSpec>> {
  new (): ConfigValues<T>;
  /** The variables of this section, for documentation and the start-up check. */
  readonly schema: T;
  /** This section's values, read from the validated configuration. */
  read<C extends ConfigSectionClass<T>>(this: C, config: AppConfig): InstanceType<C>;
  /** A variable's name, checked by the compiler (for options that name a variable). */
  key<K extends keyof T & string>(name: K): K;
}

/**
 * A domain's environment variables, declared once: they are validated with the
 * core ones at start-up (one message names every bad variable), documented by
 * `npm run config:doc`, and read back as a typed object, so a misspelt name
 * does not compile and a value is never re-parsed at the point of use.
 *
 *     export class QueueConfig extends configSection({ QUEUE_TIMEZONE: { kind: 'timezone', default: 'UTC', doc: '…' } }) {}
 *     this.zone = QueueConfig.read(config).QUEUE_TIMEZONE; // string, validated at start-up
 */
export function configSection<const T extends Record<string, VarSpec>>(schema: T): ConfigSectionClass<T> {
  declareConfig(schema);
  class Section {
    static readonly schema = schema;
    static read(this: ConfigSectionClass<T>, config: AppConfig): ConfigValues<T> {
      const values = Object.create(this.prototype) as Record<string, unknown>;
      for (const [name, spec] of Object.entries(schema)) values[name] = parseValidVar(spec, config.vars[name]);
      return Object.freeze(values) as ConfigValues<T>;
    }
    static key<K extends keyof T & string>(name: K): K {
      return name;
    }
  }
  return Section as unknown as ConfigSectionClass<T>;
}
