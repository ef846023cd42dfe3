// Injected by esbuild from package.json; "dev" when run from source.
declare const __CODEX_FUSION_VERSION__: string | undefined;
export const VERSION = typeof __CODEX_FUSION_VERSION__ === "string" ? __CODEX_FUSION_VERSION__ : "dev";
