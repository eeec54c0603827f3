// Shared by every app of the monorepo.
const ms = require("ms");

exports.uptime = () => ms(Math.round(process.uptime() * 1000), { long: true });
