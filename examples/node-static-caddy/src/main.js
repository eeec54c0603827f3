// A single-page app: every path is answered with index.html, routes live here.
const routes = { "/": "home", "/about": "about" };
document.querySelector("#app").textContent = `vite spa: ${routes[location.pathname] ?? "not found"}`;
