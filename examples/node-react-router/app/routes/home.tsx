export function loader() {
  return { notes: [{ id: "1", title: "Write the Dockerfile" }] };
}

export default function Home({ loaderData }: { loaderData: { notes: { id: string; title: string }[] } }) {
  return (
    <main>
      <h1>Notes</h1>
      <ul>
        {loaderData.notes.map((note) => (
          <li key={note.id}>
            <a href={`/notes/${note.id}`}>{note.title}</a>
          </li>
        ))}
      </ul>
    </main>
  );
}
