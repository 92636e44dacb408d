/**
 * Every error as an ErrorReply: a stable code, plain words, and where (a field path such as
 * body.destination_id, a byte offset in a body, or the route). Fastify's own errors (validation,
 * malformed JSON, a body too large, an unknown route) are translated here so no client ever sees
 * a stack or an internal message.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorReply } from '../protocol.js';
import { StoreError } from '../store/index.js';

/** An error a route throws on purpose: its status and reply are the client's to read. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly where?: string,
  ) {
    super(message);
  }
  reply(): ErrorReply {
    return { error: this.code, message: this.message, ...(this.where ? { where: this.where } : {}) };
  }
}

interface ValidationItem {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** 'body.until' from a validation error's context and JSON pointer. */
function fieldPath(context: string | undefined, item: ValidationItem | undefined): string {
  const base = context ?? 'body';
  const path = (item?.instancePath ?? '').split('/').filter(Boolean).join('.');
  const missing = item?.params?.['missingProperty'];
  const extra = item?.params?.['additionalProperty'];
  const leaf = typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : '';
  return [base, path, leaf].filter(Boolean).join('.');
}

function translate(error: FastifyError, request: FastifyRequest): { status: number; body: ErrorReply } {
  if (error instanceof ApiError) return { status: error.statusCode, body: error.reply() };
  if (error instanceof StoreError) {
    // The robot goes on; this one request could not be kept. The file is named for the admin.
    const status = error.code === 'LOCKED' ? 503 : 500;
    return {
      status,
      body: { error: `store_${error.code.toLowerCase()}`, message: error.message, where: error.where },
    };
  }
  const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
  if (error.validation) {
    const item = error.validation[0] as ValidationItem | undefined;
    const where = fieldPath(error.validationContext, item);
    const message = `${where}: ${(item?.message ?? 'is invalid').toLowerCase()}`;
    return { status: 400, body: { error: 'invalid_input', message, where } };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: { error: 'body_too_large', message: 'the request body is too large', where: route },
    };
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      body: { error: 'unsupported_media_type', message: 'send the body as application/json', where: route },
    };
  }
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500)
    return { status, body: { error: 'internal', message: 'the server failed; see its log', where: route } };
  return {
    status,
    body: { error: error.code?.toLowerCase() ?? 'bad_request', message: error.message, where: route },
  };
}

export function installErrorReplies(app: FastifyInstance, logError: (e: unknown) => void): void {
  app.setErrorHandler((error: FastifyError, request, reply: FastifyReply) => {
    const { status, body } = translate(error, request);
    if (status === 500) logError(error);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
      where: 'url',
    } satisfies ErrorReply);
  });
}
