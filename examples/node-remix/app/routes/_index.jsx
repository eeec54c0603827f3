// Remix 2 on Vite: the server build is build/server/index.js, which the start
// script hands to remix-serve (Remix 1 wrote build/index.js).
import { useLoaderData } from "@remix-run/react";

export function loader() {
  return { greeting: "hello from remix" };
}

export default function Index() {
  const { greeting } = useLoaderData();
  return <h1>{greeting}</h1>;
}
