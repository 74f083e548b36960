// The one connection to AppCore this renderer uses, set once at startup, and the way smart
// components run a command: failures become an error in words in the store, never only a console
// line.
import type { CommandArgs, CommandName, CommandResult, VouchApi } from '../../shared/api';
import type { ErrorScope } from '../state/errors';
import { useVouchStore } from '../state/store';
import { describeFailure } from '../state/words';
import type { ApiConnection } from './client';

let current: ApiConnection | null = null;

export function setConnection(connection: ApiConnection): void {
  current = connection;
}

export function vouchApi(): VouchApi {
  if (!current) throw new Error('not connected to Vouch');
  return current.api;
}

/** Runs a command; on failure shows "Could not <action>: <reason>." under `scope` and returns undefined. */
export async function runCommand<C extends CommandName>(scope: ErrorScope, action: string, command: C, args: CommandArgs<C>): Promise<CommandResult<C> | undefined> {
  try {
    return await vouchApi().invoke(command, args);
  } catch (e) {
    useVouchStore.getState().showError(scope, describeFailure(action, e));
    return undefined;
  }
}
