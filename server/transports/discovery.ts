// Discovery files: how a stdio launch finds the HTTP server already running for its workspace.
// <stateDir>/servers/<hash of the workspace path>.json, mode 0600 in a 0700 directory; removed on exit.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface DiscoveryRecord {
  pid: number;
  url: string;
  token: string;
  workspace: string;
  version: string;
  startedAt: string;
}

/** The workspace as the file system names it, so a symlinked path finds the same server. */
export function canonicalWorkspace(workspace: string): string {
  try {
    return fs.realpathSync.native(workspace);
  } catch {
    return path.resolve(workspace);
  }
}

export function discoveryPath(stateDir: string, workspace: string): string {
  const key = createHash("sha256").update(canonicalWorkspace(workspace)).digest("hex").slice(0, 32);
  return path.join(stateDir, "servers", `${key}.json`);
}

export function writeDiscovery(stateDir: string, record: DiscoveryRecord): string {
  const file = discoveryPath(stateDir, record.workspace);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.chmodSync(path.dirname(file), 0o700);
  // Write then rename, so a reader never sees half a file; the token inside is why it is 0600.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(record, null, 2), { mode: 0o600 });
  fs.renameSync(temp, file);
  return file;
}

/** Removes the file only if it is still ours (another server may have replaced it). */
export function removeDiscovery(file: string, pid = process.pid): void {
  try {
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as DiscoveryRecord;
    if (record.pid === pid) fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live server for this workspace, if any; stale files (dead pid, unreadable) are deleted. */
export function findLiveServer(stateDir: string, workspace: string): DiscoveryRecord | null {
  const file = discoveryPath(stateDir, workspace);
  let record: DiscoveryRecord;
  try {
    record = JSON.parse(fs.readFileSync(file, "utf8")) as DiscoveryRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") fs.rmSync(file, { force: true });
    return null;
  }
  const valid = typeof record.pid === "number" && typeof record.url === "string" && typeof record.token === "string";
  if (!valid || !isProcessAlive(record.pid) || canonicalWorkspace(record.workspace) !== canonicalWorkspace(workspace)) {
    fs.rmSync(file, { force: true });
    return null;
  }
  return record;
}
