// The typed error a command fails with (api.ts ApiError), thrown inside AppCore and its helpers
// and turned into an error response at the edge.
import type { ApiError } from '../../shared/api';

export class CommandError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}
