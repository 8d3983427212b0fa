import { TransformationType } from 'class-transformer';
// Not in the package's typings; the storage class-transformer's own decorators write to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: import('class-transformer/types/MetadataStorage').MetadataStorage };
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** Builds the class instance from a plain object, or says null: "not sure, take the full path". */
type FastPath = (value: Record<string, unknown>) => object | null;

interface Rule {
  property: string;
  /** ValidateIf / IsOptional / Optional conditions: all must hold for the property to be checked. */
  conditions: Array<(object: object, value: unknown) => boolean>;
  /** The constraint instances class-validator would call, with their decorator's constraints. */
  checks: Array<{ metadata: ValidationMetadata; validate: (value: unknown, args: object) => unknown }>;
}

const compiled = new WeakMap<ValidationMetadata[], FastPath | null>();
const PRIMITIVE = new Set(['string', 'number', 'boolean']);

/**
 * The validation pipe's shortcut for the common case: a flat DTO of scalar
 * fields (every socket message and most REST bodies) whose value is valid.
 * It calls the very validators class-validator would, with the same
 * arguments, but without building error objects and promises for each field;
 * it builds the instance as class-transformer would (known fields only, as
 * `whitelist` leaves it). Whenever it is not sure — a nested or array field,
 * an async or `each` rule, a transform, a value that is not a plain object of
 * scalars, any rule that fails — it answers null and the full ValidationPipe
 * runs, so errors and edge cases are exactly class-validator's.
 */
export function fastValidate(metatype: unknown, value: unknown): object | null {
  if (typeof metatype !== 'function' || !value || typeof value !== 'object' || Array.isArray(value)) return null;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  // The same lookup class-validator makes (no groups, not "always"); its result is kept per class until a rule is added.
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(metatype, undefined as unknown as string, false, false, undefined);
  let path = compiled.get(metadatas);
  if (path === undefined) compiled.set(metadatas, (path = compile(metatype as new () => object, metadatas)));
  return path ? path(value as Record<string, unknown>) : null;
}

function compile(metatype: new () => object, metadatas: ValidationMetadata[]): FastPath | null {
  if (!metadatas.length || metatype.length > 0) return null;
  const storage = getMetadataStorage();
  if (defaultMetadataStorage.getStrategy(metatype) !== 'none' || defaultMetadataStorage.getExposedMetadatas(metatype).length || defaultMetadataStorage.getExcludedMetadatas(metatype).length)
    return null;
  const rules = new Map<string, Rule>();
  for (const m of metadatas) {
    const property = m.propertyName;
    if (property === '__proto__' || property === 'constructor' || m.each || m.always || m.groups?.length) return null;
    if (Object.getOwnPropertyDescriptor(metatype.prototype, property)) return null;
    if (defaultMetadataStorage.findTypeMetadata(metatype, property) || defaultMetadataStorage.findTransformMetadatas(metatype, property, TransformationType.PLAIN_TO_CLASS).length) return null;
    let rule = rules.get(property);
    if (!rule) rules.set(property, (rule = { property, conditions: [], checks: [] }));
    switch (m.type) {
      case ValidationTypes.WHITELIST:
        break;
      case ValidationTypes.CONDITIONAL_VALIDATION:
        rule.conditions.push(m.constraints[0] as Rule['conditions'][number]);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        if ((m as { validateIf?: unknown }).validateIf) return null;
        for (const c of storage.getTargetValidatorConstraints(m.constraintCls)) {
          if (c.async || !c.instance || typeof c.instance.validate !== 'function') return null;
          rule.checks.push({ metadata: m, validate: c.instance.validate.bind(c.instance) as Rule['checks'][number]['validate'] });
        }
        break;
      }
      default:
        return null; // nested, promise: the full path
    }
  }
  const list = [...rules.values()];
  const targetName = metatype.name;
  return (value) => {
    const entity = new metatype() as Record<string, unknown>;
    // What whitelist does: a field the class declares without a rule is removed too.
    for (const key of Object.keys(entity)) if (!rules.has(key)) delete entity[key];
    for (const r of list) {
      if (!Object.prototype.hasOwnProperty.call(value, r.property)) continue;
      const v = value[r.property];
      if (v !== null && !PRIMITIVE.has(typeof v)) return null;
      entity[r.property] = v;
    }
    for (const r of list) {
      const v = entity[r.property];
      let checked = true;
      for (const condition of r.conditions) if (!condition(entity, v)) checked = false;
      if (!checked) continue;
      for (const { metadata, validate } of r.checks) {
        const ok = validate(v, { targetName, property: r.property, object: entity, value: v, constraints: metadata.constraints });
        if (ok !== true) return null;
      }
    }
    return entity;
  };
}
