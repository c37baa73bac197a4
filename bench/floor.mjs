// The floor: the same single request with node:http and nothing else.
// process.getBuiltinModule is the cheapest way to load node:http from ESM.
const http = process.getBuiltinModule('node:http');
http.get(process.env.BENCH_URL, { headers: { authorization: `Bearer ${process.env.BENCH_KEY}` } }, (response) => {
  response.resume();
  response.on('end', () => console.log(response.statusCode));
});
