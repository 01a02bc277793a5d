/** Pictures sent as numbers: base64 planes of unsigned bytes decoded into values, and values coloured as pixels. */
import { classShade, diverging, type Rgb } from "./colors";

/** Decodes base64 text into bytes. */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Decodes C planes of W×H unsigned bytes (0 ↦ lo, 255 ↦ hi) into C arrays of values. */
export function decodePlanes(values: string, width: number, height: number, channels: number, lo: number, hi: number): Float32Array[] {
  const bytes = decodeBase64(values);
  const size = width * height;
  if (bytes.length < size * channels) throw new Error(`expected ${size * channels} bytes, got ${bytes.length}`);
  const scale = (hi - lo) / 255;
  const planes: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const plane = new Float32Array(size);
    for (let i = 0; i < size; i++) plane[i] = lo + bytes[c * size + i] * scale;
    planes.push(plane);
  }
  return planes;
}

/** Enlarges a W×H plane `factor` times by bilinear interpolation between cell centres. */
export function upsample(plane: Float32Array, width: number, height: number, factor: number): Float32Array {
  const outWidth = width * factor;
  const outHeight = height * factor;
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(width - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      const top = plane[y0 * width + x0] * (1 - fx) + plane[y0 * width + x1] * fx;
      const bottom = plane[y1 * width + x0] * (1 - fx) + plane[y1 * width + x1] * fx;
      out[y * outWidth + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Colours decoded planes as RGBA pixels: diverging for one plane, class colours for several. */
export function planesToRgba(planes: Float32Array[], discretize: boolean, range = 1): Uint8ClampedArray<ArrayBuffer> {
  const size = planes[0]?.length ?? 0;
  const pixels = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    let rgb: Rgb;
    if (planes.length === 1) {
      const value = planes[0][i] / range;
      rgb = diverging(discretize ? Math.sign(value) : value);
    } else {
      let best = 0;
      for (let c = 1; c < planes.length; c++) if (planes[c][i] > planes[best][i]) best = c;
      rgb = classShade(best, discretize ? 1 : Math.max(0, (planes[best][i] * planes.length - 1) / (planes.length - 1)));
    }
    pixels.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  }
  return pixels;
}

/** Colours one class's probability plane: white where unlikely, the class colour where likely. */
export function classPlaneRgba(plane: Float32Array, classIndex: number): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(plane.length * 4);
  for (let i = 0; i < plane.length; i++) {
    const [r, g, b] = classShade(classIndex, plane[i]);
    pixels.set([r, g, b, 255], i * 4);
  }
  return pixels;
}
