// adapter-node: the build is a Node server (build/index.js), not a static site.
import adapter from "@sveltejs/adapter-node";

export default {
  kit: { adapter: adapter() },
};
