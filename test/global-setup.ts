// Builds what unit tests need before any test file runs: the media worker bundle.
import { buildWorker } from '../scripts/build-worker.ts';

export default async function setup(): Promise<void> {
  await buildWorker();
}
