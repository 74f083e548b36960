// Module shapes Vite gives the renderer: a worker/worklet bundled as its own file (served from
// 'self', as the CSP's worker-src wants) and assets as URLs.
declare module '*?worker&url' {
  const url: string;
  export default url;
}

declare module '*.wav' {
  const url: string;
  export default url;
}

// A file inlined into the bundle as a base64 data: URL (libopus-module.ts).
declare module '*.wasm?inline' {
  const dataUrl: string;
  export default dataUrl;
}
