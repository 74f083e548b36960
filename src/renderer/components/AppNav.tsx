// The app's places: Calls, Contacts, History (with the missed calls since it was last opened),
// Settings, About. Presentational.
export type AppView = 'call' | 'contacts' | 'history' | 'settings' | 'about';

export interface AppNavProps {
  view: AppView;
  missed: number;
  /** First-run setup: only About (diagnostics) is a place to go. */
  setupOnly?: boolean;
  onNavigate(view: AppView): void;
}

const PLACES: { view: AppView; label: string }[] = [
  { view: 'call', label: 'Calls' },
  { view: 'contacts', label: 'Contacts' },
  { view: 'history', label: 'History' },
  { view: 'settings', label: 'Settings' },
  { view: 'about', label: 'About' },
];

export function AppNav({ view, missed, setupOnly = false, onNavigate }: AppNavProps) {
  return (
    <>
      {PLACES.filter((p) => !setupOnly || p.view === 'about').map((p) => (
        <button
          key={p.view}
          type="button"
          aria-current={view === p.view ? 'page' : undefined}
          onClick={() => onNavigate(p.view)}
        >
          {p.label}
          {/* The name read out contains the visible text ("History 2 missed calls"; WCAG 2.5.3 Label in Name). */}
          {p.view === 'history' && missed > 0 ? (
            <>
              {' '}
              <span className="badge missed-count">{missed}</span>
              <span className="visually-hidden"> missed {missed === 1 ? 'call' : 'calls'}</span>
            </>
          ) : null}
        </button>
      ))}
    </>
  );
}
