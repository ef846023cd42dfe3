// The workspace's tracked files, for the findings reader (a bare name or a diff path in an answer becomes the one file
// it names): `git ls-files`, bounded in time, output and count, listed again at most once per ask and never awaited
// by the turn — an answer read before the list arrives is read without it. The only I/O of server/findings/.
import { execFile } from "node:child_process";

const MAX_FILES = 200_000;
const TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

export class WorkspaceFiles {
  private files: readonly string[] | undefined;
  private listing: AbortController | null = null;

  constructor(private readonly workspace: string) {}

  /** The last list, if one arrived (undefined outside a git repository). */
  get list(): readonly string[] | undefined {
    return this.files;
  }

  /** Lists the files again in the background (one listing at a time; a failure keeps the last list). */
  refresh(): void {
    if (this.listing) return;
    const listing = new AbortController();
    this.listing = listing;
    const args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"];
    execFile("git", args, { cwd: this.workspace, timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT, windowsHide: true, signal: listing.signal }, (error, stdout) => {
      if (this.listing === listing) this.listing = null;
      if (error) return;
      const files = stdout.split("\0").filter((file) => file !== "");
      this.files = files.length > MAX_FILES ? files.slice(0, MAX_FILES) : files;
    });
  }

  /** Ends a listing still running (the session shuts down): no git outlives its owner. */
  close(): void {
    this.listing?.abort();
    this.listing = null;
  }
}
