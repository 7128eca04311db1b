// A webhook receiver written the way the reference tells integrators to:
// express.json()-style parsing, then the reference's own verifyWebhook snippet,
// taken unchanged from the reference text at start. It also checks the
// Standard Webhooks signature over the raw body.
//   node webhook-receiver.js REFERENCE.txt SECRET
// Prints "listening PORT", then one JSON line per request.
const fs = require('fs');
const http = require('http');

const [refPath, SECRET] = process.argv.slice(2);
const ref = fs.readFileSync(refPath, 'utf8');
const start = ref.indexOf("const crypto = require('crypto');");
const fnStart = ref.indexOf('function verifyWebhook', start);
const end = ref.indexOf('\n}\n', fnStart) + 2;
if (start < 0 || fnStart < 0 || end < 2) throw new Error('verifyWebhook snippet not found in the reference');
const snippet = ref.slice(start, end);
const verifyWebhook = new Function('require', snippet + '\nreturn verifyWebhook;')(require);
const crypto = require('crypto');

function verifyStandard(raw, headers, secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${raw}`;
  const expected = crypto.createHmac('sha256', key).update(signed).digest('base64');
  return (headers['webhook-signature'] || '').split(' ').some((s) => s === 'v1,' + expected);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    let body = null;
    let okRef = false;
    try {
      body = JSON.parse(raw); // what express.json() hands the route as req.body
      okRef = verifyWebhook(body, req.headers['x-temanqris-signature'] || '', SECRET);
    } catch (e) {
      okRef = false; // timingSafeEqual throws on a length mismatch
    }
    const okStd = verifyStandard(raw, req.headers, SECRET);
    const same = body !== null && JSON.stringify(body) === raw;
    console.log(JSON.stringify({ event: body && body.event, okRef, okStd, same }));
    if (!okRef || !okStd) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'Invalid signature' }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ received: true }));
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
