export function loader({ params }: { params: { id: string } }) {
  return { id: params.id };
}

export default function Note({ loaderData }: { loaderData: { id: string } }) {
  return <p>Note {loaderData.id}</p>;
}
