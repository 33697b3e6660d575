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
export type MailConfig = { from: string } & ({ smtpUrl: string } | { captureDir: string });

export function createMailTransport(config: MailConfig): MailTransport {
  if ('smtpUrl' in config) {
    // Options such as ?ignoreTLS=true or ?secure=true ride on the URL.
    const transporter = nodemailer.createTransport(config.smtpUrl);
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
