// Runs a Zabbix webhook script under node with a small stand-in for the globals Zabbix gives
// it: `value` (the media type's parameters as JSON text), `HttpRequest` (synchronous, by curl)
// and `Zabbix.log`. Usage: node zabbix_shim.js SCRIPT.js PARAMS_JSON
// Prints the script's return value; on a throw prints it to stderr and exits 1.
'use strict';
const fs = require('fs');
const { spawnSync } = require('child_process');

class HttpRequest {
  constructor() {
    this.headers = [];
    this.status = 0;
  }
  addHeader(header) { this.headers.push(header); }
  setProxy(proxy) { this.proxy = proxy; }
  request(method, url, data) {
    const args = ['-sS', '-X', method, '-w', '\n%{http_code}', '--data-binary', '@-'];
    for (const h of this.headers) args.push('-H', h);
    if (this.proxy) args.push('--proxy', this.proxy);
    args.push(url);
    const run = spawnSync('curl', args, { input: data === undefined ? '' : data });
    if (run.status !== 0) throw 'curl failed: ' + run.stderr.toString();
    const out = run.stdout.toString();
    const cut = out.lastIndexOf('\n');
    this.status = parseInt(out.slice(cut + 1), 10);
    return out.slice(0, cut);
  }
  post(url, data) { return this.request('POST', url, data); }
  get(url, data) { return this.request('GET', url, data); }
  getStatus() { return this.status; }
}

const Zabbix = {
  log(level, message) { process.stderr.write('[zabbix log ' + level + '] ' + message + '\n'); },
};

const script = fs.readFileSync(process.argv[2], 'utf8');
const run = new Function('value', 'HttpRequest', 'Zabbix', script);
try {
  process.stdout.write(String(run(process.argv[3], HttpRequest, Zabbix)));
} catch (error) {
  process.stderr.write('thrown: ' + error + '\n');
  process.exit(1);
}
