// The Tasks extension's task records (io.modelcontextprotocol/tasks, MCP 2026-07-28): a tools/call that outlives the
// inline bound becomes a task here; `tasks/get` reads it, the call's end completes it, `tasks/cancel` cancels it.
// In memory: a task lives as long as this server process (its Codex turn does not outlive it either).
import { randomUUID } from "node:crypto";

export type TaskStatus = "working" | "completed" | "failed" | "cancelled";

export interface TaskRecord {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  result?: Record<string, unknown>;
  error?: Record<string, unknown>;
}

/** How long a finished task stays readable, and how often the client is asked to poll. */
export const TASK_TTL_MS = 60 * 60 * 1000;
export const POLL_INTERVAL_MS = 2000;

export class TaskStore {
  private readonly tasks = new Map<string, TaskRecord & { expires: number | null }>();

  constructor(private readonly now: () => number = Date.now) {}

  create(statusMessage: string): TaskRecord {
    this.prune();
    const at = new Date(this.now()).toISOString();
    const task = { taskId: randomUUID(), status: "working" as const, statusMessage, createdAt: at, lastUpdatedAt: at, expires: null };
    this.tasks.set(task.taskId, task);
    return this.view(task);
  }

  get(taskId: string): TaskRecord | null {
    this.prune();
    const task = this.tasks.get(taskId);
    return task ? this.view(task) : null;
  }

  /** The newest progress of a working task. */
  progress(taskId: string, statusMessage: string): void {
    const task = this.tasks.get(taskId);
    if (!task || task.status !== "working") return;
    task.statusMessage = statusMessage;
    task.lastUpdatedAt = new Date(this.now()).toISOString();
  }

  /** Ends a working task; a task already ended (cancelled first, say) stays as it was. Whether it changed. */
  finish(taskId: string, end: { status: "completed"; result: Record<string, unknown> } | { status: "failed"; error: Record<string, unknown> } | { status: "cancelled"; statusMessage: string }): boolean {
    const task = this.tasks.get(taskId);
    if (!task || task.status !== "working") return false;
    Object.assign(task, end, { lastUpdatedAt: new Date(this.now()).toISOString(), expires: this.now() + TASK_TTL_MS });
    return true;
  }

  /** The wire shape: a Task with its status-specific payload inlined (tasks/get, CreateTaskResult). */
  wire(task: TaskRecord): Record<string, unknown> {
    return { ...task, ttlMs: TASK_TTL_MS, pollIntervalMs: POLL_INTERVAL_MS };
  }

  /** Tasks running or kept for fetching (not yet expired). */
  size(): number {
    this.prune();
    return this.tasks.size;
  }

  private view(task: TaskRecord & { expires: number | null }): TaskRecord {
    const { expires: _expires, ...record } = task;
    return record;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, task] of this.tasks) if (task.expires !== null && task.expires < now) this.tasks.delete(id);
  }
}
