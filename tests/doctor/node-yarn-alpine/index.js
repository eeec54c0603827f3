const fastify = require('fastify')();
fastify.get('/', async () => 'ok');
fastify.listen({ port: 4000, host: '0.0.0.0' });
