// A preference list: which options are used and in what order (key agreements, codecs). Each row
// has a checkbox and move up/down buttons, all labelled with the option's name.
export interface OrderedChoiceProps<T extends string> {
  legend: string;
  idPrefix: string;
  /** Used options, most preferred first. */
  chosen: readonly T[];
  all: readonly T[];
  names: Record<T, string>;
  onChange(chosen: T[]): void;
}

export function moveItem<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (index < 0 || to < 0 || to >= list.length) return list.slice();
  const next = list.slice();
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}

export function OrderedChoice<T extends string>({ legend, idPrefix, chosen, all, names, onChange }: OrderedChoiceProps<T>) {
  const rest = all.filter((o) => !chosen.includes(o));
  const rows = [...chosen, ...rest];
  return (
    <fieldset className="ordered-choice">
      <legend>{legend}</legend>
      <ol>
        {rows.map((option) => {
          const index = chosen.indexOf(option);
          const used = index >= 0;
          const id = `${idPrefix}-${option}`;
          return (
            <li key={option} data-used={used}>
              <input
                id={id}
                type="checkbox"
                checked={used}
                disabled={used && chosen.length === 1}
                onChange={(e) => onChange(e.target.checked ? [...chosen, option] : chosen.filter((c) => c !== option))}
              />
              <label htmlFor={id}>{names[option]}</label>
              <button type="button" className="small" aria-label={`Move ${names[option]} up`} disabled={!used || index === 0} onClick={() => onChange(moveItem(chosen, index, -1))}>
                ↑
              </button>
              <button
                type="button"
                className="small"
                aria-label={`Move ${names[option]} down`}
                disabled={!used || index === chosen.length - 1}
                onClick={() => onChange(moveItem(chosen, index, 1))}
              >
                ↓
              </button>
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
