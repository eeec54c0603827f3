// Server-side rendering on Nitro's node preset: the build is .output/server/index.mjs.
export default defineNuxtConfig({
  compatibilityDate: "2025-05-15",
  devtools: { enabled: false },
  telemetry: false,
});
