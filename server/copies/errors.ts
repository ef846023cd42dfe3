// What can go wrong with a copy, as a code and one sentence that says why and what to do.
export type CopyErrorCode = "not_git" | "no_commit" | "git_missing" | "git_failed" | "limit" | "state_dir_inside" | "not_found";

export class CopyError extends Error {
  constructor(
    readonly code: CopyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CopyError";
  }
}
