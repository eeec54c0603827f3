import { createFileRoute } from '@tanstack/react-router'
import { createServerFn } from '@tanstack/react-start'

const openOrders = createServerFn({ method: 'GET' }).handler(async () => {
  return [{ id: 1, item: 'coffee' }]
})

export const Route = createFileRoute('/')({
  loader: () => openOrders(),
  component: Home,
})

function Home() {
  const orders = Route.useLoaderData()
  return <ul>{orders.map((o) => <li key={o.id}>{o.item}</li>)}</ul>
}
