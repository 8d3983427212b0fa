import { IsOptional, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';

export interface OptionalOptions {
  /** null is a value of this field (it clears it); without this, null is refused. */
  nullable?: boolean;
}

/**
 * A field that may be left out. Unlike class-validator's `@IsOptional()`,
 * null does not count as left out: a field whose column cannot hold null
 * answers 400 "… may not be null" rather than reaching the database (where
 * it was a 500). A nullable field says so, and null then passes as its value.
 * A `@ValidateIf((_, v) => v !== null)` beside it has the same effect.
 */
export function Optional(options: OptionalOptions = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  if (options.nullable) return IsOptional(validationOptions);
  const present = ValidateIf((_: object, value: unknown) => value !== undefined, validationOptions);
  const notNull = ValidateBy(
    { name: 'isNotNull', validator: { validate: (value) => value !== null, defaultMessage: (args) => `${args?.property} may not be null; leave it out instead` } },
    validationOptions,
  );
  return (object: object, propertyName: string | symbol) => {
    present(object, propertyName);
    notNull(object, String(propertyName));
  };
}
