import Database from 'better-sqlite3';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../electron/common/events';
import { createHttpKioskApi } from '../../electron/common/http-transport';
import type { KioskApi } from '../../electron/common/kiosk-api';
import { dataPaths } from '../../electron/core/paths';
import { verifyChain } from '../../electron/core/log/verify-chain';
import { newToken, startKioskHost } from '../../electron/host/kiosk-host';
import { REPO } from '../helpers/paths';
import { serveKiosk } from '../helpers/kiosk-serve';
import { tempDir } from '../helpers/temp-dir';
import { tempKiosk } from '../helpers/temp-kiosk';

// These tests run the real `kiosk` command (the built bundle): run `node scripts/build-electron.js` first.

const play = (position: number): ClientEvent => ({ type: 'video.play', tMs: position, data: { position } });
const bulky = (n: number): ClientEvent => ({ type: 'article.qr.show', tMs: n, itemId: `n${n}`, data: { url: `https://example.org/${n}/${'x'.repeat(2_000)}` } });

interface Served {
  child: ChildProcess;
  api: KioskApi;
}

/** `kiosk serve` exactly as browser mode starts it, driven over HTTP with the token from its ready line. */
async function serve(dataDir: string): Promise<Served> {
  const { child, origin, token } = await serveKiosk(dataDir, ['--port', '0']);
  return { child, api: createHttpKioskApi({ baseUrl: origin, token }) };
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('a kiosk killed while it writes (kill -9)', () => {
  it('keeps every acknowledged event, an intact file and chain, and recovers the visit, round after round', async () => {
    const dataDir = tempDir();
    const file = dataPaths(dataDir).database;
    const rounds: { visitId: string; acknowledged: number[] }[] = [];
    let served = await serve(dataDir);

    for (let round = 0; round < 5; round += 1) {
      const { child, api } = served;
      const visit = await api.startVisit({ locale: 'en' });
      const acknowledged: number[] = [];
      rounds.push({ visitId: visit.visitId, acknowledged });
      // Like the renderer: one call at a time, a few events each, counted only once the kiosk answered.
      const writer = (async () => {
        for (let position = 1; ; position += 3) {
          const batch = [play(position), play(position + 1), play(position + 2)];
          try {
            const result = await api.logEvents({ visitId: visit.visitId, events: batch });
            expect(result).toMatchObject({ acknowledged: 3, held: 0 });
            acknowledged.push(position, position + 1, position + 2);
          } catch {
            return; // the process is gone
          }
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 600));
      child.kill('SIGKILL');
      await exited(child);
      await writer;
      expect(acknowledged.length, `round ${round} wrote something before the kill`).toBeGreaterThan(0);

      const db = new Database(file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(verifyChain(db)).toMatchObject({ ok: true });
        const stored = new Set(
          (db.prepare("SELECT json_extract(data, '$.position') AS p FROM event WHERE visit_id = ? AND type = 'video.play'").all(visit.visitId) as {
            p: number;
          }[]).map((r) => r.p),
        );
        expect(acknowledged.filter((p) => !stored.has(p)), `round ${round}: acknowledged but missing`).toEqual([]);
      } finally {
        db.close();
      }

      // The next start closes the interrupted visit as 'recovered', at its last stored event.
      served = await serve(dataDir);
      const reopened = new Database(file, { readonly: true });
      try {
        const row = reopened.prepare('SELECT end_reason AS reason, duration_ms AS ms FROM visit WHERE visit_id = ?').get(visit.visitId) as {
          reason: string;
          ms: number;
        };
        const lastTMs = reopened
          .prepare("SELECT MAX(t_ms) AS t FROM event WHERE visit_id = ? AND type != 'visit.end'")
          .get(visit.visitId) as { t: number };
        expect(row).toEqual({ reason: 'recovered', ms: lastTMs.t });
      } finally {
        reopened.close();
      }
    }

    served.child.kill('SIGTERM');
    await exited(served.child);
    const db = new Database(file, { readonly: true });
    expect(verifyChain(db)).toMatchObject({ ok: true });
    expect((db.prepare("SELECT COUNT(*) AS n FROM visit WHERE end_reason = 'recovered'").get() as { n: number }).n).toBe(5);
    db.close();
    console.info(`kill -9 rounds, events acknowledged before each kill: ${rounds.map((r) => r.acknowledged.length).join(', ')}`);
  }, 60_000);
});

describe('a full disk', () => {
  it('keeps the visitor API answering while SQLite is full (max_page_count), then writes everything once', async () => {
    const kiosk = await tempKiosk();
    const token = newToken();
    const host = await startKioskHost({ service: kiosk.service, token, rendererDir: null, packDir: () => null, port: 0 });
    const api = createHttpKioskApi({ baseUrl: `http://127.0.0.1:${host.port}`, token });
    const rows = () =>
      kiosk.db.prepare('SELECT visit_id AS visitId, type, t_ms AS tMs FROM event ORDER BY seq').all() as { visitId: string; type: string; tMs: number }[];
    try {
      const first = await api.startVisit({ locale: 'en' });
      await api.logEvents({ visitId: first.visitId, events: [play(1)] });
      const before = rows();

      // The same connection the kiosk writes with may not grow the file: SQLite answers SQLITE_FULL.
      kiosk.db.pragma(`max_page_count = ${kiosk.db.pragma('page_count', { simple: true }) as number}`);
      const sent: [string, number][] = [];
      let heldSeen = 0;
      for (let n = 0; n < 200 && heldSeen === 0; n += 1) {
        const result = await api.logEvents({ visitId: first.visitId, events: [bulky(n)] });
        sent.push([first.visitId, n]);
        heldSeen = result.held;
      }
      expect(heldSeen).toBe(1);
      // Everything the visitor does still answers ok, and nothing needs resending.
      expect(await api.logEvents({ visitId: first.visitId, events: [play(2), play(3)] })).toMatchObject({ acknowledged: 0, held: 2 });
      const ended = await api.endVisit({ visitId: first.visitId, reason: 'completed' });
      expect(ended.visitId).toBe(first.visitId);
      const second = await api.startVisit({ locale: 'zh-CN' });
      expect(await api.logEvents({ visitId: second.visitId, events: [play(4)] })).toMatchObject({ held: 1 });
      const status = await api.getStatus();
      expect(status.heldWrites).toBe(1 + 2 + 1 + 1 + 1);
      expect(status.notices.map((n) => n.code)).toContain('storage-full');
      expect(rows()).toEqual(rows().slice(0, before.length + sent.length - 1));

      // Space returns: the next write drains the held ones first, in order, each once.
      kiosk.db.pragma('max_page_count = 1073741823');
      expect(await api.logEvents({ visitId: second.visitId, events: [play(5)] })).toMatchObject({ acknowledged: 1, held: 0 });
      const recovered = await api.getStatus();
      expect(recovered.heldWrites).toBe(0);
      expect(recovered.notices.map((n) => n.code)).not.toContain('storage-full');
      const after = rows();
      expect(after.slice(0, before.length)).toEqual(before);
      const tail = after.slice(before.length).map((r) => [r.visitId === first.visitId ? 1 : 2, r.type, r.tMs]);
      expect(tail).toEqual([
        ...sent.map(([, n]) => [1, 'article.qr.show', n]),
        [1, 'video.play', 2],
        [1, 'video.play', 3],
        [1, 'visit.end', ended.durationMs],
        [2, 'visit.start', 0],
        [2, 'video.play', 4],
        [2, 'video.play', 5],
      ]);
      expect(verifyChain(kiosk.db)).toMatchObject({ ok: true, events: after.length });
      const audit = kiosk.db.prepare("SELECT action FROM audit WHERE action LIKE 'storage.%' ORDER BY audit_id").all();
      expect(audit).toEqual([{ action: 'storage.full' }, { action: 'storage.recovered' }]);
    } finally {
      await host.close();
      kiosk.close();
    }
  });

  // A real full filesystem needs a small tmpfs, which needs the right to mount (root with CAP_SYS_ADMIN).
  // Containers without it skip this variant; the max_page_count test above always runs.
  const mountTmpfs = (dir: string) => spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
  const probe = mkdtempSync(join(tmpdir(), 'kiosk-tmpfs-probe-'));
  const canMount = mountTmpfs(probe);
  if (canMount) spawnSync('umount', [probe]);
  rmdirSync(probe);

  it.skipIf(!canMount)('holds writes on a real 2 MB filesystem that runs out of space (ENOSPC), and loses nothing', async () => {
    const mountPoint = tempDir('kiosk-tmpfs-');
    expect(mountTmpfs(mountPoint)).toBe(true);
    let kiosk: Awaited<ReturnType<typeof tempKiosk>> | null = null;
    try {
      const dataDir = join(mountPoint, 'data');
      mkdirSync(dataDir);
      kiosk = await tempKiosk(dataDir);
      const visit = await kiosk.service.startVisit({ locale: 'en' });
      await kiosk.service.logEvents({ visitId: visit.visitId, events: [play(0)] });
      // Ballast takes every free byte, as a runaway log file or a full SD card would.
      const ballast = join(mountPoint, 'ballast');
      const fd = openSync(ballast, 'w');
      for (const size of [65_536, 4_096, 512, 1]) {
        const chunk = Buffer.alloc(size, 1);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
        }
      }
      closeSync(fd);

      const accepted: number[] = [];
      let held = 0;
      for (let n = 1; n <= 300; n += 1) {
        const result = await kiosk.service.logEvents({ visitId: visit.visitId, events: [bulky(n)] });
        accepted.push(n);
        held = result.held;
        if (held > 0 && accepted.length >= 20) break;
      }
      expect(held).toBe(1);
      expect((await kiosk.service.getStatus()).heldWrites).toBeGreaterThan(0);

      rmSync(ballast);
      await kiosk.service.logEvents({ visitId: visit.visitId, events: [bulky(1_000)] });
      expect((await kiosk.service.getStatus()).heldWrites).toBe(0);
      const stored = kiosk.db.prepare("SELECT t_ms AS n FROM event WHERE type = 'article.qr.show' ORDER BY seq").all() as { n: number }[];
      expect(stored.map((r) => r.n)).toEqual([...accepted, 1_000]);
      expect(kiosk.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(verifyChain(kiosk.db)).toMatchObject({ ok: true });
    } finally {
      kiosk?.close();
      spawnSync('umount', [mountPoint]);
    }
  });
});

describe('a tampered log (kiosk logs verify)', () => {
  /** A log with two short visits, closed, and a copy of it the test may edit by hand. */
  async function closedLog(): Promise<string> {
    const kiosk = await tempKiosk();
    for (const locale of ['en', 'zh-CN'] as const) {
      const visit = await kiosk.service.startVisit({ locale });
      await kiosk.service.logEvents({ visitId: visit.visitId, events: [play(1), play(2)] });
      await kiosk.service.endVisit({ visitId: visit.visitId, reason: 'completed' });
    }
    kiosk.close();
    const copy = join(tempDir(), 'visit-log.sqlite');
    copyFileSync(dataPaths(kiosk.dataDir).database, copy);
    return copy;
  }
  const verify = (file: string) => {
    const result = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), 'logs', 'verify', file, '--lang', 'en'], { encoding: 'utf8' });
    const json = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), 'logs', 'verify', file, '--json'], { encoding: 'utf8' });
    return { code: result.status, stdout: result.stdout, verdict: JSON.parse(json.stdout) as { ok: boolean; brokenAtSeq?: number } };
  };

  it('reports the exact seq of an edited event, of the row after a deleted one, and of newest rows cut off', async () => {
    const intact = await closedLog();
    expect(verify(intact)).toMatchObject({ code: 0, verdict: { ok: true } });

    const edited = await closedLog();
    let db = new Database(edited);
    db.exec('DROP TRIGGER event_append_only_update');
    db.prepare(`UPDATE event SET data = '{"position":99}' WHERE seq = 3`).run();
    db.close();
    const afterEdit = verify(edited);
    expect(afterEdit.code).toBe(1);
    expect(afterEdit.stdout).toContain('broken at seq 3');
    expect(afterEdit.verdict).toMatchObject({ ok: false, brokenAtSeq: 3 });

    const deleted = await closedLog();
    db = new Database(deleted);
    db.exec('DROP TRIGGER event_append_only_delete');
    db.prepare('DELETE FROM event WHERE seq = 6').run();
    db.close();
    const afterDelete = verify(deleted);
    expect(afterDelete.code).toBe(1);
    expect(afterDelete.verdict).toMatchObject({ ok: false, brokenAtSeq: 7 });

    // Cutting off the newest rows breaks no later hash; the AUTOINCREMENT counter still remembers them.
    const truncated = await closedLog();
    db = new Database(truncated);
    db.exec('DROP TRIGGER event_append_only_delete');
    const newest = (db.prepare('SELECT MAX(seq) AS seq FROM event').get() as { seq: number }).seq;
    db.prepare('DELETE FROM event WHERE seq >= ?').run(newest - 1);
    db.close();
    const afterTruncate = verify(truncated);
    expect(afterTruncate.code).toBe(1);
    expect(afterTruncate.stdout).toContain(`newest events (seq ${newest - 1}–${newest}) are missing`);
    expect(afterTruncate.verdict).toMatchObject({ ok: false, brokenAtSeq: newest - 1 });
  });

  it('says a damaged file is no log, and leaves it exactly as it was (a verifier changes nothing)', async () => {
    const damaged = join(tempDir(), 'visit-log.sqlite');
    writeFileSync(damaged, randomBytes(8192));
    const before = readFileSync(damaged);
    const result = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), 'logs', 'verify', damaged, '--lang', 'en'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not a visit log, a fleet database or a sync bundle');
    expect(readdirSync(dirname(damaged))).toEqual(['visit-log.sqlite']);
    expect(readFileSync(damaged).equals(before)).toBe(true);

    // An intact log is opened read-only too: no migration, not a byte of the file changed. (SQLite may
    // leave its WAL index files beside it, as any reader of a WAL database does.)
    const intact = await closedLog();
    const bytes = readFileSync(intact);
    expect(verify(intact)).toMatchObject({ code: 0, verdict: { ok: true } });
    expect(readFileSync(intact).equals(bytes)).toBe(true);
  });
});
