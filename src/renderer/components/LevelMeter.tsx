// An audio level meter: a native <meter>, so assistive technology reads its value.
export interface LevelMeterProps {
  label: string;
  /** 0..1, already mapped from dBFS by media/level-meter. */
  level: number;
}

export function LevelMeter({ label, level }: LevelMeterProps) {
  const value = Math.min(1, Math.max(0, Number.isFinite(level) ? level : 0));
  return (
    <div className="level-meter">
      <span className="level-label">{label}</span>
      <meter aria-label={label} min={0} max={1} low={0.6} high={0.9} optimum={0.4} value={value} />
    </div>
  );
}
