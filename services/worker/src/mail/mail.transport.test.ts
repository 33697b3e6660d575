import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailTransport } from './mail.transport.ts';

describe('mail capture transport', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('when no SMTP server is configured, then each message is written as an .eml file in the capture folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'parcours-mail-'));
    const captureDir = join(dir, 'mail');
    const transport = createMailTransport({ captureDir, from: 'Parcours <parcours@example.test>' });
    const messageId = await transport.send({
      to: 'agent@example.test',
      subject: 'Parcours : un dossier vous a été confié',
      text: 'Bonjour',
      html: '<p>Bonjour</p>',
      messageId: '<abc123@parcours>',
    });
    expect(messageId).toBe('<abc123@parcours>');
    const files = await readdir(captureDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/abc123parcours\.eml$/);
    const eml = await readFile(join(captureDir, files[0] as string), 'utf8');
    expect(eml).toContain('To: agent@example.test');
    expect(eml).toContain('Message-ID: <abc123@parcours>');
  });
});
