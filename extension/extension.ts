// Extension entry point. The server supervisor, MCP registration and views arrive in later issues.
import type * as vscode from "vscode";

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
