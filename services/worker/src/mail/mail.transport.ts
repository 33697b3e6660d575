import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per idempotency key, so a receiving server can recognise a duplicate too. */
  messageId: string;
}

export interface MailTransport {
  /** Answers the provider's message id. */
  send(mail: OutgoingMail): Promise<string>;
  close(): Promise<void>;
}

/**
 * SMTP in production. Captured on the embedded default: each message is written as an .eml file in a
 * local folder and nothing leaves the machine.
 */
export type MailConfig = { from: string } & (
  | {
      smtpUrl: string;
      /** SMTP connections kept open and shared by the sends (default 5). */
      maxConnections?: number;
      /** At most this many messages per second to the SMTP server (unset: as fast as it takes them). */
      ratePerSecond?: number;
    }
  | { captureDir: string }
);

export function createMailTransport(config: MailConfig): MailTransport {
  if ('smtpUrl' in config) {
    // Options such as ?ignoreTLS=true or ?secure=true ride on the URL; so do the pool's, which nodemailer
    // reads from the query string too: connections are kept open and reused rather than one per message.
    const url = new URL(config.smtpUrl);
    if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
    if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', String(config.maxConnections ?? 5));
    if (!url.searchParams.has('maxMessages')) url.searchParams.set('maxMessages', '1000');
    if (config.ratePerSecond && !url.searchParams.has('rateLimit')) {
      url.searchParams.set('rateDelta', '1000');
      url.searchParams.set('rateLimit', String(config.ratePerSecond));
    }
    const transporter = nodemailer.createTransport(url.toString());
    return {
      async send(mail) {
        const info = await transporter.sendMail({ from: config.from, ...mail });
        return String(info.messageId);
      },
      async close() {
        transporter.close();
      },
    };
  }
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transporter.sendMail({ from: config.from, ...mail });
      await mkdir(config.captureDir, { recursive: true });
      const fileName = `${new Date().toISOString().replaceAll(':', '-')}-${mail.messageId.replace(/[^a-zA-Z0-9.-]/g, '')}.eml`;
      await writeFile(join(config.captureDir, fileName), info.message as Buffer);
      return String(info.messageId);
    },
    async close() {},
  };
}
