// The allowlist of each layer (ARCHITECTURE.md "Layout"): which modules and which globals a
// file may use, decided by its folder. Everything not listed fails the lint; a new import or
// global is classified here, with its reason, before it is used.

/** ECMAScript's own globals (ECMA-262 + ECMA-402 Intl): there in every host the code runs in. */
export const ECMASCRIPT_GLOBALS = [
  'globalThis', 'Infinity', 'NaN', 'undefined', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent',
  'AggregateError', 'Array', 'ArrayBuffer', 'Atomics', 'BigInt', 'BigInt64Array', 'BigUint64Array',
  'Boolean', 'DataView', 'Date', 'Error', 'EvalError', 'FinalizationRegistry', 'Float32Array',
  'Float64Array', 'Function', 'Int8Array', 'Int16Array', 'Int32Array', 'Intl', 'Iterator', 'JSON',
  'Map', 'Math', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect',
  'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError', 'TypeError',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'URIError', 'WeakMap', 'WeakRef',
  'WeakSet',
];

/** Globals that Node, browsers and workers all define the same way, with no I/O behind them. */
const PORTABLE_GLOBALS = ['TextEncoder', 'TextDecoder'];

/** Host services common to Node and the web (timers, console, URL, abort, messaging). */
const HOST_GLOBALS = [
  ...ECMASCRIPT_GLOBALS, 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask',
  'structuredClone', 'performance', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal',
  'Event', 'EventTarget', 'MessageChannel', 'MessagePort', 'DOMException', 'atob', 'btoa',
  'WebAssembly', 'Blob', ...PORTABLE_GLOBALS,
];

/** Node's own globals, as an ES module sees them (no require, module, __dirname). */
const NODE_GLOBALS = [...HOST_GLOBALS, 'process', 'Buffer', 'setImmediate', 'clearImmediate'];

/**
 * The renderer's web platform: DOM, media capture, WebCodecs, Web Audio, storage. Left out on
 * purpose: crypto (the renderer holds no keys) and fetch (it reaches main only through the typed
 * API of src/shared, ARCHITECTURE.md "Where things run").
 */
const WEB_GLOBALS = [
  ...HOST_GLOBALS, 'window', 'document', 'navigator', 'location', 'history', 'screen',
  'localStorage', 'sessionStorage', 'matchMedia', 'getComputedStyle', 'requestAnimationFrame',
  'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'WebSocket', 'File',
  'FileReader', 'FormData', 'Image', 'ResizeObserver', 'IntersectionObserver', 'MutationObserver', 'CustomEvent', 'KeyboardEvent',
  'MouseEvent', 'PointerEvent', 'FocusEvent', 'InputEvent', 'ErrorEvent', 'MessageEvent',
  'CloseEvent', 'Node', 'Element', 'HTMLElement', 'HTMLInputElement', 'HTMLSelectElement',
  'HTMLButtonElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'HTMLAudioElement',
  'HTMLMediaElement', 'CanvasRenderingContext2D', 'ImageData', 'ImageBitmap', 'createImageBitmap',
  'OffscreenCanvas', 'Worker', 'MediaStream', 'MediaStreamTrack', 'MediaDevices', 'MediaRecorder',
  'MediaStreamTrackProcessor', 'MediaStreamTrackGenerator', 'ReadableStream', 'WritableStream',
  'TransformStream', 'Audio', 'AudioContext', 'OfflineAudioContext', 'AudioWorkletNode',
  'AudioBuffer', 'AudioNode', 'GainNode', 'AnalyserNode', 'MediaStreamAudioSourceNode',
  'MediaStreamAudioDestinationNode', 'VideoEncoder', 'VideoDecoder', 'AudioEncoder',
  'AudioDecoder', 'EncodedVideoChunk', 'EncodedAudioChunk', 'VideoFrame', 'AudioData',
  // The ringing call's notification while the window is in the background (issue 21).
  'Notification',
];

/** The AudioWorkletGlobalScope (Web Audio §1.32.1): no DOM, its own few globals. */
const AUDIO_WORKLET_GLOBALS = [...ECMASCRIPT_GLOBALS, 'AudioWorkletProcessor', 'registerProcessor', 'sampleRate', 'currentTime', 'currentFrame', 'console', 'MessagePort', 'MessageEvent'];

const TEST_TOOLS = ['vitest', 'fast-check'];

/** Files that are tests (and their helpers): they get their layer's allowlist plus its `tests` extras. */
export const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/test-support.ts'];

/**
 * One entry per layer. `packages`: module specifiers (`x` covers x/sub; `@scope/*`, `node:*`
 * cover the prefix; `{ package, names }` allows only those named imports). `layers`: the layers
 * a relative import may reach; `files`: other repo paths it may reach. `globals`: free variables the code may read.
 */
export const LAYERS = {
  crypto: {
    folder: 'src/crypto',
    rule: 'pure TypeScript that runs in the media worker and in tests: relative imports within src/crypto, @noble/*, ECMAScript globals.',
    packages: ['@noble/*'],
    layers: ['crypto'],
    globals: ECMASCRIPT_GLOBALS,
    // The purity rule covers its tests too (ARCHITECTURE.md): test tools, and text encoding to
    // write RFC test vectors, nothing with I/O.
    tests: { packages: TEST_TOOLS, globals: PORTABLE_GLOBALS },
  },
  shared: {
    folder: 'src/shared',
    rule: 'runs anywhere (main, worker, preload, renderer): relative imports within src/shared, ECMAScript globals.',
    packages: [],
    layers: ['shared'],
    globals: ECMASCRIPT_GLOBALS,
    tests: { packages: TEST_TOOLS, globals: PORTABLE_GLOBALS },
  },
  main: {
    folder: 'src/main',
    rule: "Node: node:* builtins, ws, @noble/*, relative imports to src/main, src/shared, src/crypto; 'electron' only in the Electron shell (src/main/index.ts, src/main/electron/).",
    packages: ['node:*', 'ws', '@noble/*'],
    layers: ['main', 'shared', 'crypto'],
    globals: NODE_GLOBALS,
    // Tests may drive the real peers' helpers in test/interop (ARCHITECTURE.md "Layout") and be
    // an HTTP client of the browser shell's local server.
    tests: { packages: TEST_TOOLS, files: ['test/interop/**'], globals: ['fetch'] },
  },
  preload: {
    folder: 'src/preload',
    rule: "the sandboxed preload: electron's contextBridge and ipcRenderer, and src/shared, nothing more.",
    packages: [{ package: 'electron', names: ['contextBridge', 'ipcRenderer'] }],
    layers: ['preload', 'shared'],
    globals: [...ECMASCRIPT_GLOBALS, 'console'],
    tests: { packages: TEST_TOOLS },
  },
  renderer: {
    folder: 'src/renderer',
    rule: 'the React app: react, react-dom, zustand, relative imports to src/renderer and src/shared, web platform globals; no Node, no sockets, no keys.',
    packages: ['react', 'react-dom', 'zustand'],
    layers: ['renderer', 'shared'],
    // Sounds and images from assets/, which Vite bundles and hands over as URLs.
    files: ['assets/**'],
    globals: WEB_GLOBALS,
    tests: { packages: TEST_TOOLS },
  },
};

/**
 * Further grants, each for named files of one layer, each with its reason (`only`: 'tests' or
 * 'code', for the test or the non-test files among them; `onlyGlobals`: these globals replace the layer's).
 */
export const EXTRA_GRANTS = [
  {
    layer: 'main',
    files: ['src/main/index.ts', 'src/main/electron/**'],
    only: 'code',
    packages: ['electron'],
    reason: 'The Electron shell is the one place that drives Electron; AppCore and the other front ends run without it.',
  },
  {
    layer: 'main',
    // The grant's files are both who may import and what may be reached: the tray module and its icons.
    files: ['src/main/electron/desktop.ts', 'assets/icons/**'],
    only: 'code',
    reason: "The tray icon, imported with electron-vite's ?asset so it is copied into out/ and packed into app.asar.",
  },
  {
    layer: 'main',
    files: ['src/main/media/host/worker-host.ts'],
    packages: ['tsx/esm/api'],
    reason: 'Run from source (vitest, tsx), the media worker thread registers the tsx loader before loading worker.ts.',
  },
  {
    layer: 'main',
    files: ['src/main/media/**'],
    only: 'tests',
    packages: ['werift-rtp'],
    reason: 'An independent RTP/RTCP implementation the media tests cross-check our packets against.',
  },
  {
    layer: 'renderer',
    files: ['src/renderer/media/libopus-module.ts'],
    only: 'code',
    packages: ['@evan/opus'],
    reason: "libopus compiled to WebAssembly (the package's wasm/opus.wasm, inlined by Vite): Opus in-band FEC and PLC, which WebCodecs' AudioDecoder lacks (issue 24).",
  },
  {
    layer: 'shared',
    files: ['src/shared/audio/**'],
    only: 'tests',
    packages: ['node:fs'],
    globals: ['WebAssembly', 'URL'],
    reason: 'Tests of the libopus binding compile the same module file in Node (vitest cannot inline it as Vite does for the renderer).',
  },
  {
    layer: 'renderer',
    files: ['src/renderer/media/audio-worklet.ts'],
    onlyGlobals: AUDIO_WORKLET_GLOBALS,
    reason: 'This module runs in the AudioWorkletGlobalScope (loaded with audioWorklet.addModule).',
  },
];
