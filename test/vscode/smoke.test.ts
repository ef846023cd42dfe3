/**
 * Harness check only: packages a throwaway extension, installs it into code-server through the harness, runs its
 * command from the palette and sees the notification. Proves the extension host runs on Node 24 and sees opts.env.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { launchVsCode, packageVsix, vscodeAvailable } from "./harness";

const available = vscodeAvailable();

const EXTENSION_JS = `
const vscode = require("vscode");
exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand("harnessSmoke.hello", () =>
      vscode.window.showInformationMessage(
        "Harness smoke says hello (node " + process.version + ", token " + process.env.HARNESS_SMOKE_TOKEN + ")"
      )
    )
  );
};
exports.deactivate = () => {};
`;

test(
  "harness: install a VSIX, run its command from the palette, see the toast",
  { skip: available.ok ? false : `real VS Code unavailable: ${available.why}`, timeout: 240_000 },
  async () => {
    const tmp = await mkdtemp(join(tmpdir(), "codex-fusion-smoke-"));
    try {
      const extDir = join(tmp, "ext");
      const workspace = join(tmp, "workspace");
      await mkdir(extDir, { recursive: true });
      await mkdir(workspace, { recursive: true });
      await writeFile(join(workspace, "hello.txt"), "smoke\n");
      await writeFile(
        join(extDir, "package.json"),
        JSON.stringify(
          {
            name: "harness-smoke",
            displayName: "Harness Smoke",
            description: "Throwaway extension for the real-VS-Code harness check",
            version: "0.0.1",
            publisher: "codex-fusion-test",
            license: "MIT",
            engines: { vscode: "^1.90.0" },
            main: "./extension.js",
            activationEvents: [],
            contributes: {
              commands: [{ command: "harnessSmoke.hello", title: "Hello", category: "Harness Smoke" }],
            },
          },
          null,
          2,
        ),
      );
      await writeFile(join(extDir, "extension.js"), EXTENSION_JS);
      await writeFile(join(extDir, "README.md"), "# Harness Smoke\n\nThrowaway extension used by test/vscode/smoke.test.ts.\n");
      await writeFile(join(extDir, "LICENSE"), "MIT\n");
      const vsix = await packageVsix(extDir, join(tmp, "harness-smoke-0.0.1.vsix"));

      const token = randomUUID();
      const session = await launchVsCode({ vsix, workspace, env: { HARNESS_SMOKE_TOKEN: token } });
      const pgid = session.codeServerPid;
      try {
        await session.runCommand("Harness Smoke: Hello");
        const toast = session.page.locator(".notification-toast", { hasText: "Harness smoke says hello" });
        await toast.first().waitFor({ state: "visible", timeout: 60_000 });
        const text = await toast.first().innerText();
        assert.match(text, /node v24\./, `extension host should run on Node 24: ${text}`);
        assert.ok(text.includes(token), `opts.env should reach the extension host: ${text}`);
        const shot = await session.screenshot("vscode-harness-smoke");
        assert.ok(existsSync(shot) && statSync(shot).size > 1000, `screenshot at ${shot}`);
      } catch (err) {
        await session.screenshot("vscode-harness-smoke-failure").catch(() => undefined);
        throw new Error(`${(err as Error).message}\n(logs: ${session.logsDir})`, { cause: err });
      } finally {
        await session.close();
      }
      // No orphans: the whole code-server process group is gone.
      assert.throws(() => process.kill(-pgid, 0), /ESRCH/, "code-server process group should be gone after close()");
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  },
);
