// What the delegate tool tells the calling model.
export const DELEGATE_DESCRIPTION = [
  "Hand Codex a well-specified task to carry out by itself: Codex works in an isolated copy of the workspace (a git worktree with your uncommitted and untracked files; dependency folders read-only), edits files and runs commands there without asking, with no network.",
  "Nothing is written to the workspace: the result is the change as a unified patch (also as a file for `git apply`), the files with +/- counts (protected paths, new symlinks and executable bits flagged), the commands Codex ran with exit codes, and how `verify` went.",
  "Review the patch with your own tools and land it yourself (`git apply <patchFile>`); `reply` (with `change`) has Codex continue in the same copy. Requests beyond the copy (network, writes elsewhere, escalated commands) pause for `permit`.",
  "Several delegates run side by side, each in its own copy. Needs a git repository with at least one commit.",
].join(" ");
