import type { Config } from "@react-router/dev/config";

export default {
  // Server-side render by default; `ssr: false` would build a static single-page app.
  ssr: true,
} satisfies Config;
