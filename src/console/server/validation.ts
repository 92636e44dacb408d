/**
 * Route schemas checked with TypeBox's compiler, exactly as protocol.ts writes them: a body is
 * taken as sent (no coercion of "true" to true, no silent removal of fields a route does not take
 * — fastify's Ajv defaults do both), while a query string or path parameter, which is text by
 * nature, is converted to the schema's types first. Errors come out in Ajv's shape, with the
 * field's path, for the error replies.
 */
import { FormatRegistry, Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import { jsonErrorOffset } from './json-offset.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => ISO_DATE_TIME.test(v) && Number.isFinite(Date.parse(v)));
}

export function installValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart, url }) => {
    if (!(Kind in schema))
      throw new Error(`${url}: route schemas are TypeBox schemas (protocol.ts), not plain JSON`);
    const check = TypeCompiler.Compile(schema as TSchema);
    const convert = httpPart !== 'body';
    return (data: unknown) => {
      const value = convert ? Value.Convert(schema as TSchema, data) : data;
      if (check.Check(value)) return { value };
      const first = check.Errors(value).First();
      return {
        error: [{ instancePath: first?.path ?? '', message: first?.message ?? 'is invalid', params: {} }],
      } as never;
    };
  });
}

/** JSON bodies parsed here so that a malformed one is answered with the byte where it breaks. */
export function installJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const at = jsonErrorOffset(text) ?? 0;
      done(
        new ApiError(400, 'malformed_json', `the body is not valid JSON (at byte ${at})`, `body@${at}`),
        undefined,
      );
    }
  });
}
