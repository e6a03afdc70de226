/**
 * The ceiling: a bare node:http server answering every request with the same JSON bytes (the size of
 * Parley's answer to the request it stands in for), in its own process, after reading the request's
 * body (a POST's JSON is received, not parsed). Usage: raw-server.ts <port> <body-file>
 */
import fs from 'node:fs';
import http from 'node:http';

const [port, bodyFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile as string);
http
  .createServer((request, response) => {
    request.resume();
    request.once('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': body.length,
      });
      response.end(body);
    });
  })
  .listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
