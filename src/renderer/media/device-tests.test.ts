import { describe, it, expect } from 'vitest';
import { cameraCaption } from './device-tests';

describe('cameraCaption', () => {
  it('names the camera and the size it delivers', () => {
    expect(cameraCaption('Integrated Webcam (0c45:6a0d)', 640, 480)).toBe('Integrated Webcam (0c45:6a0d), 640 × 480');
  });

  it('says "Camera" for a camera without a name (labels are empty before permission)', () => {
    expect(cameraCaption('', 1280, 720)).toBe('Camera, 1280 × 720');
    expect(cameraCaption('   ', 1280, 720)).toBe('Camera, 1280 × 720');
  });

  it('leaves out a size the camera did not report', () => {
    expect(cameraCaption('USB Camera', undefined, 480)).toBe('USB Camera');
    expect(cameraCaption('USB Camera', 0, 0)).toBe('USB Camera');
  });
});
