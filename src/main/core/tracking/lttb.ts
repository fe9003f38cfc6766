/**
 * Largest-Triangle-Three-Buckets downsampling (Sveinn Steinarsson, "Downsampling
 * Time Series for Visual Representation", 2013). Keeps the first and last
 * point and, from each of `threshold - 2` equal buckets in between, the point
 * that forms the largest triangle with the point kept before it and the mean
 * of the next bucket. The result keeps peaks and troughs that a stride would drop.
 *
 * `xs` must be sorted ascending. Returns the indices of the kept points, in
 * order; all indices when there are no more points than `threshold`.
 * Points whose y is not finite (NaN, ±Infinity) count as 0 in the areas,
 * so they can be kept but never make an area NaN.
 */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): Uint32Array {
  const length = xs.length;
  if (threshold >= length || threshold < 3) return identityIndices(length, threshold);

  const keptIndices = new Uint32Array(threshold);
  const bucketSize = (length - 2) / (threshold - 2);
  let previous = 0;
  keptIndices[0] = 0;

  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;

    // Mean of the next bucket; the last bucket looks at the final point.
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, length);
    let meanX = 0;
    let meanY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      meanX += xs[i]!;
      meanY += finite(ys[i]!);
    }
    const nextCount = nextEnd - nextStart;
    meanX /= nextCount;
    meanY /= nextCount;

    const ax = xs[previous]!;
    const ay = finite(ys[previous]!);
    let maxArea = -1;
    let chosen = start;
    for (let i = start; i < end; i++) {
      const area = Math.abs((ax - meanX) * (finite(ys[i]!) - ay) - (ax - xs[i]!) * (meanY - ay));
      if (area > maxArea) {
        maxArea = area;
        chosen = i;
      }
    }
    keptIndices[bucket + 1] = chosen;
    previous = chosen;
  }
  keptIndices[threshold - 1] = length - 1;

  return keptIndices;
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/** Returns all indices when the series is short, else the first and last when `threshold` is below 3. */
function identityIndices(length: number, threshold: number): Uint32Array {
  if (threshold >= length) return Uint32Array.from({ length }, (_, index) => index);
  if (threshold <= 1) return length > 0 ? Uint32Array.of(0) : new Uint32Array(0);

  return Uint32Array.of(0, length - 1);
}
