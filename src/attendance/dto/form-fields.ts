import { Transform } from 'class-transformer';

/**
 * Multipart fields arrive as strings; JSON bodies bring numbers. An empty
 * field counts as absent, so an HTML form's blank input is not a bad value.
 */
export const FormNumber = () =>
  Transform(({ value }) => {
    if (value === undefined || value === null) return value;
    if (typeof value === 'string') return value.trim() === '' ? undefined : Number(value);
    return value;
  });

/** A multipart `true`/`false` (JSON bodies bring booleans); other strings stay strings and fail validation. */
export const FormBoolean = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    return v === '' ? undefined : v === 'true' ? true : v === 'false' ? false : value;
  });

export const FormString = () => Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));

/** Kept here too: attendance forms were its first users. */
export { IsInstant } from '../../common/instant';
