// Rendered on the server at each request: only a Node server can answer this.
export function load() {
  return { rendered: new Date().toISOString() };
}
