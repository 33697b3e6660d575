import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Real time, shifted: tests jump to a deadline's eve and let the last few hundred milliseconds really pass. */
export class ShiftedClock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  jumpTo(instant: Date | string): void {
    this.offsetMs = new Date(instant).getTime() - Date.now();
  }
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** Headers and every body part, decoded: what a reader (or a leak) would see. */
  decoded: string;
  text: string;
  html: string;
}

/** Decodes RFC 2047 words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header value. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
  const separator = raw.search(/\r?\n\r?\n/);
  const head = separator < 0 ? raw : raw.slice(0, separator);
  const body = separator < 0 ? '' : raw.slice(separator).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** Enough MIME to read what nodemailer sends: headers, multipart/alternative, QP and base64. */
export function decodeMail(raw: string, to: string[]): ReceivedMail {
  const { headers, body } = splitPart(raw);
  const parts: Array<{ type: string; text: string }> = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitPart(chunk.replace(/^\r?\n/, ''));
      parts.push({
        type: part.headers.get('content-type') ?? '',
        text: decodeBody(part.body, part.headers.get('content-transfer-encoding') ?? ''),
      });
    }
  } else {
    parts.push({
      type: headers.get('content-type') ?? '',
      text: decodeBody(body, headers.get('content-transfer-encoding') ?? ''),
    });
  }
  const decodedHeaders = [...headers].map(([name, value]) => `${name}: ${decodeWords(value)}`).join('\n');
  return {
    to,
    subject: decodeWords(headers.get('subject') ?? ''),
    decoded: `${decodedHeaders}\n\n${parts.map((part) => part.text).join('\n')}`,
    text: parts.find((part) => part.type.startsWith('text/plain'))?.text ?? '',
    html: parts.find((part) => part.type.startsWith('text/html'))?.text ?? '',
  };
}

/** A real SMTP server on a random localhost port, keeping what it receives; it can refuse the next N messages. */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  let refuseNext = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuseNext > 0) {
          refuseNext -= 1;
          const error = Object.assign(new Error('Service temporarily unavailable'), { responseCode: 451 });
          callback(error);
          return;
        }
        const to = session.envelope.rcptTo.map((address) => address.address);
        received.push(decodeMail(Buffer.concat(chunks).toString('utf8'), to));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    received,
    refuse(count: number) {
      refuseNext = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
