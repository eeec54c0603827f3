/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server.js with only the dependencies it traces.
  output: "standalone",
};

export default nextConfig;
