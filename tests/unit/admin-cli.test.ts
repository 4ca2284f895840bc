import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHttpKioskApi } from '../../electron/common/http-transport';
import { REPO } from '../helpers/paths';
import { serveKiosk } from '../helpers/kiosk-serve';
import { tempDir } from '../helpers/temp-dir';
import { tempKiosk } from '../helpers/temp-kiosk';

/** Runs the real `kiosk` command (the built bundle), with `input` on stdin (so stdin is never a TTY). */
function kiosk(input: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), ...args], { input, encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kiosk admin (CLI)', () => {
  it('sets the PIN from stdin on a fresh data folder, and the kiosk then unlocks with it', async () => {
    const dataDir = tempDir();
    const set = kiosk('2468\n', 'admin', 'set-pin', '--pin-stdin', '--data', dataDir);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('✓ The staff PIN is set');
    expect(set.stdout).not.toContain('2468');

    const core = await tempKiosk(dataDir);
    expect((await core.service.getAdminState()).setupNeeded).toBe(false);
    await expect(core.service.unlockAdmin({ pin: '1357' })).rejects.toMatchObject({ code: 'wrong-pin' });
    const { session } = await core.service.unlockAdmin({ pin: '2468' });
    expect((await core.service.listPacks({ session })).length).toBe(1);
    core.close();

    // Resetting it from the machine clears a lockout; a pipe without a final newline is fine too.
    expect(kiosk('97531', 'admin', 'set-pin', '--pin-stdin', '--data', dataDir).code).toBe(0);
    const audit = kiosk('', 'admin', 'audit', '--data', dataDir, '--json');
    expect(audit.code).toBe(0);
    const entries = JSON.parse(audit.stdout) as { actor: string; action: string; ok: boolean }[];
    expect(entries.map((e) => `${e.actor} ${e.action} ${e.ok}`)).toEqual([
      'cli admin.pin.change true',
      'staff admin.unlock true',
      'staff admin.unlock false',
      'cli admin.pin.set true',
    ]);
    expect(audit.stdout).not.toMatch(/2468|97531|1357/);
    const text = kiosk('', 'admin', 'audit', '--data', dataDir, '--limit', '1');
    expect(text.stdout.trim()).toMatch(/^\d{4}-\d\d-\d\dT\S+Z {2}cli {5}✓ admin\.pin\.change {2}\{"via":"cli"\}$/);
  });

  it('refuses a malformed PIN, an empty stdin and a missing terminal, in the chosen language, and sets nothing', () => {
    const dataDir = tempDir();
    const letters = kiosk('24a8\n', 'admin', 'set-pin', '--pin-stdin', '--data', dataDir);
    expect(letters.code).toBe(1);
    expect(letters.stderr).toContain('A PIN is 4 to 12 digits; the PIN was not changed.');
    const tooLong = kiosk('1234567890123\n', 'admin', 'set-pin', '--pin-stdin', '--data', dataDir, '--lang', 'zh-CN');
    expect(tooLong.stderr).toContain('PIN 必须是 4 到 12 位数字');
    expect(kiosk('', 'admin', 'set-pin', '--pin-stdin', '--data', dataDir).stderr).toContain('stdin was empty');
    const noTty = kiosk('2468\n', 'admin', 'set-pin', '--data', dataDir);
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toContain('--pin-stdin');
    // Nothing was written, not even an empty log.
    expect(existsSync(join(dataDir, 'visit-log.sqlite'))).toBe(false);
    expect(kiosk('', 'admin', 'audit', '--data', dataDir, '--lang', 'zh-CN').stderr).toContain('找不到访问日志');
  });

  it('exits 2 for usage mistakes', () => {
    expect(kiosk('', 'admin').code).toBe(2);
    expect(kiosk('', 'admin', 'frobnicate').code).toBe(2);
    expect(kiosk('', 'admin', 'audit', '--limit', '0').code).toBe(2);
    expect(kiosk('', 'admin', 'audit', '--pin-stdin').code).toBe(2);
    expect(kiosk('', 'admin', 'set-pin', '--json').code).toBe(2);
    expect(kiosk('', 'admin', 'set-pin', 'extra').code).toBe(2);
    expect(kiosk('', '--help').stdout).toContain('kiosk admin <command>');
  });
});

describe('kiosk serve: leaving from the admin screen', () => {
  it('stops the host and closes the log cleanly when staff exit the kiosk', async () => {
    const dataDir = tempDir();
    const { child, origin, token } = await serveKiosk(dataDir);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const api = createHttpKioskApi({ baseUrl: origin, token });
    expect((await api.getAdminState()).capabilities).toEqual({ pickPath: false, exit: true });
    const { session } = await api.setupKiosk({ pin: '2468', label: 'Browser kiosk', location: 'Desk' });
    const visit = await api.startVisit({ locale: 'en' });
    await api.exitKiosk({ session });
    expect(await exited).toBe(0);

    // The open visit was closed as 'shutdown' and the exit is in the audit trail.
    const core = await tempKiosk(dataDir);
    expect(core.db.prepare('SELECT end_reason FROM visit WHERE visit_id = ?').get(visit.visitId)).toEqual({ end_reason: 'shutdown' });
    expect(core.db.prepare("SELECT actor, ok FROM audit WHERE action = 'kiosk.exit'").all()).toEqual([{ actor: 'staff', ok: 1 }]);
    core.close();
  }, 30_000);
});
