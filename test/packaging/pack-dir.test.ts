// electron-builder really packs the app (`--linux dir`, `--mac dir`: the unpacked trees the
// AppImage, .deb and .dmg are made from) around stand-in Electron distributions: files carrying
// Electron's fuse sentinel and wire (electron/fuses: sentinel, version 1, length, one byte per
// fuse) and, for macOS, the Info.plist skeleton of Electron.app, since the real binaries cannot
// be downloaded here. What is checked is what packing makes of this project: the fuses as
// flipped, the app.asar's contents, and the macOS Info.plist (URL schemes, camera and microphone
// reasons, ASAR integrity). Windows is left out: its packing runs rcedit (wine) on the binary.
// Needs the build (out/), which `npm test` makes first; without it the tests are skipped
// locally and fail in CI.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { build, Platform } from 'electron-builder';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

const projectDir = resolve(import.meta.dirname, '../..');
const require = createRequire(join(projectDir, 'package.json'));
const asar = require('@electron/asar') as { listPackage(path: string): string[]; extractFile(archive: string, file: string): Buffer; getRawHeader(archive: string): { headerString: string } };
const { parsePlistFile } = require('app-builder-lib/out/util/plist.js') as { parsePlistFile(file: string): Promise<Record<string, unknown>> };

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's defaults for its nine fuses (electron/electron build/fuses/fuses.json5): RunAsNode
// on, cookie encryption off, NODE_OPTIONS on, --inspect on, ASAR integrity off, only-ASAR off,
// browser V8 snapshot off, file: privileges on, WASM trap handlers on.
const ELECTRON_DEFAULT_WIRE = '101100011';
const fuseCarrier = (prefix: string) => Buffer.concat([Buffer.from(prefix), Buffer.from(SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.from('\n')]);

const manifest = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
const built = existsSync(join(projectDir, manifest.main));
if (!built && process.env.CI === 'true') throw new Error(`${manifest.main} is missing: npm run build first`);

function write(path: string, data: string | Buffer, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data, { mode });
}

async function pack(platform: Platform, electronDist: string, output: string): Promise<void> {
  await build({
    projectDir,
    targets: platform.createTarget('dir'),
    publish: 'never',
    config: { extends: 'electron-builder.config.ts', electronDist, npmRebuild: false, directories: { output } },
  });
}

async function expectFusesFlipped(binary: string): Promise<void> {
  const wire = await getCurrentFuseWire(binary);
  expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
  expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
  expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
  expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
  expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
  expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
  // The fuses the configuration leaves alone keep Electron's defaults.
  expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.ENABLE);
}

function expectAppAsar(archive: string): void {
  const files = asar.listPackage(archive).map((p) => p.replace(/^\//, ''));
  for (const path of [manifest.main, 'out/main/worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) expect(files, path).toContain(path);
  expect(files.filter((p) => !/^(out|node_modules)(\/|$)/.test(p))).toEqual(['package.json']);
  expect(files.filter((p) => p.endsWith('.map') || (p.endsWith('.ts') && !p.startsWith('node_modules/')))).toEqual([]);
  const packages = new Set(files.filter((p) => p.startsWith('node_modules/')).map((p) => p.split('/').slice(1, p.split('/')[1].startsWith('@') ? 3 : 2).join('/')));
  for (const dep of Object.keys(manifest.dependencies)) expect(packages, dep).toContain(dep);
  for (const dev of ['electron', 'electron-builder', 'vitest', 'typescript', '@playwright/test', '@sparticuz/chromium']) expect(packages, dev).not.toContain(dev);
  const packed = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main: string; desktopName: string };
  expect(packed.main).toBe(manifest.main);
  expect(packed.desktopName).toBe('vouch.desktop');
}

describe.skipIf(!built)('electron-builder dir packing around stand-in Electron binaries', () => {
  it('Linux: fuses flipped in the packed binary; app.asar holds the built app and its runtime dependencies only', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vouch-pack-linux-'));
    try {
      const dist = join(work, 'electron-dist');
      write(join(dist, 'electron'), fuseCarrier('#!/bin/sh\nexit 0\n'), 0o755);
      write(join(dist, 'version'), '45.4.1');
      await pack(Platform.LINUX, dist, join(work, 'out'));
      const unpacked = join(work, 'out', 'linux-unpacked');
      await expectFusesFlipped(join(unpacked, 'vouch'));
      expectAppAsar(join(unpacked, 'resources', 'app.asar'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);

  it('macOS: Info.plist opens sip: and sips:, gives the camera and microphone reasons, pins app.asar’s hash', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vouch-pack-mac-'));
    try {
      const dist = join(work, 'electron-dist');
      const contents = join(dist, 'Electron.app', 'Contents');
      const plist = (executable: string) =>
        `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><dict><key>CFBundleExecutable</key><string>${executable}</string><key>CFBundleIdentifier</key><string>com.github.Electron</string><key>CFBundleName</key><string>Electron</string><key>CFBundleIconFile</key><string>electron.icns</string></dict></plist>\n`;
      write(join(contents, 'Info.plist'), plist('Electron'));
      write(join(contents, 'MacOS', 'Electron'), 'stand-in', 0o755);
      write(join(contents, 'Resources', 'electron.icns'), 'stand-in');
      write(join(contents, 'Frameworks', 'Electron Helper.app', 'Contents', 'Info.plist'), plist('Electron Helper'));
      write(join(contents, 'Frameworks', 'Electron Helper.app', 'Contents', 'MacOS', 'Electron Helper'), 'stand-in', 0o755);
      write(join(contents, 'Frameworks', 'Electron Framework.framework', 'Electron Framework'), fuseCarrier(''));
      write(join(dist, 'version'), '45.4.1');
      await pack(Platform.MAC, dist, join(work, 'out'));
      const app = join(work, 'out', process.arch === 'arm64' ? 'mac-arm64' : 'mac', 'Vouch.app');

      await expectFusesFlipped(app);
      expectAppAsar(join(app, 'Contents', 'Resources', 'app.asar'));
      const info = await parsePlistFile(join(app, 'Contents', 'Info.plist'));
      expect(info.CFBundleIdentifier).toBe('org.vouch.phone');
      expect(info.CFBundleURLTypes).toEqual([{ CFBundleTypeRole: 'Viewer', CFBundleURLName: 'SIP call', CFBundleURLSchemes: ['sip', 'sips'] }]);
      expect(info.NSMicrophoneUsageDescription).toMatch(/voice/);
      expect(info.NSCameraUsageDescription).toMatch(/video/);
      // What EnableEmbeddedAsarIntegrityValidation checks at launch: the SHA-256 of app.asar's
      // header (electron docs/tutorial/asar-integrity.md), which pins every file's own hashes.
      const header = asar.getRawHeader(join(app, 'Contents', 'Resources', 'app.asar')).headerString;
      expect(info.ElectronAsarIntegrity).toEqual({ 'Resources/app.asar': { algorithm: 'SHA256', hash: createHash('sha256').update(header).digest('hex') } });
      expect(readFileSync(join(app, 'Contents', 'Resources', info.CFBundleIconFile as string)).equals(readFileSync(join(projectDir, 'assets', 'icon.icns')))).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
