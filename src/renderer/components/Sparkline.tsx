// A small live chart as SVG (attributes only, no inline style, so the strict CSP holds).
export interface SparklineProps {
  label: string;
  values: readonly number[];
  width?: number;
  height?: number;
}

/** Polyline points scaled into the box; the y axis starts at 0 so a flat zero line sits at the bottom. */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const finite = values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const max = Math.max(...finite) || 1;
  const step = finite.length > 1 ? width / (finite.length - 1) : 0;
  return finite.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * height).toFixed(1)}`).join(' ');
}

export function Sparkline({ label, values, width = 120, height = 28 }: SparklineProps) {
  return (
    <svg className="sparkline" role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <polyline fill="none" stroke="currentColor" strokeWidth="1.5" points={sparklinePoints(values, width, height)} />
    </svg>
  );
}
