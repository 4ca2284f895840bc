import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDrives, removableMounts, SYSTEM_DRIVE_ROOTS, type DriveRoots } from '../../electron/core/admin/drives';
import { findPacks } from '../../electron/core/admin/find-packs';
import { tempDir } from '../helpers/temp-dir';
import { adminSession, tempKiosk } from '../helpers/temp-kiosk';

describe('removable drives', () => {
  it('picks USB sticks out of a Linux mount table, and not the system, EFI or memory mounts', () => {
    const table = [
      '/dev/nvme0n1p2 / ext4 rw,relatime 0 0',
      '/dev/nvme0n1p1 /boot/efi vfat rw 0 0',
      'proc /proc proc rw 0 0',
      'tmpfs /mnt/wsl tmpfs rw 0 0',
      '/dev/sdb1 /media/staff/KIOSK\\040USB vfat rw,nosuid 0 0',
      '/dev/sdc1 /run/media/staff/backup ext4 rw 0 0',
      '/dev/sdd1 /srv/stick exfat rw 0 0',
      '/dev/sde1 /mnt/disk ntfs3 rw 0 0',
      '/dev/sdb1 /media/staff/KIOSK\\040USB vfat rw,nosuid 0 0',
      '',
    ].join('\n');
    expect(removableMounts(table, ['/media', '/run/media', '/mnt'])).toEqual([
      '/media/staff/KIOSK USB',
      '/run/media/staff/backup',
      '/srv/stick',
      '/mnt/disk',
    ]);
  });

  it('lists mounted sticks with their folder name and free space', () => {
    const root = tempDir();
    const stick = join(root, 'media', 'staff', 'EXPO 2026');
    mkdirSync(stick, { recursive: true });
    const mounts = join(root, 'mounts');
    writeFileSync(mounts, `/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 ${stick.replace(/ /g, '\\040')} vfat rw 0 0\n`);
    const roots: DriveRoots = { ...SYSTEM_DRIVE_ROOTS, platform: 'linux', mountsFile: mounts };
    const [drive, ...rest] = listDrives(roots);
    expect(rest).toEqual([]);
    expect(drive).toMatchObject({ path: stick, label: 'EXPO 2026' });
    expect(drive!.freeBytes).toBeGreaterThan(0);
    expect(listDrives({ ...roots, mountsFile: join(root, 'missing') })).toEqual([]);
  });

  it('lists macOS volumes, leaving out the start-up disk (a link to /) and hidden entries', () => {
    const volumes = tempDir();
    mkdirSync(join(volumes, 'USB STICK'));
    mkdirSync(join(volumes, '.timemachine'));
    symlinkSync('/', join(volumes, 'Macintosh HD'));
    const drives = listDrives({ ...SYSTEM_DRIVE_ROOTS, platform: 'darwin', volumesDir: volumes });
    expect(drives.map((d) => [d.path, d.label])).toEqual([[join(volumes, 'USB STICK'), 'USB STICK']]);
  });

  it('is offered through the service to a live admin session', async () => {
    const kiosk = await tempKiosk(tempDir(), { driveRoots: { ...SYSTEM_DRIVE_ROOTS, platform: 'linux', mountsFile: join(tempDir(), 'none') } });
    const session = await adminSession(kiosk.service);
    expect(await kiosk.service.listDrives({ session })).toEqual([]);
    kiosk.close();
  });
});

function pack(dir: string): string {
  mkdirSync(join(dir, 'media'), { recursive: true });
  writeFileSync(join(dir, 'pack.json'), '{}');
  return dir;
}

describe('finding packs on a drive', () => {
  it('finds pack folders and .kpack files two levels deep, sorted, skipping hidden ones', () => {
    const stick = tempDir();
    writeFileSync(join(stick, 'spring.kpack'), 'x'.repeat(10));
    writeFileSync(join(stick, 'SUMMER.KPACK'), 'y');
    writeFileSync(join(stick, 'notes.txt'), 'no');
    pack(join(stick, 'packs', 'autumn'));
    writeFileSync(join(stick, 'packs', 'winter.kpack'), 'zz');
    pack(join(stick, 'deep', 'er', 'still'));
    pack(join(stick, '.hidden-pack'));
    writeFileSync(join(stick, '.trash.kpack'), 'h');
    // Packs do not nest: a pack folder's own subfolders are not searched.
    pack(join(stick, 'packs', 'autumn', 'media', 'inner'));

    expect(findPacks(stick)).toEqual([
      { path: join(stick, 'SUMMER.KPACK'), kind: 'kpack', name: 'SUMMER.KPACK', bytes: 1 },
      { path: join(stick, 'packs', 'autumn'), kind: 'folder', name: 'autumn', bytes: null },
      { path: join(stick, 'packs', 'winter.kpack'), kind: 'kpack', name: 'winter.kpack', bytes: 2 },
      { path: join(stick, 'spring.kpack'), kind: 'kpack', name: 'spring.kpack', bytes: 10 },
    ]);
    // Chosen straight away: a pack folder itself is its own answer.
    expect(findPacks(join(stick, 'packs', 'autumn')).map((p) => p.name)).toEqual(['autumn']);
  });

  it('finds a pack folder two levels down, but not three', () => {
    const stick = tempDir();
    pack(join(stick, 'a', 'b'));
    pack(join(stick, 'c', 'd', 'e'));
    expect(findPacks(stick).map((p) => p.path)).toEqual([join(stick, 'a', 'b')]);
  });

  it('stops at 200 results and says when the folder is missing', () => {
    const stick = tempDir();
    for (let i = 0; i < 250; i += 1) writeFileSync(join(stick, `p${String(i).padStart(3, '0')}.kpack`), '');
    expect(findPacks(stick)).toHaveLength(200);
    expect(() => findPacks(join(stick, 'gone'))).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('skips folders it cannot read', () => {
    const stick = tempDir();
    pack(join(stick, 'open'));
    const locked = join(stick, 'locked');
    pack(join(locked, 'inside'));
    chmodSync(locked, 0o000);
    try {
      const found = findPacks(stick).map((p) => p.name);
      // root reads everything whatever the mode, so then the locked pack is found too.
      expect(found).toEqual(process.getuid?.() === 0 ? ['inside', 'open'] : ['open']);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('is offered through the service to a live admin session', async () => {
    const kiosk = await tempKiosk();
    const session = await adminSession(kiosk.service);
    const stick = tempDir();
    pack(join(stick, 'expo'));
    expect((await kiosk.service.findPacks({ session, dir: stick })).map((p) => p.name)).toEqual(['expo']);
    await expect(kiosk.service.findPacks({ session, dir: join(stick, 'nope') })).rejects.toMatchObject({ code: 'not-found' });
    kiosk.close();
  });
});
