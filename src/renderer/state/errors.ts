// Errors shown to the user, in words, where they happen. Each has a scope (the part of the screen
// it belongs to) so a banner can show it beside the control that failed.
export type ErrorScope = 'registration' | 'call' | 'media' | 'settings' | 'security' | 'ice' | 'app';

export interface ShownError {
  id: number;
  scope: ErrorScope;
  message: string;
}

export const MAX_SHOWN_ERRORS = 5;

export interface ErrorsState {
  errors: ShownError[];
  nextId: number;
}

export const initialErrorsState: ErrorsState = { errors: [], nextId: 1 };

/** Adds an error; the same message twice in a row is shown once; the oldest fall off. */
export function addError(state: ErrorsState, scope: ErrorScope, message: string): ErrorsState {
  const last = state.errors[state.errors.length - 1];
  if (last && last.scope === scope && last.message === message) return state;
  const errors = [...state.errors, { id: state.nextId, scope, message }].slice(-MAX_SHOWN_ERRORS);
  return { errors, nextId: state.nextId + 1 };
}

export function dismissError(state: ErrorsState, id: number): ErrorsState {
  return { ...state, errors: state.errors.filter((e) => e.id !== id) };
}

export function dismissScope(state: ErrorsState, scope: ErrorScope): ErrorsState {
  return { ...state, errors: state.errors.filter((e) => e.scope !== scope) };
}
