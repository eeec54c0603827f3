// An Express service from the Node 16 era: .nvmrc and engines still say 16, while
// packageManager moved to pnpm 9, which runs on Node 18.12 or newer only.
const express = require('express');

const app = express();
const items = [{ sku: 'A-1', count: 4 }];

app.get('/', (req, res) => res.json({ items }));
app.get('/healthz', (req, res) => res.send('ok'));

const port = process.env.PORT || 3015;
const server = app.listen(port, () => console.log(`inventory on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
