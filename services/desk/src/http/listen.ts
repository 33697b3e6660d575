import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { AppError, problemTypeOf } from './app-error.ts';
import { problemContentType } from './problem.ts';

/**
 * The desk's HTTP server. Node answers a request it cannot parse (an address or headers past its 16 KB,
 * a malformed request line) with a bare status before Express sees it; this server answers those too as
 * problems in French, with a request id, so every refusal looks the same to a client and to support.
 */
export function createDeskServer(app: Express): Server {
  const server = createServer(app);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const refusal =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError('request_header_too_large', 'L’adresse ou les en-têtes de la requête sont trop longs.')
        : new AppError('malformed_json', 'La requête HTTP est illisible.');
    const body = JSON.stringify({
      type: problemTypeOf(refusal.code),
      title: refusal.title,
      status: refusal.status,
      detail: refusal.message,
      requestId: randomUUID(),
    });
    socket.end(
      `HTTP/1.1 ${refusal.status} ${refusal.title.normalize('NFD').replace(/[^\x20-\x7e]/g, '')}\r\n` +
        `Content-Type: ${problemContentType}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/** Creates the desk's server and starts listening; wait for its `listening` event. */
export function listenDesk(app: Express, port: number, host?: string): Server {
  const server = createDeskServer(app);
  if (host) server.listen(port, host);
  else server.listen(port);
  return server;
}
