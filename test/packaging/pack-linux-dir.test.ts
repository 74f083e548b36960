// electron-builder really packs the app (`--linux dir`: the unpacked tree the AppImage and .deb
// are made from) around a stand-in Electron binary: a file carrying Electron's fuse sentinel and
// wire (electron/fuses: sentinel, version 1, length, one byte per fuse), since the real binary
// cannot be downloaded here. What is checked is what packing makes of this project: the fuses
// as flipped in the packed binary, and the app.asar's contents. Needs the build (out/), which
// `npm test` makes first; without it the test is skipped locally and fails in CI.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { build, Platform } from 'electron-builder';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

const projectDir = resolve(import.meta.dirname, '../..');
const require = createRequire(join(projectDir, 'package.json'));
const asar = require('@electron/asar') as { listPackage(path: string, options?: object): string[]; extractFile(archive: string, file: string): Buffer };

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's own defaults for the first nine fuses (electron/electron build/fuses/fuses.json5):
// RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, ASAR integrity off,
// only-ASAR off, browser V8 snapshot off, file: privileges on, WASM trap handlers on.
const ELECTRON_DEFAULT_WIRE = '101100011';

const { main } = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { main: string };
const built = existsSync(join(projectDir, main));
if (!built && process.env.CI === 'true') throw new Error(`${main} is missing: npm run build first`);

describe.skipIf(!built)('electron-builder --linux dir around a stand-in Electron binary', () => {
  it('flips the fuses in the packed binary and packs only the built app and its runtime dependencies', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vouch-pack-'));
    try {
      const electronDist = join(work, 'electron-dist');
      const binary = Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.from('\n')]);
      mkdirSync(electronDist);
      writeFileSync(join(electronDist, 'electron'), binary, { mode: 0o755 });
      writeFileSync(join(electronDist, 'version'), '45.4.1');

      await build({
        projectDir,
        targets: Platform.LINUX.createTarget('dir'),
        publish: 'never',
        config: { extends: 'electron-builder.config.ts', electronDist, npmRebuild: false, directories: { output: join(work, 'dist') } },
      });
      const unpacked = join(work, 'dist', 'linux-unpacked');

      const wire = await getCurrentFuseWire(join(unpacked, 'vouch'));
      const state = (fuse: FuseV1Options) => wire[fuse];
      expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
      expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
      expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
      expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
      expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
      expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
      // The fuses the configuration leaves alone keep Electron's defaults.
      expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.ENABLE);

      const archive = join(unpacked, 'resources', 'app.asar');
      const files = asar.listPackage(archive).map((p) => p.replace(/^\//, ''));
      for (const path of [main, 'out/main/worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) expect(files, path).toContain(path);
      const outside = files.filter((p) => !p.startsWith('out/') && !p.startsWith('node_modules/') && p !== 'out' && p !== 'node_modules');
      expect(outside).toEqual(['package.json']);
      expect(files.filter((p) => p.endsWith('.map') || (p.endsWith('.ts') && !p.startsWith('node_modules/')))).toEqual([]);
      const packages = new Set(files.filter((p) => p.startsWith('node_modules/')).map((p) => p.split('/').slice(1, p.split('/')[1].startsWith('@') ? 3 : 2).join('/')));
      const { dependencies } = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      for (const dep of Object.keys(dependencies)) expect(packages, dep).toContain(dep);
      for (const dev of ['electron', 'electron-builder', 'vitest', 'typescript', '@playwright/test', '@sparticuz/chromium']) expect(packages, dev).not.toContain(dev);

      const packedManifest = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main: string; desktopName: string };
      expect(packedManifest.main).toBe(main);
      expect(packedManifest.desktopName).toBe('vouch.desktop');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
