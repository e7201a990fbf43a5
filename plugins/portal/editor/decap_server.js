/* Runs decap-server (the Decap CMS local backend, npm) for the editor server
   alone (backend.py):
   - it listens on a Unix socket in a folder only this user can open, not on
     a TCP port: nothing, no web page in any browser either, reaches it
     except through the editor server's checks (guard.py);
   - it ends when the editor server does, however that ends (a restart of
     the preview server, Ctrl-C, a kill): its standard input closes. */
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");

const socket = process.env.PORTAL_EDITOR_SOCKET;
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  const callback = args.find((arg) => typeof arg === "function");
  return listen.call(this, socket, callback);
};

function end() {
  fs.rmSync(path.dirname(socket), { recursive: true, force: true });
  process.exit(0);
}
process.stdin.on("end", end);
process.stdin.on("error", end);
process.stdin.resume();

require(process.env.PORTAL_DECAP_SERVER);
