export const dynamic = "force-dynamic";

export default function Home() {
  return <main>hello from next.js at {new Date().toISOString()}</main>;
}
