// The matchers take one options object. A caller still writing a positional form from 0.1.0 (in JavaScript, where
// types do not stop it) gets the form to write instead of a failure about an undefined field.

/** `value` as the options object of `form`, or a TypeError naming the form and what to write. */
export function optionsObject<T extends object>(value: unknown, form: string, shape: string): T {
  if (typeof value === 'object' && value !== null) return value as T;
  const got =
    value === null ? 'null' : typeof value === 'string' ? `the string ${JSON.stringify(value)}` : typeof value;
  throw new TypeError(
    `${form} takes an options object, got ${got}: write ${form}(${shape}) (the positional form was removed).`,
  );
}
