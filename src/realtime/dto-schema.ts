import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** class-transformer keeps `@Type(() => X)` here; the package exports no typings for it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: { findTypeMetadata(target: unknown, property: string): { typeFunction(): unknown } | undefined };
};

export type JsonSchema = Record<string, unknown>;
type DtoClass = abstract new (...args: never[]) => object;

/**
 * The JSON Schema of a class-validator DTO, read from the metadata its
 * decorators already registered: the DTO stays the one definition of an
 * inbound message, for validation and for the AsyncAPI document alike.
 * Extra fields are allowed, as the validation pipe allows (and ignores) them.
 * A decorator this does not know adds no constraint; the schema is then
 * looser than the validator, never stricter.
 */
export function dtoSchema(dto: DtoClass): JsonSchema {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, metas] of byProperty) {
    // `@IsOptional()`, `@Optional()` and `@Allow()` (any value, or none) make a field optional.
    const optional = metas.some((m) => m.type === 'conditionalValidation' || m.type === 'whitelistValidation');
    properties[name] = propertySchema(dto, name, metas);
    if (!optional) required.push(name);
  }
  const schema: JsonSchema = { type: 'object', properties };
  if (required.length) schema.required = required;
  if (dto.name) schema.title = dto.name;
  return schema;
}

function propertySchema(dto: DtoClass, name: string, metas: ValidationMetadata[]): JsonSchema {
  const whole: JsonSchema = {};
  const each: JsonSchema = {};
  for (const m of metas) apply(m.each ? each : whole, m, dto, name);
  // A condition that skips validation for null (`@ValidateIf((_, v) => v !== null)`) lets null through.
  const nullable = metas.some((m) => m.type === 'conditionalValidation' && !m.name && skipsNull(m));
  let schema = whole;
  if (whole.type === 'array' || Object.keys(each).length) schema = { ...whole, type: 'array', items: each };
  const doc = (Reflect.getMetadata('swagger/apiModelProperties', dto.prototype, name) as { description?: string } | undefined) ?? pluginDoc(dto, name);
  if (doc?.description) schema.description = doc.description;
  return nullable && schema.type ? { ...schema, type: [schema.type, 'null'].flat() } : schema;
}

function skipsNull(m: ValidationMetadata): boolean {
  try {
    return (m.constraints[0] as (o: object, v: unknown) => boolean)({}, null) === false;
  } catch {
    return false;
  }
}

type PropertyDoc = { description?: string };

/**
 * What the Swagger CLI plugin compiled into the class for a property (its doc
 * comment): the plugin writes it as decorator metadata only when the OpenAPI
 * document is built, so it is read from the generated factory, nearest class first.
 */
function pluginDoc(dto: DtoClass, name: string): PropertyDoc | undefined {
  for (let c: unknown = dto; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (!Object.hasOwn(c, '_OPENAPI_METADATA_FACTORY')) continue;
    const factory = (c as unknown as { _OPENAPI_METADATA_FACTORY(): Record<string, PropertyDoc> })._OPENAPI_METADATA_FACTORY;
    const doc = factory()[name];
    if (doc) return doc;
  }
  return undefined;
}

function apply(s: JsonSchema, m: ValidationMetadata, dto: DtoClass, name: string): void {
  const c = (m.constraints ?? []) as unknown[];
  switch (m.type === 'nestedValidation' ? 'nested' : m.name) {
    case 'isString':
    case 'isUUID':
    case 'isDateString':
    case 'isISO8601':
    case 'isCalendarDate':
      s.type = 'string';
      if (m.name === 'isUUID') s.format = 'uuid';
      if (m.name === 'isCalendarDate') s.format = 'date';
      if (m.name === 'isDateString' || m.name === 'isISO8601') s.format = 'date-time';
      return;
    case 'isInt':
      s.type = 'integer';
      return;
    case 'isNumber':
      s.type = 'number';
      return;
    case 'isBoolean':
      s.type = 'boolean';
      return;
    case 'isObject':
      s.type = 'object';
      return;
    case 'isArray':
      s.type = 'array';
      return;
    case 'isIn':
      s.enum = [...(c[0] as unknown[])];
      return;
    case 'isEnum':
      s.enum = Object.values(c[0] as object);
      return;
    case 'min':
      s.minimum = c[0];
      return;
    case 'max':
      s.maximum = c[0];
      return;
    case 'minLength':
      s.minLength = c[0];
      return;
    case 'maxLength':
      s.maxLength = c[0];
      return;
    case 'arrayNotEmpty':
      s.minItems = 1;
      return;
    case 'arrayMinSize':
      s.minItems = c[0];
      return;
    case 'arrayMaxSize':
      s.maxItems = c[0];
      return;
    case 'arrayUnique':
      s.uniqueItems = true;
      return;
    case 'matches':
      if (c[0] instanceof RegExp) s.pattern = c[0].source;
      return;
    case 'nested': {
      const type = defaultMetadataStorage.findTypeMetadata(dto, name)?.typeFunction() as DtoClass | undefined;
      if (type) Object.assign(s, dtoSchema(type));
      return;
    }
    default:
      return;
  }
}
