/** @type {import('next').NextConfig} */
const nextConfig = {
  // No `output` here, as create-next-app writes it: the image is still Next's
  // standalone server (the build environment asks for it).
  reactStrictMode: true,
};

export default nextConfig;
